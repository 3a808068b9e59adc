from __future__ import annotations

import warnings
from dataclasses import replace

import pandas as pd
import pytest
import torch
from conftest import CONFIG

from genlab.models.nets import MLPDiscriminator, MLPGenerator, build_gans, init_normal_
from genlab.train import gan as train
from genlab.train.gan import GANTrainConfig, train_gans

SHAPE = (1, 8, 8)


def _setup(seed: int = 0):
    torch.manual_seed(seed)
    gen = init_normal_(MLPGenerator(6, 16, SHAPE), 0.075)
    disc = init_normal_(MLPDiscriminator(16, SHAPE), 0.075)
    images = torch.randint(0, 256, (50, *SHAPE), dtype=torch.uint8, generator=torch.Generator().manual_seed(1))
    return gen, disc, images


def train_gan(gen, disc, images, cfg, resume, progress=False):
    """One run: a group of one."""
    (result,) = train_gans([gen], [disc], images, [cfg], resume, progress=progress)
    return result


def _cfg(**kw) -> GANTrainConfig:
    return GANTrainConfig(**{**CONFIG["mlp_gan"]["train"], "steps": 40, "batch_size": 8, "log_every": 5,
                             "grid_every": 20, "grid_size": 4, "checkpoint_every": 20, **kw})


@pytest.mark.parametrize("loss, k", [("nonsaturating", 1), ("saturating", 2), ("least_squares", 3)])
def test_one_step_changes_both_networks_and_stays_finite(tmp_path, loss, k):
    gen, disc, images = _setup()
    before = [p.clone() for p in (*gen.parameters(), *disc.parameters())]
    result = train_gan(gen, disc, images, _cfg(steps=1, loss=loss, d_steps=k), tmp_path / "r.pt", progress=False)
    after = list((*result.gen.parameters(), *result.disc.parameters()))
    assert all(not torch.equal(b, a) for b, a in zip(before, after, strict=True))
    assert all(torch.isfinite(p).all() for p in after)
    row = result.history.iloc[0]
    assert row["step"] == 1 and torch.isfinite(torch.tensor(row[["d_loss", "g_loss", "g_grad_norm"]].tolist())).all()
    assert result.diverged_at is None and list(result.grids) == [1]


def test_same_seed_same_numbers_on_cpu(tmp_path):
    runs = [train_gan(*_setup(), _cfg(), tmp_path / f"r{i}.pt", progress=False) for i in range(2)]
    assert runs[0].history.equals(runs[1].history)
    assert runs[0].history["d_loss"].nunique() > 1  # the losses moved


def _kill_after_first_checkpoint(monkeypatch, training) -> None:
    """Run `training` until its first resume checkpoint is written, then kill it there."""
    real_save = train.checkpoint.save

    def save_then_die(path, state):
        real_save(path, state)
        raise KeyboardInterrupt("killed right after the first checkpoint")

    monkeypatch.setattr(train.checkpoint, "save", save_then_die)
    with pytest.raises(KeyboardInterrupt):
        training()
    monkeypatch.setattr(train.checkpoint, "save", real_save)


def test_killed_run_resumes_from_its_checkpoint_and_matches(tmp_path, monkeypatch):
    straight = train_gan(*_setup(), _cfg(), tmp_path / "straight.pt", progress=False)

    resume = tmp_path / "resume.pt"
    _kill_after_first_checkpoint(monkeypatch, lambda: train_gan(*_setup(), _cfg(), resume, progress=False))
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


CONV_SHAPE = (1, 28, 28)
GROUP = [("saturating", 0), ("nonsaturating", 1), ("least_squares", 2), ("nonsaturating", 3)]


def _conv_group(steps: int = 30):
    """Conv nets for each (loss, seed) of GROUP, each initialised from its own seed, and their configs."""
    net = {"base_filters": 8, "latent_dim": {"28": 6}}
    nets = build_gans("conv", net, CONV_SHAPE, [seed for _, seed in GROUP])
    cfgs = [_cfg(steps=steps, loss=loss, seed=seed, d_steps=2, log_every=5, grid_every=10, checkpoint_every=20)
            for loss, seed in GROUP]
    images = torch.randint(0, 256, (60, *CONV_SHAPE), dtype=torch.uint8, generator=torch.Generator().manual_seed(2))
    return [g for g, _ in nets], [d for _, d in nets], images, cfgs


def test_a_stacked_group_reproduces_each_run_trained_alone(tmp_path):
    """M = 4 conv GANs with three different losses trained as one stack: every run's history, grids, snapshots
    and final nets (BatchNorm's running statistics included) equal the run trained by itself, to float tolerance.

    Alone, a run is a group of one and calls its nets directly (plain convolutions); stacked, they are grouped
    convolutions in another memory layout, which sum in another order, so the two differ by rounding, and GAN
    training amplifies that (in one run, ~1e-7 at step 20 grew to ~2e-3 in ‖∇G‖ by step 30; in the least-squares
    run on one thread, weights differed by up to 2.9e-5 of their tensor's 0.10 at step 20). So step 1 must agree to
    rounding, the histories to rtol 1e-4, and 20 steps later the weights to 1e-3 of each tensor's largest entry (3.6x
    the worst seen). A real coupling between runs (a wrong slice, loss, generator or Adam state) differs by O(1) at
    step 1 or in the histories; tests/train/test_stack.py holds each stacked call to rounding."""
    gens, discs, images, cfgs = _conv_group(steps=20)
    stacked = train_gans(gens, discs, images, cfgs, tmp_path / "group.pt", progress=False)
    for m, cfg in enumerate(cfgs):
        g, d, _, _ = _conv_group(steps=20)
        alone = train_gan(g[m], d[m], images, cfg, tmp_path / f"alone{m}.pt")
        pd.testing.assert_frame_equal(stacked[m].history.iloc[:1], alone.history.iloc[:1], rtol=1e-5, atol=1e-6)
        pd.testing.assert_frame_equal(stacked[m].history, alone.history, rtol=1e-4, atol=1e-5)
        assert alone.history["d_loss"].nunique() > 1
        assert sorted(stacked[m].grids) == sorted(alone.grids) == [10, 20]
        assert (stacked[m].grids[20].int() - alone.grids[20].int()).abs().max() <= 1  # uint8 rounding
        # the final nets and G's snapshots hold the same weights and BatchNorm statistics. Except two: the bias
        # before G's BatchNorm has a gradient of pure rounding noise, which Adam scales up to full steps, so it
        # (and the running mean that tracks it) differs between any two float orders; in training mode it cancels.
        noise_driven = {"deconv.0.bias", "deconv.1.running_mean"}
        pairs = [(stacked[m].gen.state_dict(), alone.gen.state_dict()), (stacked[m].disc.state_dict(),
                 alone.disc.state_dict()), *((stacked[m].snapshots[t], alone.snapshots[t]) for t in (10, 20))]
        for ours, ref in pairs:
            assert ours.keys() == ref.keys()
            for name in ours.keys() - noise_driven:
                scale = ref[name].abs().max().item() if ref[name].is_floating_point() else 0
                torch.testing.assert_close(ours[name], ref[name], rtol=1e-4, atol=1e-3 * scale, msg=name)
        z = torch.randn(16, 6, generator=torch.Generator().manual_seed(5))
        with torch.no_grad():
            torch.testing.assert_close(stacked[m].gen(z), alone.gen(z), rtol=1e-4, atol=1e-3)  # images in [0, 1]
    # the runs differ from one another: stacking did not tie them together
    assert not stacked[1].history["g_loss"].equals(stacked[3].history["g_loss"])


def test_a_killed_group_resumes_every_run(tmp_path, monkeypatch):
    straight = train_gans(*_conv_group(), tmp_path / "straight.pt", progress=False)

    resume = tmp_path / "resume.pt"
    _kill_after_first_checkpoint(monkeypatch, lambda: train_gans(*_conv_group(), resume, progress=False))

    gens, discs, images, cfgs = _conv_group()
    for net in (*gens, *discs):  # fresh weights: everything must come from the resume state
        for p in net.parameters():
            torch.nn.init.normal_(p)
    resumed = train_gans(gens, discs, images, cfgs, resume, progress=False)
    for a, b in zip(resumed, straight, strict=True):
        assert a.history.equals(b.history)
        assert sorted(a.grids) == [10, 20, 30] and torch.equal(a.grids[30], b.grids[30])
        assert torch.equal(a.gen.deconv[1].running_mean, b.gen.deconv[1].running_mean)


def test_one_diverging_run_leaves_the_others_untouched(tmp_path):
    gens, discs, images, cfgs = _conv_group()
    with torch.no_grad():
        discs[2].head.weight.fill_(float("nan"))
    results = train_gans(gens, discs, images, cfgs, tmp_path / "r.pt", progress=False)
    assert results[2].diverged_at == 1 and len(results[2].history) == 1 and list(results[2].grids) == [1]
    clean = train_gans(*_conv_group(), tmp_path / "clean.pt", progress=False)
    for m in (0, 1, 3):
        assert results[m].diverged_at is None
        pd.testing.assert_frame_equal(results[m].history, clean[m].history)


def test_runs_that_differ_beyond_loss_and_seed_are_not_stacked(tmp_path):
    gens, discs, images, cfgs = _conv_group()
    cfgs[1] = _cfg(steps=31, loss="saturating", seed=1)
    with pytest.raises(ValueError, match="share every setting but loss and seed"):
        train_gans(gens, discs, images, cfgs, tmp_path / "r.pt", progress=False)


def test_a_resume_state_from_another_config_or_device_is_ignored(tmp_path, capsys):
    """A quick-config state, or one written on another kind of device, must not continue this run."""
    resume = tmp_path / "resume.pt"
    straight = train_gan(*_setup(), _cfg(), tmp_path / "straight.pt")
    state = {"device_type": "cuda", "config": {"shared": {}, "runs": []}, "step": 20}
    train.checkpoint.save(resume, state)
    again = train_gan(*_setup(), _cfg(), resume)
    assert "ignoring" in capsys.readouterr().out
    assert again.history.equals(straight.history)


def test_a_resume_state_cut_short_is_ignored_aloud(tmp_path, capsys):
    """A state a full disk cut short cannot be read: the run starts afresh and says why, rather than raising on every
    rerun until someone deletes the file by hand."""
    resume = tmp_path / "resume.pt"
    straight = train_gan(*_setup(), _cfg(), tmp_path / "straight.pt")
    train.checkpoint.save(resume, {"device_type": "cpu", "config": {}, "step": 20, "pad": torch.zeros(1000)})
    resume.write_bytes(resume.read_bytes()[:300])
    again = train_gan(*_setup(), _cfg(), resume)
    assert "cannot be read" in capsys.readouterr().out
    assert again.history.equals(straight.history)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="host syncs are a CUDA matter (CI has no GPU; "
                    "scripts/gpu_check.sh runs this on one)")
def test_on_cuda_a_stacked_run_syncs_the_host_only_where_it_logs(tmp_path):
    """Between log, grid and checkpoint steps the stacked step never waits for the GPU: a run twice as long,
    logging at the same steps (its first and last), makes as many synchronising calls."""
    def syncs(steps: int) -> int:
        gens, discs, images, cfgs = _conv_group()
        cfgs = [replace(c, steps=steps, log_every=steps, grid_every=steps, checkpoint_every=steps) for c in cfgs]
        torch.cuda.set_sync_debug_mode("warn")
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                train_gans([g.cuda() for g in gens], [d.cuda() for d in discs], images.cuda(), cfgs,
                           tmp_path / f"{steps}.pt", progress=False)
        finally:
            torch.cuda.set_sync_debug_mode("default")
        return sum("synchronizing" in str(w.message) for w in caught)

    syncs(20)  # warm-up: the first CUDA calls may sync while they set up
    counted = syncs(20)
    assert counted >= 2  # the log steps' copies to the host are counted: the check sees syncs at all
    assert syncs(40) == counted
