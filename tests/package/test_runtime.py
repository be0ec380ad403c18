"""Tests of seeding and the device (ganbook.runtime)."""

import numpy as np
import pytest
import torch

import ganbook as gb


def test_seed_everything_makes_draws_repeat():
    gb.seed_everything(123)
    a = (torch.rand(3), np.random.rand(3))
    gb.seed_everything(123)
    b = (torch.rand(3), np.random.rand(3))
    assert torch.equal(a[0], b[0]) and np.array_equal(a[1], b[1])


@pytest.mark.parametrize("seed", [-1, 1.5, "0", 2**32, True])
def test_seed_everything_rejects_bad_seed(seed):
    with pytest.raises(ValueError, match="seed"):
        gb.seed_everything(seed)


def test_get_device_prefers_cuda_when_present():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert gb.get_device().type == expected
    assert gb.get_device("cpu") == torch.device("cpu")


def test_get_device_rejects_unknown_and_missing_devices(monkeypatch):
    with pytest.raises(ValueError, match="banana"):
        gb.get_device("banana")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match="CUDA is not available"):
        gb.get_device("cuda")
    assert gb.get_device().type == "cpu"
