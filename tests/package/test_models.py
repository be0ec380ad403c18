"""Tests of chapter 1's networks and the packed discriminator (ganbook.models)."""

import pytest
import torch

import ganbook as gb
from conftest import Packed


def test_mlp_models_are_chapter_1s_networks():
    gb.seed_everything(0)
    G, D = gb.MLPGenerator(z_dim=8, hidden=32), gb.MLPDiscriminator(hidden=32)
    assert G(torch.randn(5, 8)).shape == (5, 1) and D(torch.randn(5, 1)).shape == (5, 1)
    # Linear, LeakyReLU, Linear, LeakyReLU, Linear: chapter 1's layers, in its order
    assert [type(m).__name__ for m in G.net] == ["Linear", "LeakyReLU"] * 2 + ["Linear"]
    assert gb.MLPGenerator(z_dim=2, data_dim=2, depth=3)(torch.randn(4, 2)).shape == (4, 2)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: gb.MLPGenerator(z_dim=0), "z_dim must be >= 1"),
        (lambda: gb.MLPGenerator(hidden=2.5), "hidden must be an integer"),
        (lambda: gb.MLPDiscriminator(depth=0), "depth must be >= 1"),
        (lambda: gb.MLPDiscriminator(data_dim=-1), "data_dim must be >= 1"),
    ],
)
def test_mlp_models_reject_bad_sizes(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_package_packed_discriminator_matches_the_chapter_and_checks_shapes():
    gb.seed_everything(3)
    ours = Packed(pack=2, data_dim=2)  # the chapter's class
    gb.seed_everything(3)
    package = gb.PackedDiscriminator(data_dim=2, pack=2, hidden=8)
    x = torch.randn(6, 2)
    assert torch.equal(ours(x), package(x)) and package(x).shape == (3, 1)
    with pytest.raises(ValueError, match=r"n a multiple of 2, got \(5, 2\)"):
        package(torch.randn(5, 2))
    with pytest.raises(ValueError, match="pack must be >= 1"):
        gb.PackedDiscriminator(pack=0)
