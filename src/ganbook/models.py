"""The small multilayer perceptrons of chapter 1, for the chapters that reuse them.

Chapter 1 writes the generator and the discriminator out line by line; later chapters on
low-dimensional data build them from here. The layers are the same (and created in the same
order), so with the same seed they start from the same weights as chapter 1's.
"""

from __future__ import annotations

from torch import nn

from . import _checks


def _mlp(n_in: int, hidden: int, depth: int, n_out: int) -> nn.Sequential:
    layers, width = [], n_in
    for _ in range(depth):
        layers += [nn.Linear(width, hidden), nn.LeakyReLU(0.2)]
        width = hidden
    layers.append(nn.Linear(width, n_out))
    return nn.Sequential(*layers)


class MLPGenerator(nn.Module):
    """Chapter 1's G: noise z of shape (n, z_dim) -> samples of shape (n, data_dim); no output activation."""

    def __init__(self, z_dim: int = 8, hidden: int = 32, data_dim: int = 1, depth: int = 2):
        super().__init__()
        self.z_dim = _checks.integer("z_dim", z_dim, minimum=1)
        self.net = _mlp(self.z_dim, _checks.integer("hidden", hidden, minimum=1),
                        _checks.integer("depth", depth, minimum=1), _checks.integer("data_dim", data_dim, minimum=1))

    def forward(self, z):
        return self.net(z)


class MLPDiscriminator(nn.Module):
    """Chapter 1's D: samples of shape (n, data_dim) -> one logit each, shape (n, 1); D(x) = sigmoid(logit)."""

    def __init__(self, data_dim: int = 1, hidden: int = 32, depth: int = 2):
        super().__init__()
        self.net = _mlp(_checks.integer("data_dim", data_dim, minimum=1), _checks.integer("hidden", hidden, minimum=1),
                        _checks.integer("depth", depth, minimum=1), 1)

    def forward(self, x):
        return self.net(x)


class PackedDiscriminator(nn.Module):
    """PacGAN (Lin et al., 2018; chapter 6): D judges ``pack`` samples at once.

    The samples of a batch are taken in order, ``pack`` at a time, concatenated into one input
    of size ``pack * data_dim``, and scored by an ``MLPDiscriminator``: one logit per pack.
    ``GANTrainer`` reads the ``pack`` attribute and feeds whole packs. Chapter 6 writes this
    class out; with the same arguments and seed it starts from the same weights.
    """

    def __init__(self, data_dim: int = 1, pack: int = 2, hidden: int = 32, depth: int = 2):
        super().__init__()
        self.pack = _checks.integer("pack", pack, minimum=1)
        self.data_dim = _checks.integer("data_dim", data_dim, minimum=1)
        self.net = MLPDiscriminator(data_dim=self.pack * self.data_dim, hidden=hidden, depth=depth)

    def forward(self, x):
        if x.ndim != 2 or x.shape[1] != self.data_dim or x.shape[0] % self.pack:
            raise ValueError(f"PackedDiscriminator(data_dim={self.data_dim}, pack={self.pack}) needs samples of "
                             f"shape (n, {self.data_dim}) with n a multiple of {self.pack}, got {tuple(x.shape)}")
        return self.net(x.reshape(-1, self.pack * self.data_dim))
