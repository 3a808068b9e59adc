"""The smoke run's facts for each report section (MNIST), committed in tests/report/fixtures/ so that the rendering
tests run without the DAG. A DAG test (test_committed_section_facts_match_the_smoke_run) fails when they no longer
have the run's keys; then refresh them from a smoke run folder (GENLAB_SMOKE_DIR keeps one):

    python tests/smoke_facts.py /tmp/smoke
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "report/fixtures"
RUN_FILES = {  # report section → its facts file in a run
    "mlp_gan": "results/mlp_gan/mnist/facts.json",
    "gan": "results/gan/mnist/facts.json",
    "inversion": "results/latent/mnist/inversion_facts.json",
    "restoration": "results/latent/mnist/restoration_facts.json",
    "interpolation": "results/ae/mnist/interpolation_facts.json",
    "sampling": "results/ae/mnist/sampling_facts.json",
    "evaluation": "results/evaluation/mnist/facts.json",
    "cnn_layers": "results/cnn_inversion/mnist/layers_facts.json",
    "cnn_tv_sweep": "results/cnn_inversion/mnist/tv_sweep_facts.json",
    "theory": "results/theory/facts.json",
}


def load(section: str) -> dict:
    """A fresh copy of `section`'s committed facts (tests edit what they load)."""
    return json.loads((FIXTURES / f"{section}.json").read_text())


def refresh(run: Path) -> None:
    FIXTURES.mkdir(exist_ok=True)
    for section, file in RUN_FILES.items():
        facts = json.loads((run / file).read_text())
        (FIXTURES / f"{section}.json").write_text(json.dumps(facts, indent=1, sort_keys=True) + "\n")
        print(f"{section}: {run / file}")


if __name__ == "__main__":
    refresh(Path(sys.argv[1]))
