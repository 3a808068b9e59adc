"""Which genlab source files a step runs: the import closure of its module, found by reading the source (no import),
so that a rule's code version covers exactly what its job executes and nothing that it does not."""

from __future__ import annotations

import ast
import functools
import hashlib
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]  # the folder that holds the genlab package


def module_file(module: str, src: Path = SRC) -> Path | None:
    """The file of a genlab module or package (its __init__.py), or None for a name that is not one."""
    base = src.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports(path: Path, module: str, src: Path) -> set[str]:
    """genlab modules that `path` imports, at any depth of its code (function-level imports count too)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return {name for name in _imported_names(path.read_text(), package) if module_file(name, src)}


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
    todo, seen = [module], set()
    while todo:
        name = todo.pop()
        if name in seen or module_file(name, src) is None:
            continue
        seen.add(name)
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # parent packages
        todo.extend(_imports(module_file(name, src), name, src))
    return sorted(module_file(name, src) for name in seen)


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
