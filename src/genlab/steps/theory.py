"""Rule theory: the numeric checks that the report's theory answers quote."""

from __future__ import annotations

import argparse

from genlab.core.io import write_json
from genlab.measure.theory import constraint_count, conv_gradient_check


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--facts", required=True)
    a = p.parse_args(argv)
    facts = {"conv_gradient": conv_gradient_check(), "constraints": constraint_count()}
    write_json(a.facts, facts)
    print(facts)


if __name__ == "__main__":
    main()
