"""Rule report: results/report.html and results/report.pdf from every section's facts.json."""

from __future__ import annotations

from genlab.core import cli
from genlab.report.render import build_report


def run(section: list[str], datasets: list[str], rulegraph: str, sources: list[list[str]], config_json: dict,
        commit: str, benchmarks: str, templates: str, html: str, pdf: str) -> None:
    """`section`: PARTIAL=FACTS, one per report section in order; `sources`: [[rule, output pattern], ...]."""
    sections = [tuple(s.split("=", 1)) for s in section]
    pages = build_report(sections, datasets, config_json, commit, benchmarks, templates, html, pdf, rulegraph, sources)
    print(f"wrote {pdf}: {pages} pages")


if __name__ == "__main__":
    cli.main(run)
