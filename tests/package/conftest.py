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
