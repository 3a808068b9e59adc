"""Rule theory: the numeric checks that the report's theory answers quote."""

from __future__ import annotations

from genlab.core import cli
from genlab.core.facts import write_facts
from genlab.measure.theory import constraint_count, conv_gradient_check


def run(facts: str) -> None:
    found = {"conv_gradient": conv_gradient_check(), "constraints": constraint_count(), "figures": {}}
    write_facts(facts, found, data_summary=None, device="CPU, float64", n=1, params={})
    print(found)


if __name__ == "__main__":
    cli.main(run)
