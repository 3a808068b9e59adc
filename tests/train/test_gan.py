from __future__ import annotations

import pytest
import torch
from conftest import CONFIG

from genlab.models.nets import MLPDiscriminator, MLPGenerator, init_normal_
from genlab.train import gan as train
from genlab.train.gan import GANTrainConfig, train_gan

SHAPE = (1, 8, 8)


def _setup(seed: int = 0):
    torch.manual_seed(seed)
    gen = init_normal_(MLPGenerator(6, 16, SHAPE), 0.075)
    disc = init_normal_(MLPDiscriminator(16, SHAPE), 0.075)
    images = torch.randint(0, 256, (50, *SHAPE), dtype=torch.uint8, generator=torch.Generator().manual_seed(1))
    return gen, disc, images


def _cfg(**kw) -> GANTrainConfig:
    return GANTrainConfig(**{**CONFIG["mlp_gan"]["train"], "steps": 40, "batch_size": 8, "log_every": 5,
                             "grid_every": 20, "grid_size": 4, "checkpoint_every": 20, **kw})


@pytest.mark.parametrize("loss, k", [("nonsaturating", 1), ("saturating", 2), ("least_squares", 3)])
def test_one_step_changes_both_networks_and_stays_finite(tmp_path, loss, k):
    gen, disc, images = _setup()
    before = [p.clone() for p in (*gen.parameters(), *disc.parameters())]
    result = train_gan(gen, disc, images, _cfg(steps=1, loss=loss, d_steps=k), tmp_path / "r.pt", progress=False)
    after = list((*gen.parameters(), *disc.parameters()))
    assert all(not torch.equal(b, a) for b, a in zip(before, after, strict=True))
    assert all(torch.isfinite(p).all() for p in after)
    row = result.history.iloc[0]
    assert row["step"] == 1 and torch.isfinite(torch.tensor(row[["d_loss", "g_loss", "g_grad_norm"]].tolist())).all()
    assert result.diverged_at is None and list(result.grids) == [1]


def test_same_seed_same_numbers_on_cpu(tmp_path):
    runs = [train_gan(*_setup(), _cfg(), tmp_path / f"r{i}.pt", progress=False) for i in range(2)]
    assert runs[0].history.equals(runs[1].history)
    assert runs[0].history["d_loss"].nunique() > 1  # the losses moved


def test_killed_run_resumes_from_its_checkpoint_and_matches(tmp_path, monkeypatch):
    straight = train_gan(*_setup(), _cfg(), tmp_path / "straight.pt", progress=False)

    real_save = train.checkpoint.save

    def save_then_die(path, state):
        real_save(path, state)
        raise KeyboardInterrupt("killed right after the step-20 checkpoint")

    monkeypatch.setattr(train.checkpoint, "save", save_then_die)
    resume = tmp_path / "resume.pt"
    with pytest.raises(KeyboardInterrupt):
        train_gan(*_setup(), _cfg(), resume, progress=False)
    monkeypatch.setattr(train.checkpoint, "save", real_save)
    assert resume.exists()

    gen, disc, images = _setup(seed=123)  # fresh weights: everything must come from the resume state
    resumed = train_gan(gen, disc, images, _cfg(), resume, progress=False)
    assert resumed.history.equals(straight.history)
    assert sorted(resumed.grids) == [20, 40]
    torch.testing.assert_close(resumed.grids[40], straight.grids[40])


def test_divergence_stops_the_run_and_is_reported(tmp_path):
    gen, disc, images = _setup()
    with torch.no_grad():
        disc.net[0].weight.fill_(float("nan"))
    result = train_gan(gen, disc, images, _cfg(), tmp_path / "r.pt", progress=False)
    assert result.diverged_at == 1 and len(result.history) == 1  # step 1 is always logged
    assert list(result.grids) == [1]  # the samples G made when the run stopped, for the report
