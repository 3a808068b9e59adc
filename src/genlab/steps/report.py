"""Rule report: results/report.html and results/report.pdf from every section's facts.json."""

from __future__ import annotations

import argparse
import json

from genlab.report.render import build_report


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--section", action="append", default=[], metavar="PARTIAL=FACTS",
                   help="a template partial (report/sections/PARTIAL.html.j2) and its facts.json; repeatable")
    p.add_argument("--datasets", action="append", default=[], help="a dataset summary .json; repeatable")
    p.add_argument("--rulegraph", required=True, help="the rule graph figure, for the appendix")
    p.add_argument("--sources", default="[]", help="JSON [[rule, output pattern], ...]: captions name the rule")
    p.add_argument("--config-json", required=True, help="the run's whole config as JSON")
    p.add_argument("--commit", default="unknown")
    p.add_argument("--benchmarks", required=True, help="Snakemake's benchmark folder, benchmarks/<rule>/<job>.tsv")
    p.add_argument("--templates", required=True, help="the report/ folder")
    p.add_argument("--html", required=True)
    p.add_argument("--pdf", required=True)
    a = p.parse_args(argv)
    sections = [tuple(s.split("=", 1)) for s in a.section]
    pages = build_report(sections, a.datasets, json.loads(a.config_json), a.commit, a.benchmarks,
                         a.templates, a.html, a.pdf, a.rulegraph, json.loads(a.sources))
    print(f"wrote {a.pdf}: {pages} pages")


if __name__ == "__main__":
    main()
