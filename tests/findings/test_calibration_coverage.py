"""Every findings module that decides verdicts has a calibration test beside its branch tests (DESIGN §3: statistics
are tested like code)."""

from __future__ import annotations

import pkgutil

from conftest import REPO

import genlab.findings

FOUNDATION = {"noise": "test_noise.py"}  # the shared rule's calibration lives in its own test module


def test_every_findings_module_has_a_calibration_test():
    modules = [m.name for m in pkgutil.iter_modules(genlab.findings.__path__)]
    missing = [m for m in modules
               if not (REPO / "tests/findings" / FOUNDATION.get(m, f"test_{m}_calibration.py")).exists()]
    assert modules and not missing, f"findings modules without a calibration test: {missing}"
