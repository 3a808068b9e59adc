"""The report: sections (a template partial + a facts.json each) → HTML (Jinja2) → PDF (WeasyPrint)."""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import math
import platform
import re
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import jinja2
import pandas as pd
import yaml

from genlab.core.io import atomic_path, read_json
from genlab.findings import noise

LIBRARIES = ("genlab", "torch", "torchvision", "snakemake", "numpy", "pandas", "matplotlib", "weasyprint", "mlxtend",
             "scikit-image")


@dataclass
class Section:
    partial: str  # report/sections/<partial>.html.j2
    facts: dict
    dir: str  # the facts file's folder relative to the report, for figure paths

    def fig(self, name: str) -> str:
        return f"{self.dir}/{self.facts['figures'][name]}"


def config_digest(config: dict) -> str:
    return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:12]


def library_versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def rule_wall_times(benchmarks: Path, exclude: str = "report") -> pd.DataFrame:
    """Wall seconds of every finished job, from Snakemake's benchmark files benchmarks/<rule>/<job>.tsv.

    The `exclude` rule is the one running now: its file, if any, is from an earlier run.
    """
    rows = [
        {"rule": path.parent.name, "job": path.stem, "seconds": float(pd.read_csv(path, sep="\t")["s"].iloc[0])}
        for path in sorted(benchmarks.glob("*/*.tsv"))
        if path.parent.name != exclude
    ]
    return pd.DataFrame(rows, columns=["rule", "job", "seconds"])


def load_sections(pairs: list[tuple[str, str]], report_dir: Path) -> list[Section]:
    sections = []
    for partial, facts_path in pairs:
        rel = Path(facts_path).resolve().parent.relative_to(report_dir.resolve())
        sections.append(Section(partial, read_json(facts_path), rel.as_posix()))
    return sections


def source_of(path: str, sources: list[tuple[str, str]]) -> str | None:
    """The rule whose output pattern matches `path` (wildcards match within one folder level)."""
    for rule, pattern in sources:
        regex = "".join("[^/]+" if part.startswith("{") else re.escape(part)
                        for part in re.split(r"(\{[^}]+\})", pattern))
        if re.fullmatch(regex, path):
            return rule
    return None


FIGURE = re.compile(r'(<figure[^>]*>\s*<img src="([^"]+)">.*?)(</figcaption>)', re.S)


def name_sources(html: str, report_dir: str, sources: list[tuple[str, str]]) -> str:
    """Append to every figure's caption the rule and the file that made it."""
    def caption(match: re.Match) -> str:
        path = f"{report_dir}/{match.group(2)}" if report_dir not in (".", "") else match.group(2)
        rule = source_of(path, sources)
        made = f' <span class="source">[rule <code>{rule}</code>: <code>{path}</code>]</span>' if rule else ""
        return match.group(1) + made + match.group(3)

    return FIGURE.sub(caption, html)


def fixed(x: float, digits: int = 2) -> str:
    """x with `digits` decimals and thousands separators; a value that rounds to zero prints as 0, never -0.0."""
    return f"{0.0 if round(x, digits) == 0 else x:,.{digits}f}"


def significant(x: float, digits: int = 3) -> str:
    """x rounded to `digits` significant digits, in plain notation with thousands separators: 1,870 and 0.054 (in
    scientific notation below 1e-4)."""
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    if abs(x) < 1e-4:  # 0.00000071 reads worse than 7.1e-07
        return f"{x:.{digits - 1}e}"
    decimals = digits - 1 - math.floor(math.log10(abs(x)))
    return f"{round(x, decimals):,.{max(decimals, 0)}f}"


def listing(items) -> str:
    """Names as prose: "a", "a and b", "a, b and c"."""
    items = [str(i) for i in items]
    return " and ".join(items) if len(items) < 3 else f"{', '.join(items[:-1])} and {items[-1]}"


def unknown_verdict(verdict: str) -> str:
    """A template chain's last branch: a verdict with no wording stops the report instead of printing the chain's
    last sentence, a wrong conclusion."""
    raise ValueError(f"no wording for verdict {verdict!r}: add a branch to the section's template")


@functools.cache
def environment(templates: Path) -> jinja2.Environment:
    """One per templates folder: Jinja caches what it compiled there (the tests render each section hundreds of
    times)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates), undefined=jinja2.StrictUndefined, autoescape=True,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["f"] = fixed
    env.globals["unknown_verdict"] = unknown_verdict
    env.filters["g"] = lambda x: f"{x:g}"  # shortest form: 0.01, 1, 100
    env.filters["pct"] = lambda x, digits=0: f"{100 * x:.{digits}f}%"
    env.filters["sig"] = significant
    env.filters["listing"] = listing
    env.filters["p"] = lambda p: "< 0.001" if p < 0.001 else f"= {significant(p, 2)}"  # a p-value as printed
    return env


def render_html(templates: Path, context: dict) -> str:
    return environment(templates).get_template("template.html.j2").render(**context)


def render_partial(templates: Path, partial: str, facts: dict) -> str:
    """One section alone, from its facts: what the tests render for every verdict."""
    return environment(templates).get_template(f"sections/{partial}.html.j2").render(s=Section(partial, facts, "."))


def build_report(
    sections: list[tuple[str, str]], datasets: list[str], config: dict, commit: str,
    benchmarks: str, templates: str, html: str, pdf: str, rulegraph: str, sources: list[tuple[str, str]],
) -> int:
    """Write the HTML and the PDF; returns the PDF's page count."""
    import weasyprint  # heavy import, only where a PDF is made

    report_dir = Path(html).parent
    times = rule_wall_times(Path(benchmarks))
    loaded = load_sections(sections, report_dir)
    context = {
        "generated": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "config_digest": config_digest(config),
        "config_yaml": yaml.safe_dump(config, sort_keys=False),
        "versions": library_versions(),
        "datasets": [read_json(p) for p in datasets],
        "devices": sorted({s.facts["device"] for s in loaded}),  # every section's, from the one facts envelope
        "times": times.to_dict("records"),
        "total_seconds": float(times["seconds"].sum()),
        "sections": loaded,
        "rulegraph": Path(rulegraph).resolve().relative_to(report_dir.resolve()).as_posix(),
        "rule": {"z": noise.Z, "alpha": noise.ALPHA, "min_n": noise.MIN_N, "power": noise.POWER},
    }
    text = name_sources(render_html(Path(templates), context), report_dir.as_posix(), sources)
    with atomic_path(html) as tmp:
        tmp.write_text(text)
    document = weasyprint.HTML(string=text, base_url=str(report_dir.resolve()) + "/").render()
    with atomic_path(pdf) as tmp:
        document.write_pdf(tmp)
    return len(document.pages)
