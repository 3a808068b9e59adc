"""Rule report: results/report.html and results/report.pdf from every section's facts.json."""

from __future__ import annotations

from genlab.core import cli
from genlab.report.render import build_report


def main(argv: list[str] | None = None) -> None:
    a, out = cli.parse(__doc__, ["datasets", "rulegraph"], ["html", "pdf"], json_args=["config_json", "sources"],
                       text_args=["section", "commit", "benchmarks", "templates"], many=["datasets", "section"],
                       torch=False, argv=argv)  # section: PARTIAL=FACTS; sources: [[rule, output pattern], ...]
    sections = [tuple(s.split("=", 1)) for s in a.section]
    pages = build_report(sections, a.datasets, a.config_json, a.commit, a.benchmarks, a.templates, out["html"],
                         out["pdf"], a.rulegraph, a.sources)
    print(f"wrote {out['pdf']}: {pages} pages")


if __name__ == "__main__":
    main()
