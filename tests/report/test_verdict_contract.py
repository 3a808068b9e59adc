"""The verdicts are a contract between src/genlab/findings/ and report/sections/: every verdict a findings module
declares (its VERDICTS, built from Literal types) is worded in its section's template, every verdict a template words
is declared, every chain of verdict branches ends in render.unknown_verdict (which raises), and the findings return
only declared verdicts. A verdict renamed in one place fails here instead of printing a chain's last sentence.

The templates are read with Jinja's parser: a comparison of a string with `<x>.verdict` (or with a decision the
findings hand over as a bare word, such as cnn_inversion's `hf`) is a wording of that verdict, `x` resolved through
the template's `set` and `for` assignments to its path in the facts.
"""

from __future__ import annotations

import importlib
import pkgutil
import typing
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from jinja2 import nodes

import genlab.findings
from genlab.findings import (
    cnn_inversion,
    evaluation,
    gan,
    interpolation,
    inversion,
    mlp_gan,
    noise,
    restoration,
    sampling,
    training,
)
from genlab.report.render import environment

REPORT = Path(__file__).resolve().parents[2] / "report"

# each section's template and the findings modules whose decisions it words
SECTIONS = {
    "cnn_layers": [cnn_inversion], "cnn_tv_sweep": [cnn_inversion], "evaluation": [evaluation], "gan": [gan],
    "interpolation": [interpolation], "inversion": [inversion], "mlp_gan": [training, mlp_gan],
    "restoration": [restoration], "sampling": [sampling], "theory": [],
}
# where a step puts a decision under a key other than its own (the path in the facts → the module's VERDICTS key)
PLACED = {
    "findings": "verdict",  # a section's own conclusion, findings["verdict"] (interpolation, restoration)
    "memorisation.coverage.findings": "coverage",  # steps/nearest_fakes.py
    "findings.independence.moments": "independence",  # steps/sampling.py, one per autoencoder; the moment AE's words
}
# declared verdicts a template words together with others on purpose, not in a sentence of their own
UNWORDED = {
    ("cnn_inversion", "hf_slope"): {"higher", "lower"},  # the sentence quotes the slope, whichever its sign
    ("cnn_inversion", "fit"): {"some", "none", "too_few_to_tell"},  # a clause added only when every layer fits better
}
# string comparisons in the templates that are settings, not verdicts
SETTINGS = {"weights", "optimizer"}


def _name(module) -> str:
    return module.__name__.rsplit(".", 1)[1]


class Wording(typing.NamedTuple):
    section: str
    path: tuple[str, ...]  # in the facts, from s.facts; "*" for a key chosen at render time
    field: str  # "verdict", or the decision's own key where the findings hand over a bare word
    value: str
    line: int


def _paths(node, aliases: dict) -> list[tuple[str, ...]]:
    """Where in the context an expression points: `s.facts.findings.depth` → ("s", "facts", "findings", "depth")."""
    if isinstance(node, nodes.Name):
        return aliases.get(node.name, [(node.name,)])
    if isinstance(node, nodes.Getattr):
        return [p + (node.attr,) for p in _paths(node.node, aliases)]
    if isinstance(node, nodes.Getitem):
        key = node.arg.value if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str) else "*"
        return [p + (key,) for p in _paths(node.node, aliases)]
    if isinstance(node, nodes.CondExpr):
        return _paths(node.expr1, aliases) + (_paths(node.expr2, aliases) if node.expr2 is not None else [])
    return []


def _bind(target, values: list, aliases: dict, literals: dict) -> None:
    """A `set` or `for` target bound to the expressions it takes (several for a loop over a literal)."""
    if isinstance(target, nodes.Name):
        found = [p for v in values for p in _paths(v, aliases)]
        aliases[target.name] = found or [(target.name,)]
        if len(values) == 1 and isinstance(values[0], nodes.Dict):
            literals[target.name] = values[0]
    elif isinstance(target, nodes.Tuple):
        for i, item in enumerate(target.items):
            parts = [v.items[i] for v in values if isinstance(v, nodes.Tuple | nodes.List) and len(v.items) > i]
            _bind(item, parts, aliases, literals)


def _loop_values(node: nodes.For) -> list:
    """What a loop's target takes: the items of a literal, a dict's (key, value) pairs, or an element of a list."""
    it = node.iter
    if isinstance(it, nodes.Tuple | nodes.List):
        return list(it.items)
    if isinstance(it, nodes.Call) and isinstance(it.node, nodes.Getattr) and it.node.attr == "items":
        return [nodes.Tuple([nodes.Const("*"), nodes.Getitem(it.node.node, nodes.Const("*"), "load")], "load")]
    return [nodes.Getitem(it, nodes.Const("*"), "load")]


def _compared(node: nodes.Compare, aliases: dict, literals: dict):
    """(subject path, string) of every `x == "s"`, `x != "s"` and `x in {"s": ...}` in one comparison."""
    left = node.expr
    for op in node.ops:
        right = op.expr
        if op.op in ("eq", "ne"):
            for subject, const in ((left, right), (right, left)):
                if isinstance(const, nodes.Const) and isinstance(const.value, str):
                    yield from ((p, const.value) for p in _paths(subject, aliases))
        elif op.op in ("in", "notin") and isinstance(right, nodes.Name) and right.name in literals:
            for pair in literals[right.name].items:
                if isinstance(pair.key, nodes.Const):
                    yield from ((p, pair.key.value) for p in _paths(left, aliases))
        left = right


def _walk(node, section: str, aliases: dict, literals: dict, found: list, chains: list) -> None:
    if isinstance(node, nodes.Assign):
        _walk(node.node, section, aliases, literals, found, chains)
        values = node.node.items if isinstance(node.node, nodes.Tuple) and isinstance(node.target, nodes.Tuple) \
            else [node.node]
        if isinstance(node.target, nodes.Tuple) and isinstance(node.node, nodes.Tuple):
            for target, value in zip(node.target.items, values, strict=True):
                _bind(target, [value], aliases, literals)
        else:
            _bind(node.target, values, aliases, literals)
        return
    if isinstance(node, nodes.For):
        _walk(node.iter, section, aliases, literals, found, chains)
        _bind(node.target, _loop_values(node), aliases, literals)
        for child in node.body + node.else_:
            _walk(child, section, aliases, literals, found, chains)
        return
    if isinstance(node, nodes.If) and node.elif_:
        chains.append((section, node))
    if isinstance(node, nodes.Compare):
        for path, value in _compared(node, aliases, literals):
            if path[:2] == ("s", "facts"):
                found.append(Wording(section, path[2:-1], path[-1], value, node.lineno))
            else:
                found.append(Wording(section, path, "", value, node.lineno))
    for child in node.iter_child_nodes():
        _walk(child, section, aliases, literals, found, chains)


def _parse(section: str) -> tuple[list[Wording], list]:
    source = (REPORT / "sections" / f"{section}.html.j2").read_text()
    found, chains = [], []
    _walk(environment(REPORT).parse(source), section, {}, {}, found, chains)
    return found, chains


def _decision_key(w: Wording, section: str) -> str | None:
    """The VERDICTS key a wording compares against, None for a comparison that is no verdict's."""
    declared = {key for module in SECTIONS[section] for key in module.VERDICTS}
    if w.field == "verdict":
        holder = ".".join(w.path)
        if holder in PLACED:
            return PLACED[holder]
        return next(p for p in reversed(w.path) if p != "*")
    return w.field if w.field in declared else None


def _wordings() -> dict[str, list[tuple[str, Wording]]]:
    """Per section: (the VERDICTS key, the wording) of every verdict comparison its template makes."""
    out = {}
    for section in SECTIONS:
        found, _ = _parse(section)
        out[section] = [(_decision_key(w, section), w) for w in found]
    return out


WORDINGS = _wordings()


def _module_of(section: str, key: str):
    owners = [m for m in SECTIONS[section] if key in m.VERDICTS]
    assert len(owners) <= 1, f"{section}: {key!r} is declared by {[_name(m) for m in owners]}"
    return owners[0] if owners else None


def test_every_template_and_every_findings_module_is_in_the_contract():
    templates = {p.name.removesuffix(".html.j2") for p in (REPORT / "sections").glob("*.html.j2")}
    assert templates == set(SECTIONS)
    modules = {name for _, name, _ in pkgutil.iter_modules(genlab.findings.__path__)}
    in_sections = {_name(m) for ms in SECTIONS.values() for m in ms}
    assert modules - {"noise"} == in_sections
    for name in modules:
        verdicts = importlib.import_module(f"genlab.findings.{name}").VERDICTS
        assert verdicts and all(values and all(isinstance(v, str) for v in values) for values in verdicts.values())


def test_every_declared_verdict_has_wording_in_its_template():
    missing = []
    for module in {m for ms in SECTIONS.values() for m in ms}:
        sections = [s for s, ms in SECTIONS.items() if module in ms]
        for key, values in module.VERDICTS.items():
            worded = {w.value for s in sections for k, w in WORDINGS[s] if k == key and _module_of(s, k) is module}
            exempt = UNWORDED.get((_name(module), key), set())
            assert exempt <= set(values) - worded, f"UNWORDED is stale for {_name(module)}.{key}"
            missing += [f"{_name(module)}.VERDICTS[{key!r}]: {v!r} (template: {', '.join(sections)})"
                        for v in values if v not in worded | exempt]
    assert not missing, "declared verdicts with no wording:\n" + "\n".join(missing)


def test_every_verdict_a_template_words_is_declared():
    undeclared = []
    for section, found in WORDINGS.items():
        for key, w in found:
            where = f"{section}.html.j2:{w.line}: {'.'.join(w.path + (w.field,))} == {w.value!r}"
            if key is None:
                if w.field not in SETTINGS and (not w.path or w.path[-1] not in SETTINGS):
                    undeclared.append(f"{where}: compares a string with something no findings module declares")
                continue
            module = _module_of(section, key)
            if module is None:
                undeclared.append(f"{where}: no findings module of this section declares {key!r}")
            elif w.value not in module.VERDICTS[key]:
                undeclared.append(f"{where}: not in {_name(module)}.VERDICTS[{key!r}]")
    assert not undeclared, "template wordings no findings module declares:\n" + "\n".join(undeclared)


def _raises(branch: list) -> bool:
    return any(isinstance(call.node, nodes.Name) and call.node.name == "unknown_verdict"
               for node in branch for call in node.find_all(nodes.Call))


def test_every_chain_of_verdict_branches_ends_in_a_branch_that_raises():
    open_chains = []
    for section in SECTIONS:
        _, chains = _parse(section)
        for _, chain in chains:
            tests = [chain.test] + [branch.test for branch in chain.elif_]
            on_verdicts = any(isinstance(t, nodes.Compare) and any(
                isinstance(n, nodes.Getattr) and n.attr == "verdict" for n in t.find_all(nodes.Getattr))
                for t in tests)
            if on_verdicts and not _raises(chain.else_):
                open_chains.append(f"{section}.html.j2:{chain.lineno}")
    assert not open_chains, "chains whose last branch words whatever verdict comes: " + ", ".join(open_chains)


def test_the_shared_words_are_noises_constants():
    assert noise.NO_CLEAR in typing.get_args(noise.Comparison)
    assert noise.TOO_FEW in typing.get_args(noise.Paired)
    assert gan.TOO_FEW in gan.VERDICTS["by_k"]


# the findings return only declared verdicts: a few representative calls of each function, each checked against its
# return annotation (noise.Decision[<its Literal>]), and the facts the sections read checked against VERDICTS

def _declared(fn) -> tuple[str, ...]:
    (literal,) = typing.get_args(typing.get_type_hints(fn)["return"])
    return typing.get_args(literal)


def _check(fn, *args):
    found = fn(*args)
    assert found["verdict"] in _declared(fn), f"{fn.__module__}.{fn.__name__} returned {found['verdict']!r}"
    return found


def _check_facts(module, found, top: bool = True) -> int:
    """Every decision VERDICTS names, wherever it sits in a findings result, holds a declared verdict (the key
    "verdict" names the section's own conclusion only at the top)."""
    checked = 0
    if isinstance(found, dict):
        for key, value in found.items():
            if key in module.VERDICTS and (top or key != "verdict"):
                # a bare word, one decision, or one per item (inversion's spearman: one per image attribute)
                held = [value] if not isinstance(value, dict) else [value] if "verdict" in value else value.values()
                for one in held:
                    verdict = one["verdict"] if isinstance(one, dict) else one
                    assert verdict in module.VERDICTS[key], f"{_name(module)}: {key} = {verdict!r}"
                    checked += 1
            checked += _check_facts(module, value, top=False)
    return checked


SEEDS = range(6)


@pytest.fixture(autouse=True)
def _quick_kruskal_power(monkeypatch):
    """by_class's detectable shift is a 4,000-test simulation per class size, a number and no verdict: skipped here."""
    monkeypatch.setattr(inversion, "kruskal_detectable", lambda sizes: 1.0)


def _effect(rng, n: int, scale: float = 1.0) -> np.ndarray:
    return rng.choice([-3.0, 0.0, 3.0]) * scale + rng.normal(0, scale, n)


@pytest.mark.parametrize("seed", SEEDS)
def test_noise_and_the_small_comparisons_return_declared_verdicts(seed):
    rng = np.random.default_rng(seed)
    for n in (2, 8):
        _check(noise.paired, _effect(rng, n), np.zeros(n))
        _check(restoration.mean_gain, _effect(rng, n))
        _check(sampling.coverage, _effect(rng, n), np.zeros(n))
        _check(sampling.across_seeds, _effect(rng, n))
        _check(inversion.code_norm, np.abs(_effect(rng, n, 3)) + 8, 10)
        _check(inversion.restarts, np.exp(np.abs(_effect(rng, n, 0.1))))
        _check(inversion.scale, rng.uniform(0.5, 0.9, n), rng.uniform(0.5, 0.9, n))
        _check(inversion.spearman, rng.uniform(-1, 1), n)
        _check(sampling.independence, rng.normal(size=(n * 50, 4)) @ rng.normal(size=(4, 4)) ** rng.integers(0, 2))
    _check(noise.difference, *rng.normal(0, 3, 2) * [1, 0] + [0, 1], 0.0, 1.0)
    _check(inversion.by_class, rng.normal(1, 0.1, 30) + np.repeat([0, rng.choice([0, 1])], 15), np.repeat([0, 1], 15))
    _check(mlp_gan.coverage, list(rng.dirichlet(np.ones(10) * rng.choice([0.2, 50]))), 1000)
    cells = [{"fakes": 40, "held_out": 25, "z": rng.choice([-3, 0, 3]) + rng.normal(), "u": 500.0} for _ in range(8)]
    _check(mlp_gan.copying, cells, 320, 200, 1000, {"fakes": rng.choice([50, 200]), "held_out": 200, "compared": 200})


@pytest.mark.parametrize("seed", SEEDS)
def test_the_training_history_returns_declared_verdicts(seed):
    rng = np.random.default_rng(seed)
    d_fake = np.clip(rng.choice([0.5, 0.2, 0.01]) + np.cumsum(rng.normal(0, 0.02, 200)), 0, 1)
    d_real = np.clip(d_fake + rng.uniform(0, 1), 0, 1)
    _check(training.recovery, pd.DataFrame({"step": np.arange(200), "d_fake": d_fake, "d_real": d_real}))
    for gap in (0.95, 0.5, training.AHEAD, 0.05):  # D separates, ahead, on the line, near the equilibrium
        tail = pd.DataFrame({"d_fake": np.zeros(20), "d_real": gap + rng.normal(0, 0.05, 20)})
        _check(training.balance, tail.iloc[-rng.choice([2, 20]):])
    for end in (1.0, 0.85, 0.65, 0.2):  # as varied, unclear, less varied, collapsed
        grids = [[step, end + rng.normal(0, 0.05)] for step in range(rng.choice([3, 10]))]
        _check(training.diversity, grids, 1.0)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_evaluation_returns_declared_verdicts(seed):
    rng = np.random.default_rng(seed)

    def row(model, fid, seeds=1):
        return {"model": model, "n_seeds": seeds, "fid": {"mean": fid, "std": 2.0 if seeds > 1 else None},
                "fid_boot_std": 1.0}

    rows = [row("floor", rng.choice([5.0, 90.0])), row("ceiling", 100.0)]
    rows += [row(f"m{i}", rng.uniform(20, 120), seeds=rng.choice([1, 3])) for i in range(rng.integers(0, 4))]
    trunc = [{"threshold": t, "precision": 0.5 + rng.choice([-0.1, 0, 0.1]), "recall": 0.5 + rng.choice([-0.1, 0, 0.1]),
              "fid": rng.uniform(10, 30), "precision_se_vs_none": 0.02, "recall_se_vs_none": 0.02}
             for t in (None, 0.5, 1.0)[: rng.integers(2, 4)]]
    trunc[0].update(precision=0.5, recall=0.5)
    found = evaluation.evaluation_findings(rows, trunc, 1000)
    assert _check_facts(evaluation, found) >= 3


@pytest.mark.parametrize("seed", SEEDS)
def test_the_gan_section_returns_declared_verdicts(seed):
    rng = np.random.default_rng(seed)
    runs = int(rng.choice([1, 6]))
    losses = [{"loss": loss, "n_saturated": int(rng.integers(0, runs + 1)), "n_runs": runs}
              for loss in ("saturating", "nonsaturating", "least_squares")]
    ks = [{"k": k, "n_saturated": int(rng.integers(0, runs + 1)), "n_runs": runs} for k in (1, 5)[: rng.integers(1, 3)]]
    retrain = [{"generator_seed": g, "d_seed": 0, "stage": st, "d_fake_tail": rng.choice([0.001, 0.1]),
                "grad": {loss: {"decades": rng.normal(shift, 0.3), "rose": True}
                         for loss, shift in (("saturating", rng.choice([-2, 0])), ("nonsaturating", -0.2),
                                             ("least_squares", -0.2))}}
               for g in range(rng.choice([2, 4])) for st in (100, 200)]
    assert _check_facts(gan, gan.gan_findings(losses, ks, retrain)) == 4


def _masks(rng, kinds: dict, n: int) -> dict:
    return {mask: {"kind": kind, "generator": rng.normal(20, 1, n) + rng.choice([-3, 0, 3]),
                   "mean": rng.normal(20, 1, n), "nearest": rng.normal(20, 1, n)} for mask, kind in kinds.items()}


@pytest.mark.parametrize("seed", SEEDS)
def test_the_latent_sections_return_declared_verdicts(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.choice([2, 12]))
    images = {key: np.abs(_effect(rng, n)) + 1 for key in ("no_prior_mse", "prior_mse", "nearest_mse", "ink",
                                                          "high_freq")}
    images |= {"z_norm_no_prior": np.abs(_effect(rng, n)) + 9, "restart_spread": np.exp(np.abs(_effect(rng, n, 0.1))),
               "fine_share": rng.uniform(0.5, 0.9, n), "shuffled_fine_share": rng.uniform(0.5, 0.9, n),
               "error_share": rng.uniform(0.2, 0.8, n), "area_share": rng.uniform(0.2, 0.8, n)}
    found = inversion.inversion_findings(images, 100, np.arange(n) % 2)
    assert _check_facts(inversion, found) == 9  # spearman: one per attribute

    frame = pd.DataFrame([{"pair": p, "model": m, "nn_distance": rng.normal(5), "length_ratio": 1 + rng.uniform(),
                           "confidence": rng.uniform()} for p in range(n) for m in ("GAN", "AE")])
    assert _check_facts(interpolation, interpolation.interpolation_findings(frame)) == 3
    assert _check_facts(interpolation, interpolation.interpolation_findings(frame.drop(columns="confidence"))) == 3

    kinds = {"centre": "block", "random": "random", "half": rng.choice(["block", "random"])}
    _check(restoration.shape_effect, {mask: {**m, "kind": "block"} for mask, m in _masks(rng, kinds, n).items()})
    found = _check(restoration.restoration_findings, _masks(rng, kinds, n))
    assert _check_facts(restoration, found) == 2 + 2 * len(kinds)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_cnn_sections_return_declared_verdicts(seed):
    rng = np.random.default_rng(seed)
    layers = ["conv1", "pool1", "conv2", "conv3", "pool2"]
    lambda_tv = dict(zip(layers, [1, 1, 10, 10, 10] if seed % 2 else [1, 10, 100, 1000, 10000], strict=True))
    images = [f"i{k}" for k in range(int(rng.choice([2, 6])))]
    natural = images[: len(images) // 2]
    frame = pd.DataFrame([{"image": im, "layer": la, "psnr": 30 - rng.choice([0, 2]) * d + rng.normal(),
                           "feature_error": abs(rng.normal(0.05, 0.04)), "ssim": 0.5, "high_freq": 1.0}
                          for im in images for d, la in enumerate(layers)])
    assert _check_facts(cnn_inversion, cnn_inversion.layer_verdicts(frame, layers, natural, lambda_tv)) == 4
    sweep = pd.DataFrame([{"image": im, "layer": la, "lambda_tv": lam, "psnr": 20 + rng.normal(),
                           "feature_error": 0.1 * lam ** rng.choice([0, 0.5]) + abs(rng.normal(0, 0.01)),
                           "high_freq": lam ** -rng.choice([0, 1]) * np.exp(rng.normal(0, 0.1))}
                          for im in images for la in ("conv2", "conv4") for lam in (0.1, 1.0, 10.0)])
    assert _check_facts(cnn_inversion, cnn_inversion.tv_verdicts(sweep)) == 2 * 2 + 3
