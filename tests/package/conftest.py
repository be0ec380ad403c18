"""Fixtures shared by the tests of ganbook: small trainers, and a stand-in for IPython's display."""

import IPython.display
import pytest
import torch
from torch import nn

import ganbook as gb


def tiny_models(z_dim: int = 4, data_dim: int = 1, hidden: int = 16):
    G = nn.Sequential(nn.Linear(z_dim, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, data_dim))
    D = nn.Sequential(nn.Linear(data_dim, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 1))
    return G, D


@pytest.fixture
def make_trainer():
    """A fresh, seeded 1-D trainer: the chapter-1 set-up at test size."""

    def make(seed: int = 0, **kwargs):
        gb.seed_everything(seed)
        G, D = tiny_models()
        options = dict(z_dim=4, batch_size=32, lr_d=1e-3, lr_g=1e-3, device="cpu")
        options.update(kwargs)
        return gb.GANTrainer(G, D, gb.Gaussian1D(2.0, 0.5), **options)

    torch.set_num_threads(1)
    return make


@pytest.fixture
def ring_trainer():
    def make(seed=0, **kwargs):
        gb.seed_everything(seed)
        G = gb.MLPGenerator(z_dim=2, hidden=16, data_dim=2)
        D = gb.MLPDiscriminator(data_dim=2, hidden=16)
        options = dict(z_dim=2, batch_size=64, lr_d=1e-3, lr_g=1e-3, device="cpu")
        options.update(kwargs)
        return gb.GANTrainer(G, D, gb.GaussianRing2D(), **options)

    torch.set_num_threads(1)
    return make


PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class FakeDisplay:
    """Stands in for IPython's display: records what was shown and each in-place update."""

    def __init__(self):
        self.shown, self.updates = [], []

    def __call__(self, obj, display_id=None, **kwargs):
        self.shown.append(obj)
        if display_id:
            outer = self

            class Handle:
                def update(self, new, **kwargs):
                    outer.updates.append(new)

            return Handle()


@pytest.fixture
def fake_display(monkeypatch):
    fake = FakeDisplay()
    monkeypatch.setattr(IPython.display, "display", fake)
    return fake


class Packed(nn.Module):
    """A PacGAN discriminator as chapter 6 writes it: one logit per pack of samples."""

    def __init__(self, pack=2, data_dim=2):
        super().__init__()
        self.pack = pack
        self.net = gb.MLPDiscriminator(data_dim=pack * data_dim, hidden=8)

    def forward(self, x):
        return self.net(x.reshape(-1, self.pack * x.shape[1]))
