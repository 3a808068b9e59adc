from __future__ import annotations

import numpy as np
import torch

from genlab.models.nets import ConvGenerator
from genlab.probes.retrain_d import retrain_discriminators


def test_fix_g_retrain_d_logs_every_loss_and_leaves_g_untouched():
    torch.manual_seed(0)
    gen = ConvGenerator(4, (1, 28, 28), base_filters=4)
    before = [p.clone() for p in gen.parameters()]
    images = torch.randint(0, 256, (40, 1, 28, 28), dtype=torch.uint8)
    frame = retrain_discriminators(gen, images, steps=60, batch_size=8, lr=2e-3, log_every=20, eval_batch=16,
                                   seed=0, base_filters=4)
    assert frame["d_step"].tolist() == [0, 20, 40, 60]
    for loss in ("saturating", "nonsaturating", "least_squares"):
        assert np.isfinite(frame[f"grad_{loss}"]).all() and (frame[f"grad_{loss}"] > 0).all()
    assert frame["d_fake"].iloc[-1] < 0.1 < 0.4 < frame["d_fake"].iloc[0]  # D learns to reject this G's fakes
    assert all(torch.equal(b, a) for b, a in zip(before, gen.parameters(), strict=True))
