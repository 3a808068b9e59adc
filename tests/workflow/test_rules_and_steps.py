"""A rule and the step it runs name the same files: every flag a rule passes is a parameter of the step's `run()`,
and every parameter without a default is passed (the command line is built from `run()`, see genlab.core.cli)."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest
from conftest import REPO, RULE, rule_steps

from genlab.core import cli

SECTION = re.compile(r"^    (\w+):", re.M)


def rule_bodies() -> dict[str, str]:
    return {name: body for smk in sorted((REPO / "workflow/rules").glob("*.smk")) for name, body in
            RULE.findall(smk.read_text())}


def passed_flags(body: str, step: str) -> set[str]:
    """What the rule's shell gives the step: its named inputs and outputs (io_flags, less `skip`), the --flags its
    params and shell spell out, and --device/--threads, which step_shell adds for a step that takes them."""
    parts = SECTION.split(body)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    named = re.compile(r"^        (\w+)=", re.M)
    files = {name for key in ("input", "output") for name in named.findall(sections.get(key, ""))}
    skip = set(re.findall(r'"(\w+)"', "".join(re.findall(r"io_flags\(skip=\(([^)]*)\)", sections["params"]))))
    spelled = {f.replace("-", "_") for f in re.findall(r"--([a-z][\w-]*)", sections["params"] + sections["shell"])}
    runtime = {"device", "threads"} & set(inspect.signature(step_run(step)).parameters)
    return (files - skip) | spelled | runtime


def step_run(step: str):
    return importlib.import_module(f"genlab.steps.{step}").run


@pytest.mark.parametrize("rule", sorted(rule_steps()))
def test_a_rule_passes_exactly_what_its_step_takes(rule):
    step = rule_steps()[rule]
    params = inspect.signature(step_run(step)).parameters
    required = {name for name, p in params.items() if p.default is inspect.Parameter.empty}
    passed = passed_flags(rule_bodies()[rule], step)
    assert passed <= set(params), f"rule {rule} passes {sorted(passed - set(params))}, which {step}.run() does not take"
    assert required <= passed, f"rule {rule} leaves out {sorted(required - passed)}, which {step}.run() needs"


def test_the_check_sees_a_renamed_file():
    body = rule_bodies()["evaluation"].replace("        truncation_table=", "        truncation_csv=")
    takes = set(inspect.signature(step_run("evaluation")).parameters)
    assert "truncation_csv" in passed_flags(body, "evaluation") - takes


@pytest.mark.parametrize("step", sorted(set(rule_steps().values())))
def test_every_step_has_a_command_line_from_its_run(step):
    parser = cli.parser(step_run(step))
    assert parser.prog == f"python -m genlab.steps.{step}"
