"""Fix G, retrain D (Arjovsky & Bottou 2017): how each generator loss's gradient behaves as D gets better.

A trained generator is frozen; discriminators start from scratch and train against it alone. Every
`log_every` D steps we measure ‖∇θ_G L_G‖ for each generator loss on one fixed batch of fakes: the minimax
losses through a D trained with the minimax loss, least squares through a D trained with its own loss.
"""

from __future__ import annotations

import pandas as pd
import torch
from torch import nn

from genlab.models.nets import ConvDiscriminator
from genlab.train.losses import LOSSES

# one discriminator per distinct D loss (minimax serves the saturating and non-saturating G losses)
D_LOSSES = {spec.d.__name__.removeprefix("d_"): spec.d for spec in LOSSES.values()}
D_OF = {loss: spec.d.__name__.removeprefix("d_") for loss, spec in LOSSES.items()}  # the D each G loss is measured by


def _grad_norm_wrt(params: list[nn.Parameter], value: torch.Tensor) -> torch.Tensor:
    grads = torch.autograd.grad(value, params, retain_graph=True)
    return torch.linalg.vector_norm(torch.stack([g.norm() for g in grads]))


def retrain_discriminators(
    gen: nn.Module, images: torch.Tensor, *, steps: int, batch_size: int, lr: float, log_every: int,
    eval_batch: int, seed: int, base_filters: int,
) -> pd.DataFrame:
    """Train fresh discriminators against the frozen `gen` on `images` (uint8 N×C×H×W on the device)."""
    device = images.device
    gen.eval().requires_grad_(True)  # frozen: never stepped, but differentiable for the gradient norms
    params = list(gen.parameters())
    torch.manual_seed(seed)
    discs = {name: ConvDiscriminator(tuple(images.shape[1:]), base_filters).to(device) for name in D_LOSSES}
    opts = {name: torch.optim.Adam(d.parameters(), lr=lr, betas=(0.5, 0.999)) for name, d in discs.items()}
    rng = torch.Generator(device=device).manual_seed(seed)
    z_eval = torch.randn(eval_batch, gen.latent_dim, device=device, generator=rng)

    rows = []
    for step in range(steps + 1):
        if step % log_every == 0:
            fake = gen(z_eval)  # (eval_batch, C, H, W), differentiable in G's parameters
            logits = {name: d(fake) for name, d in discs.items()}
            values = {f"grad_{loss}": _grad_norm_wrt(params, spec.g(fake_logits=logits[D_OF[loss]]))
                      for loss, spec in LOSSES.items()}
            values["d_fake"] = torch.sigmoid(logits["minimax"]).mean()
            idx = torch.randint(len(images), (eval_batch,), device=device, generator=rng)
            real = images.index_select(0, idx).float() / 255
            with torch.no_grad():
                values["d_real"] = torch.sigmoid(discs["minimax"](real)).mean()
            # one device-to-host copy per logged step
            rows.append({"d_step": step, **dict(zip(values, torch.stack(list(values.values())).tolist(), strict=True))})
        if step == steps:
            break
        idx = torch.randint(len(images), (batch_size,), device=device, generator=rng)
        real = images.index_select(0, idx).float() / 255
        with torch.no_grad():
            fake = gen(torch.randn(batch_size, gen.latent_dim, device=device, generator=rng))
        for name, d in discs.items():
            loss = D_LOSSES[name](real_logits=d(real), fake_logits=d(fake))
            opts[name].zero_grad(set_to_none=True)
            loss.backward()
            opts[name].step()
    return pd.DataFrame(rows)
