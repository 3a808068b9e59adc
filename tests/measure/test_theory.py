"""The numbers the theory answers quote."""

from __future__ import annotations

import pytest

from genlab.measure.theory import constraint_count


def test_a_label_is_999_equations_or_999_inequalities_and_under_10_bits():
    c = constraint_count()
    assert c["classes"] == 1000 and c["one_hot_equations"] == 999 and c["margin_inequalities"] == 999
    assert c["bits_per_label"] == pytest.approx(9.966, abs=1e-3)
    assert c["vgg11_parameters"] == 132_863_336  # torchvision's vgg11
    assert c["total_label_mbit"] == pytest.approx(c["bits_per_label"] * c["train_images"] / 1e6)
