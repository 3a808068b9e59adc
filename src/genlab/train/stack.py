"""M networks of one architecture run as one: their parameters stacked along a new first axis, called as grouped
convolutions and batched matmuls.

Why: a sweep's runs are the same small nets, and on a GPU one such net is bound by kernel launches, not
arithmetic. A stacked call launches about the kernels of one net (convolutions become grouped convolutions, linear
layers batched matmuls, BatchNorm runs over M·C channels and updates every member's running statistics), so M runs
cost about one. The conv nets have that call written out (genlab.train.grouped, the faster one); any other
architecture gets it from `torch.func.vmap`. Members stay independent: their parameters are disjoint, a loss
summed over members gives each member its own gradient, and Adam is elementwise, so one optimiser over the
stacked tensors is every member's own Adam.
"""

from __future__ import annotations

import copy

import torch
from torch import nn
from torch.func import functional_call, stack_module_state, vmap

from genlab.train import grouped


class _Group:
    """What Stack and Single share: a CPU copy of the architecture, to hand back each member as a net of its own."""

    template: nn.Module

    def member_state(self, m: int) -> dict[str, torch.Tensor]:
        raise NotImplementedError

    def member(self, m: int) -> nn.Module:
        """Member m as a net of its own (on the CPU), as a run trained alone would have left it."""
        net = copy.deepcopy(self.template)
        net.load_state_dict(self.member_state(m))
        return net


class Stack(_Group):
    """`members` (same class and constructor arguments) as one callable: inputs and outputs gain a leading M axis."""

    def __init__(self, members: list[nn.Module]):
        kinds = {(type(m).__name__, repr(getattr(m, "kwargs", None))) for m in members}
        if len(kinds) != 1:
            raise ValueError(f"a stack needs members of one architecture, got {sorted(kinds)}")
        self.size = len(members)
        self.template = copy.deepcopy(members[0]).cpu()  # rebuilt with one member's weights by `member`
        self._skeleton = copy.deepcopy(members[0]).to("meta")  # structure only: the call supplies the tensors
        self.params, self.buffers = stack_module_state(members)  # {name: (M, ...)}; params are leaves needing grad
        self.device = next(iter(self.params.values())).device
        if grouped.supports(self._skeleton):
            self._call = grouped.forward(self._skeleton)
        else:
            self._call = vmap(lambda p, b, x: functional_call(self._skeleton, (p, b), (x,)))

    def __call__(self, x: torch.Tensor, params: dict[str, torch.Tensor] | None = None) -> torch.Tensor:
        """Member m's output on x[m], stacked: (M, B, ...) -> (M, B, ...). `params` replaces the parameters
        (e.g. detached ones, when only the input's gradient is wanted)."""
        return self._call(self.params if params is None else params, self.buffers, x)

    def parameters(self) -> list[torch.Tensor]:
        return list(self.params.values())

    def detached(self) -> dict[str, torch.Tensor]:
        """The parameters cut from autograd: G's step needs gradients through D, not for D's weights."""
        return {name: p.detach() for name, p in self.params.items()}

    def grad_norms(self) -> torch.Tensor:
        """‖∇‖ of each member over all its parameters, (M,) (0 where none has a gradient)."""
        squares = [p.grad.flatten(1).pow(2).sum(1) for p in self.params.values() if p.grad is not None]
        return torch.stack(squares).sum(0).sqrt() if squares else torch.zeros(self.size, device=self.device)

    def member_state(self, m: int) -> dict[str, torch.Tensor]:
        """Member m's state_dict, on the CPU, in the layout of its own net."""
        return {name: t[m].detach().cpu().clone() for name, t in {**self.params, **self.buffers}.items()}

    def state_dict(self) -> dict[str, torch.Tensor]:
        return {name: t.detach() for name, t in {**self.params, **self.buffers}.items()}

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        with torch.no_grad():
            for name, t in {**self.params, **self.buffers}.items():
                t.copy_(state[name])


class Single(_Group):
    """A group of one, with Stack's interface around the net itself: the plain call, without `vmap`'s and
    `functional_call`'s per-call cost, a large share of an MLP GAN step (benchmarks/README.md)."""

    size = 1
    buffers: dict[str, torch.Tensor] = {}  # no other member whose statistics a call could move

    def __init__(self, member: nn.Module):
        self.net = member
        self.template = copy.deepcopy(member).cpu()
        self.device = next(member.parameters()).device

    def __call__(self, x: torch.Tensor, params: object = None) -> torch.Tensor:
        if params is FROZEN:  # gradients through the net, not for its weights
            self.net.requires_grad_(False)
            try:
                return self.net(x[0]).unsqueeze(0)
            finally:
                self.net.requires_grad_(True)
        return self.net(x[0]).unsqueeze(0)

    def parameters(self) -> list[torch.Tensor]:
        return list(self.net.parameters())

    def detached(self) -> object:
        return FROZEN

    def grad_norms(self) -> torch.Tensor:
        squares = [p.grad.pow(2).sum() for p in self.net.parameters() if p.grad is not None]
        return torch.stack(squares).sum().sqrt().view(1) if squares else torch.zeros(1, device=self.device)

    def member_state(self, m: int) -> dict[str, torch.Tensor]:
        return {name: t.detach().cpu().clone() for name, t in self.net.state_dict().items()}

    def state_dict(self) -> dict[str, torch.Tensor]:
        return self.net.state_dict()

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        self.net.load_state_dict(state)


FROZEN = object()  # Single.detached(): call the net with its weights frozen


def stack(members: list[nn.Module]) -> Stack | Single:
    """The cheapest way to run `members` as one: the net itself for one, a Stack for several."""
    return Single(members[0]) if len(members) == 1 else Stack(members)
