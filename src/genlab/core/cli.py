"""The command line every step shares, built from its `run()` signature: each parameter is a flag --<name>
(underscores as dashes), and a rule passes its named inputs and outputs under those names (common.smk's io_flags).
So a step's files are declared twice, in its rule and in `run()`, and tests/workflow/test_rules_and_steps.py holds
the two equal."""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import types
import typing
from collections.abc import Callable

from genlab.core.data import DataError

RUNTIME = {  # the flags of a step that runs torch: the same everywhere, filled by step_shell from the rule
    "device": {"default": "auto", "help": "auto (CUDA when present) | cpu | cuda[:N]"},
    "threads": {"type": int, "default": 2, "help": "CPU threads: the rule's `threads`"},
}


def _flag(hint) -> dict:
    """argparse keywords for a parameter annotated `hint`: str a path or word, list[str] a repeated flag, int and
    float numbers, dict or list of dicts JSON; `X | None` may be left out."""
    kinds = [k for k in typing.get_args(hint) if k is not type(None)] if isinstance(hint, types.UnionType) else [hint]
    (kind,) = kinds
    if kind in (str, int, float):
        return {} if kind is str else {"type": kind}
    if kind == list[str]:
        return {"action": "append"}
    if kind is dict or typing.get_origin(kind) in (dict, list):
        return {"type": json.loads, "help": "JSON"}
    raise TypeError(f"no command-line form for a parameter annotated {hint}")


def parser(run: Callable) -> argparse.ArgumentParser:
    """The step's parser: a flag per parameter of `run`, required unless it has a default."""
    hints = typing.get_type_hints(run)
    module = sys.modules[run.__module__]
    prog = module.__spec__.name if module.__spec__ else run.__module__  # run as `python -m`, its module is __main__
    p = argparse.ArgumentParser(prog=f"python -m {prog}", description=module.__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    for name, param in inspect.signature(run).parameters.items():
        flag = f"--{name.replace('_', '-')}"
        if name in RUNTIME:
            p.add_argument(flag, **RUNTIME[name])
        else:
            optional = param.default is not inspect.Parameter.empty
            p.add_argument(flag, required=not optional, default=param.default if optional else None,
                           **_flag(hints[name]))
    return p


def main(run: Callable, argv: list[str] | None = None) -> None:
    """Run a step from its command line; bad data ends it with the message alone, no traceback."""
    args = parser(run).parse_args(argv)
    try:
        run(**vars(args))
    except DataError as err:
        sys.exit(f"data error: {err}")

