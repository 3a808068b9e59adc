"""Reruns follow the code: a rule's code version is its step's import closure inside genlab, computed."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, rule_steps

from genlab.core.code import code_version, import_closure

SRC = REPO / "src"
def modules(src: Path = SRC) -> list[str]:
    return sorted(".".join(p.relative_to(src).with_suffix("").parts) for p in (src / "genlab").rglob("*.py")
                  if p.name != "__init__.py")


def test_every_rule_that_runs_a_step_hashes_that_step():
    steps = rule_steps()
    assert len(steps) >= 19
    for step in set(steps.values()):
        assert (SRC / "genlab/steps" / f"{step}.py").is_file()


def test_the_closure_follows_imports_at_any_depth():
    closure = {p.relative_to(SRC).as_posix() for p in import_closure("genlab.steps.train_gan", SRC)}
    # train_gan.py → train/gan.py → train/losses.py; → plots/base.py (the sample grids); every package __init__
    assert {"genlab/steps/train_gan.py", "genlab/train/gan.py", "genlab/train/losses.py", "genlab/plots/base.py",
            "genlab/core/io.py", "genlab/__init__.py", "genlab/train/__init__.py"} <= closure
    assert "genlab/measure/metrics.py" not in closure and "genlab/probes/retrain_d.py" not in closure


def test_editing_a_module_changes_exactly_the_versions_of_steps_that_import_it(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(SRC / "genlab", copy / "genlab", ignore=shutil.ignore_patterns("__pycache__"))
    steps = sorted(set(rule_steps().values()))
    before = {s: code_version(f"genlab.steps.{s}", src=copy) for s in steps}
    closures = {s: import_closure(f"genlab.steps.{s}", copy) for s in steps}  # a trailing comment adds no import
    for module in modules(copy):
        path = copy.joinpath(*module.split(".")).with_suffix(".py")
        original = path.read_text()
        path.write_text(original + "\n# edited\n")
        changed = {s for s in steps if code_version(f"genlab.steps.{s}", src=copy) != before[s]}
        importers = {s for s in steps if path in closures[s]}
        path.write_text(original)
        assert changed == importers, module
