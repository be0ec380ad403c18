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


class LabelledLine:
    """Labelled 1-D data: class 0 is N(-2, 0.25^2), class 1 is N(2, 0.25^2); returns (x, y)."""

    def __call__(self, n, generator=None):
        y = torch.randint(2, (n,), generator=generator)
        return 4.0 * y[:, None] - 2.0 + 0.25 * torch.randn(n, 1, generator=generator), y


class OneHotNet(nn.Module):
    """f(a, y): a small MLP on a concatenated with the one-hot code of y (chapter 9's way in)."""

    def __init__(self, n_in: int, n_out: int, classes: int = 2, hidden: int = 16):
        super().__init__()
        self.classes = classes
        self.net = nn.Sequential(nn.Linear(n_in + classes, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, n_out))

    def forward(self, a, y):
        return self.net(torch.cat([a, nn.functional.one_hot(y, self.classes).float()], dim=1))


def labelled_trainer(seed: int = 0, **kwargs):
    """A conditional GAN at test size: G(z, y) and D(x, y) on LabelledLine."""
    gb.seed_everything(seed)
    torch.set_num_threads(1)
    options = dict(z_dim=4, batch_size=32, lr_d=2e-3, lr_g=2e-3, device="cpu", classes=2)
    options.update(kwargs)
    return gb.GANTrainer(OneHotNet(4, 1), OneHotNet(1, 1), LabelledLine(), **options)


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
