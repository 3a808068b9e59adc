from __future__ import annotations

import pytest
import torch

from genlab.train.losses import LOSSES

# within ±15 the float64 closed forms are themselves accurate; the implementation stays finite far beyond
LOGITS = torch.tensor([-15.0, -3.0, -0.5, 0.0, 0.7, 4.0, 15.0], dtype=torch.float64)


def _value_and_grad(fn, logits):
    logits = logits.clone().requires_grad_(True)
    value = fn(logits)
    value.backward()
    return value.detach(), logits.grad


def test_generator_losses_and_gradients_match_closed_forms():
    d = torch.sigmoid(LOGITS)
    n = len(LOGITS)
    cases = {
        # loss: (closed form of the mean loss, d loss / d logit per sample)
        "saturating": (torch.log1p(-d).mean(), -d / n),
        "nonsaturating": (-torch.log(d).mean(), -(1 - d) / n),
        "least_squares": (((LOGITS - 1) ** 2).mean(), 2 * (LOGITS - 1) / n),
    }
    for name, (value, grad) in cases.items():
        got_value, got_grad = _value_and_grad(lambda lg, loss=LOSSES[name]: loss.g(fake_logits=lg), LOGITS)
        torch.testing.assert_close(got_value, value, msg=name)
        torch.testing.assert_close(got_grad, grad, msg=name)
        assert torch.isfinite(got_grad).all()


def test_saturating_gradient_vanishes_where_nonsaturating_does_not():
    very_fake = torch.tensor([-10.0], dtype=torch.float64)  # D(G(z)) ≈ 4.5e-5
    _, sat = _value_and_grad(lambda lg: LOSSES["saturating"].g(fake_logits=lg), very_fake)
    _, nonsat = _value_and_grad(lambda lg: LOSSES["nonsaturating"].g(fake_logits=lg), very_fake)
    assert abs(sat.item()) < 1e-4 and abs(nonsat.item()) == pytest.approx(1.0, abs=1e-4)


@pytest.mark.parametrize("name", ["saturating", "nonsaturating"])
def test_minimax_discriminator_loss(name):
    real, fake = torch.tensor([2.0, -1.0]), torch.tensor([0.5, -3.0])
    expected = -(torch.log(torch.sigmoid(real)).mean() + torch.log(1 - torch.sigmoid(fake)).mean())
    torch.testing.assert_close(LOSSES[name].d(real_logits=real, fake_logits=fake), expected)
    # keyword-only: a positional call (real/fake swapped silently elsewhere) is refused
    with pytest.raises(TypeError):
        LOSSES[name].d(real, fake)


def test_least_squares_discriminator_loss_on_raw_scores():
    real, fake = torch.tensor([2.0, -1.0]), torch.tensor([0.5, -3.0])
    expected = ((real - 1) ** 2).mean() + (fake**2).mean()
    torch.testing.assert_close(LOSSES["least_squares"].d(real_logits=real, fake_logits=fake), expected)
    assert LOSSES["least_squares"].output(real) is real  # its "D(x)" is the raw score, not a sigmoid


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_losses_stay_finite_for_extreme_logits(name):
    extreme = torch.tensor([-1e4, 1e4])
    for value, grad in (_value_and_grad(lambda lg: LOSSES[name].g(fake_logits=lg), extreme),
                        _value_and_grad(lambda lg: LOSSES[name].d(real_logits=lg, fake_logits=lg), extreme)):
        assert torch.isfinite(value) and torch.isfinite(grad).all()
