"""The command line every step shares. A rule passes each named input and output as --<name> <path> (common.smk's
io_flags), so a step declares its file names once, here, and gets its outputs back as a dict."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from genlab.core import runtime


def parse(doc: str | None, inputs: Sequence[str], outputs: Sequence[str], *, params: str | None = None,
          json_args: Sequence[str] = (), text_args: Sequence[str] = (), many: Sequence[str] = (),
          optional: Sequence[str] = (), torch: bool = True, argv: list[str] | None = None,
          ) -> tuple[argparse.Namespace, dict[str, str]]:
    """Parse a step's arguments: files (`inputs`, `outputs`; a name in `many` repeats, one in `optional` may be
    left out), `--params` JSON described by `params`, other JSON (`json_args`) and plain (`text_args`) values,
    and --device/--threads where the step runs torch. Returns the namespace and {output name: path}."""
    p = argparse.ArgumentParser(description=doc)
    for name in [*inputs, *outputs, *text_args]:
        p.add_argument(f"--{name.replace('_', '-')}", required=name not in optional,
                       action="append" if name in many else "store")
    for name in json_args:
        p.add_argument(f"--{name.replace('_', '-')}", required=name not in optional, type=json.loads,
                       help="JSON")
    if params:
        p.add_argument("--params", required=True, type=json.loads, help=f"JSON: {params}")
    if torch:
        runtime.add_arguments(p)
    a = p.parse_args(argv)
    return a, {name: getattr(a, name) for name in outputs}
