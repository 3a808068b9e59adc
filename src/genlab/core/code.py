"""Which genlab source files a step runs: the import closure of its module, found by reading the source (no import),
so that a rule's code version covers exactly what its job executes and nothing that it does not."""

from __future__ import annotations

import ast
import functools
import hashlib
import os
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]  # the folder that holds the genlab package


def module_files(src: Path = SRC) -> dict[str, str]:
    """Every genlab module and package under `src` by dotted name, from one walk of the tree with plain strings (a
    stat per imported name, or pathlib, cost ~15 s in the test that edits every module). A module file wins over a
    package of the same name."""
    files = {}
    root = os.path.join(src, "genlab")
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        package = "genlab" + folder[len(root):].replace(os.sep, ".")
        for name in sorted(names):
            if name == "__init__.py":
                files.setdefault(package, os.path.join(folder, name))
            elif name.endswith(".py"):
                files[f"{package}.{name[:-3]}"] = os.path.join(folder, name)
    return files


def _imports(path: str, module: str, files: dict[str, str]) -> set[str]:
    """genlab modules that `path` imports, at any depth of its code (function-level imports count too)."""
    package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
    with open(path, encoding="utf-8") as f:
        return {name for name in _imported_names(f.read(), package) if name in files}


@functools.lru_cache(maxsize=4096)
def _imported_names(source: str, package: str) -> frozenset[str]:
    """Every genlab module or package name an import statement in `source` may refer to (cached by source text:
    parsing is the slow part)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from genlab.x import module`
    names = set()
    for name in found:
        if name.split(".")[0] == "genlab":  # a module's parent packages run too (their __init__.py)
            parts = name.split(".")
            names.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return frozenset(names)


def import_closure(module: str, src: Path = SRC) -> list[Path]:
    """Every genlab source file that running `python -m <module>` executes, sorted."""
    files = module_files(src)
    todo, seen = [module], set()
    while todo:
        name = todo.pop()
        if name in seen or name not in files:
            continue
        seen.add(name)
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # parent packages
        todo.extend(_imports(files[name], name, files))
    return sorted(Path(files[name]) for name in seen)


def code_version(module: str, *extra: Path, src: Path = SRC) -> str:
    """A short hash of the module's import closure and of any `extra` files or folders (templates, say)."""
    digest = hashlib.sha256()
    files = import_closure(module, src)
    for path in extra:
        files += sorted(p for p in Path(path).rglob("*") if p.is_file()) if Path(path).is_dir() else [Path(path)]
    for path in files:
        digest.update(str(path.relative_to(src) if path.is_relative_to(src) else path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
