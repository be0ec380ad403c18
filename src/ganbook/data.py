"""Data distributions p_data: toy distributions as samplers with a density, and image data sets.

A sampler is called with a batch size and returns a float32 tensor of shape (n, dim); its
``pdf`` gives the density on a grid, for plots and (chapter 2) the closed-form D*.
Chapter 1 introduces p_data with the 1-D Gaussian. ``Digits`` (chapter 7) and ``FashionMNIST``
(chapter 11) hold images, and sample them the same way.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from . import _checks


def _batch_size(n) -> int:
    return _checks.integer("n", n, minimum=1)


class Gaussian1D:
    """A 1-D Gaussian N(mean, std**2): chapter 1's p_data.

    >>> p_data = Gaussian1D(mean=4.0, std=1.25)
    >>> p_data(3).shape
    torch.Size([3, 1])
    """

    dim = 1

    def __init__(self, mean: float = 0.0, std: float = 1.0):
        self.mean = _checks.finite_float("mean", mean)
        self.std = _checks.positive_float("std", std)

    def __repr__(self) -> str:
        return f"Gaussian1D(mean={self.mean}, std={self.std})"

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Draw ``n`` samples as a tensor of shape (n, 1); ``generator`` keeps the draw private."""
        n = _batch_size(n)
        return self.mean + self.std * torch.randn(n, 1, generator=generator)

    __call__ = sample

    def pdf(self, x) -> np.ndarray:
        """Density at the points ``x`` (any array-like of numbers)."""
        x = np.asarray(x, dtype=float)
        return np.exp(-0.5 * ((x - self.mean) / self.std) ** 2) / (self.std * math.sqrt(2 * math.pi))


class GaussianMixture1D:
    """A mixture of 1-D Gaussians: component i has weight ``weights[i]`` (chapter 1's exercise,
    chapter 8's mode collapse).

    >>> p_data = GaussianMixture1D(means=[-2, 2], stds=[0.5, 0.5])
    """

    dim = 1

    def __init__(self, means, stds, weights=None):
        means = [_checks.finite_float(f"means[{i}]", m) for i, m in enumerate(means)]
        stds = [_checks.positive_float(f"stds[{i}]", s) for i, s in enumerate(stds)]
        if not means:
            raise ValueError("means must hold at least one component, got []")
        if len(stds) != len(means):
            raise ValueError(f"stds must have one entry per mean ({len(means)}), got {len(stds)}")
        if weights is None:
            weights = [1.0] * len(means)
        weights = [_checks.positive_float(f"weights[{i}]", w) for i, w in enumerate(weights)]
        if len(weights) != len(means):
            raise ValueError(f"weights must have one entry per mean ({len(means)}), got {len(weights)}")
        total = sum(weights)
        self.means = torch.tensor(means)
        self.stds = torch.tensor(stds)
        self.weights = torch.tensor([w / total for w in weights])
        # Mixture moments, for the chapters' checks on the generator.
        w, m, s = self.weights.double(), self.means.double(), self.stds.double()
        self.mean = float((w * m).sum())
        self.std = float(((w * (s**2 + m**2)).sum() - self.mean**2).sqrt())

    def __repr__(self) -> str:
        return (
            f"GaussianMixture1D(means={self.means.tolist()}, stds={self.stds.tolist()}, "
            f"weights={[round(w, 4) for w in self.weights.tolist()]})"
        )

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Draw ``n`` samples as a tensor of shape (n, 1)."""
        n = _batch_size(n)
        component = torch.multinomial(self.weights, n, replacement=True, generator=generator)
        noise = torch.randn(n, generator=generator)
        return (self.means[component] + self.stds[component] * noise).unsqueeze(1)

    __call__ = sample

    def pdf(self, x) -> np.ndarray:
        """Density at the points ``x``."""
        x = np.asarray(x, dtype=float)[..., None]
        m, s, w = self.means.numpy(), self.stds.numpy(), self.weights.numpy()
        dens = np.exp(-0.5 * ((x - m) / s) ** 2) / (s * math.sqrt(2 * math.pi))
        return (dens * w).sum(axis=-1)


class GaussianRing2D:
    """Gaussians with equal weights at the corners of a regular polygon: the "ring" of chapter 6.

    The default, 8 modes on a circle of radius 2 with standard deviation 0.02, is the 2-D
    benchmark of the mode-collapse literature. ``centers`` holds the modes, shape (modes, 2).

    >>> p_data = GaussianRing2D()
    >>> p_data(5).shape
    torch.Size([5, 2])
    """

    dim = 2

    def __init__(self, modes: int = 8, radius: float = 2.0, std: float = 0.02):
        self.modes = _checks.integer("modes", modes, minimum=1)
        self.radius = _checks.positive_float("radius", radius)
        self.std = _checks.positive_float("std", std)
        angles = torch.arange(self.modes, dtype=torch.float64) * (2 * math.pi / self.modes)
        self.centers = (self.radius * torch.stack([angles.cos(), angles.sin()], dim=1)).float()

    def __repr__(self) -> str:
        return f"GaussianRing2D(modes={self.modes}, radius={self.radius}, std={self.std})"

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Draw ``n`` points as a tensor of shape (n, 2)."""
        n = _batch_size(n)
        mode = torch.randint(self.modes, (n,), generator=generator)
        return self.centers[mode] + self.std * torch.randn(n, 2, generator=generator)

    __call__ = sample

    def pdf(self, xy) -> np.ndarray:
        """Density at the points ``xy``, an array-like of shape (..., 2)."""
        xy = np.asarray(xy, dtype=float)
        if xy.shape[-1:] != (2,):
            raise ValueError(f"xy must have shape (..., 2), got {xy.shape}")
        d2 = ((xy[..., None, :] - self.centers.numpy()) ** 2).sum(-1)
        return np.exp(-0.5 * d2 / self.std**2).mean(-1) / (2 * math.pi * self.std**2)


class TwoMoons:
    """Two interleaving half circles with Gaussian noise (the "two moons" of chapter 6), centred at 0.

    The upper moon is the half circle of radius 1 around (-0.5, -0.25), the lower one its
    mirror image around (0.5, 0.25); ``noise`` is the standard deviation added to each point.
    """

    dim = 2

    def __init__(self, noise: float = 0.05):
        self.noise = _checks.positive_float("noise", noise)

    def __repr__(self) -> str:
        return f"TwoMoons(noise={self.noise})"

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Draw ``n`` points as a tensor of shape (n, 2)."""
        n = _batch_size(n)
        lower = torch.randint(2, (n,), generator=generator).bool()
        t = math.pi * torch.rand(n, generator=generator)
        x = torch.where(lower, 1 - t.cos(), t.cos()) - 0.5
        y = torch.where(lower, 0.5 - t.sin(), t.sin()) - 0.25
        return torch.stack([x, y], dim=1) + self.noise * torch.randn(n, 2, generator=generator)

    __call__ = sample


class Digits:
    """The 8x8 handwritten digits that ship inside scikit-learn, as p_data (chapter 7).

    ``load_digits`` holds 1,797 images of the digits 0-9, with pixel values 0..16. They are
    scaled to [-1, 1] (the range of a tanh output) and flattened to 64 numbers, and split into
    a train part and a held-out test part, stratified by digit, with a fixed ``seed``. The
    split is the same on every machine: it comes from the data and the seed alone.

    ``split`` picks the part this object samples from; ``images`` (shape (n, 64)) and
    ``labels`` (shape (n,)) hold it whole. Sampling draws images uniformly with replacement.

    >>> train = Digits("train")
    >>> train(4).shape
    torch.Size([4, 64])
    """

    dim = 64
    shape = (8, 8)
    classes = 10

    def __init__(self, split: str = "train", *, test_size: float = 0.3, seed: int = 0):
        self.split = _checks.choice("split", split, ("train", "test"))
        self.test_size = _checks.finite_float("test_size", test_size)
        if not 0.05 <= self.test_size <= 0.95:
            raise ValueError(f"test_size must be between 0.05 and 0.95, got {test_size!r}")
        self.seed = _checks.integer("seed", seed, minimum=0)
        from sklearn.datasets import load_digits  # here, not at the top: only chapter 7 pays for importing sklearn
        from sklearn.model_selection import train_test_split

        x, y = load_digits(return_X_y=True)
        parts = train_test_split(x, y, test_size=self.test_size, random_state=self.seed, stratify=y)
        x, y = (parts[0], parts[2]) if self.split == "train" else (parts[1], parts[3])
        self.images = torch.tensor(x / 8.0 - 1.0, dtype=torch.float32)
        self.labels = torch.tensor(y, dtype=torch.long)

    def __repr__(self) -> str:
        return f"Digits({self.split!r}, test_size={self.test_size}, seed={self.seed}): {len(self)} images"

    def __len__(self) -> int:
        return len(self.images)

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Draw ``n`` images (with replacement) as a tensor of shape (n, 64)."""
        n = _batch_size(n)
        return self.images[torch.randint(len(self.images), (n,), generator=generator)]

    __call__ = sample

    def pairs(self, n: int, generator: torch.Generator | None = None) -> tuple:
        """Draw ``n`` images with their digits, ``(images, labels)`` of shapes (n, 64) and (n,):
        p_data as (x, y) pairs, for the conditional GAN of chapter 9."""
        n = _batch_size(n)
        index = torch.randint(len(self.images), (n,), generator=generator)
        return self.images[index], self.labels[index]


# -- Fashion-MNIST (chapter 11) ---------------------------------------------------------------

#: Where Debian's package ``dataset-fashion-mnist`` installs the four original files.
FASHION_MNIST_DEBIAN = "/usr/share/datasets/fashion-mnist"
#: The environment variable that names a folder holding the four files instead.
FASHION_MNIST_ENV = "FASHION_MNIST_DIR"
_FASHION_FILES = {"train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
                  "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}
_FASHION_HOWTO = (
    "Get the data one of two ways: install Debian's (or Ubuntu's) package with "
    "`sudo apt-get install dataset-fashion-mnist` (it puts the four .gz files in "
    f"{FASHION_MNIST_DEBIAN}), or download the four files train-images-idx3-ubyte.gz, "
    "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz "
    "(https://github.com/zalandoresearch/fashion-mnist) into a folder and set the environment "
    f"variable {FASHION_MNIST_ENV} to it. (Where torchvision is installed, as in Colab, it "
    "downloads them itself.)"
)


def read_idx(path) -> np.ndarray:
    """The array stored in an IDX file (the format of MNIST and Fashion-MNIST), gzipped or not.

    An IDX file is a 4-byte header (two zero bytes, a type code, the number of dimensions d),
    d big-endian 32-bit sizes, then the values in C order. Fashion-MNIST's are unsigned bytes
    (type code 0x08): images of shape (n, 28, 28) and labels of shape (n,).
    """
    import gzip
    from pathlib import Path

    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as err:
        raise ValueError(f"cannot read the IDX file {str(path)!r}: {err}") from err
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{str(path)!r} is not an IDX file of unsigned bytes (its header is {data[:4]!r})")
    dims = data[3]
    if len(data) < 4 + 4 * dims:
        raise ValueError(f"{str(path)!r} ends inside its header")
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims))
    values = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims)
    if values.size != math.prod(shape):
        raise ValueError(f"{str(path)!r} holds {values.size} values, but its header says {shape}")
    return values.reshape(shape)


def _idx_file(folder, name: str):
    """The file ``name`` (gzipped or not) in ``folder``, or None."""
    from pathlib import Path

    for candidate in (Path(folder) / f"{name}.gz", Path(folder) / name):
        if candidate.is_file():
            return candidate
    return None


def fashion_mnist_source(split: str = "train", root=None) -> str:
    """Where ``FashionMNIST(split)`` will read its files from: a folder, or ``"torchvision"``
    (chapter 11).

    The order: ``root`` if given; else the folder in the environment variable
    ``FASHION_MNIST_DIR`` if it is set; else Debian's ``/usr/share/datasets/fashion-mnist`` if
    its files are there; else torchvision, if it can be imported (it downloads the data, as in
    Colab). A folder named by ``root`` or the variable must hold the files: a missing file there
    is an error, not a reason to look elsewhere. With no source at all, the RuntimeError says
    how to get the data.
    """
    import importlib.util
    import os

    split = _checks.choice("split", split, tuple(_FASHION_FILES))
    named = [("root", root)] if root is not None else []
    if not named and os.environ.get(FASHION_MNIST_ENV):
        named = [(f"the environment variable {FASHION_MNIST_ENV}", os.environ[FASHION_MNIST_ENV])]
    if named:
        what, folder = named[0]
        if not isinstance(folder, (str, os.PathLike)):
            raise ValueError(f"root must be a folder (a str or a path), got {folder!r}")
        missing = [name for name in _FASHION_FILES[split] if _idx_file(folder, name) is None]
        if missing:
            raise ValueError(f"{what} names {os.fspath(folder)!r}, which lacks {missing[0]}.gz "
                             f"(Fashion-MNIST's {split} split). {_FASHION_HOWTO}")
        return os.fspath(folder)
    if all(_idx_file(FASHION_MNIST_DEBIAN, name) for name in _FASHION_FILES[split]):
        return FASHION_MNIST_DEBIAN
    if importlib.util.find_spec("torchvision") is not None:
        return "torchvision"
    raise RuntimeError(f"Fashion-MNIST was not found: {FASHION_MNIST_ENV} is not set, "
                       f"{FASHION_MNIST_DEBIAN} does not hold it, and torchvision is not installed. "
                       f"{_FASHION_HOWTO}")


class FashionMNIST(torch.utils.data.Dataset):
    """Fashion-MNIST (Xiao et al. 2017): 70,000 grey 28 x 28 images of clothes, in 10 classes
    (chapter 11).

    ``split`` is ``"train"`` (60,000 images) or ``"test"`` (10,000). The four original files
    are read from ``root``, else from the folder in the environment variable
    ``FASHION_MNIST_DIR``, else from Debian's package ``dataset-fashion-mnist``
    (``/usr/share/datasets/fashion-mnist``), else torchvision downloads them to
    ``~/.cache/ganbook`` (Colab); ``source`` says which (``fashion_mnist_source``).

    ``images`` has shape (n, 1, 28, 28), float32, each pixel v in 0..255 scaled to
    v / 127.5 - 1 in [-1, 1] (black background -1, the range of a tanh output); ``labels`` has
    shape (n,), int64; ``CLASSES`` names the 10 classes. It is a torch ``Dataset``: item i is
    ``(images[i], labels[i])``, so a ``DataLoader`` batches it. ``sample(n)`` draws n images with
    replacement, like ``Digits``.

    >>> train = FashionMNIST("train")  # doctest: +SKIP
    >>> train.images.shape  # doctest: +SKIP
    torch.Size([60000, 1, 28, 28])
    """

    CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
    classes = 10
    shape = (28, 28)

    def __init__(self, split: str = "train", *, root=None):
        self.split = _checks.choice("split", split, tuple(_FASHION_FILES))
        self.source = fashion_mnist_source(self.split, root)
        if self.source == "torchvision":
            pixels, labels = _torchvision_fashion_mnist(self.split)
        else:
            names = _FASHION_FILES[self.split]
            pixels = read_idx(_idx_file(self.source, names[0]))
            labels = read_idx(_idx_file(self.source, names[1]))
        if pixels.ndim != 3 or pixels.shape[1:] != (28, 28) or labels.shape != (len(pixels),):
            raise ValueError(f"Fashion-MNIST's {self.split} files in {self.source!r} hold images of shape "
                             f"{pixels.shape} and labels of shape {labels.shape}, not (n, 28, 28) and (n,)")
        if len(labels) and labels.max() >= self.classes:
            raise ValueError(f"Fashion-MNIST's labels lie in 0..9, but {self.source!r} holds {labels.max()}")
        self.images = torch.from_numpy(pixels.astype(np.float32) / 127.5 - 1.0).unsqueeze(1)
        self.labels = torch.from_numpy(labels.astype(np.int64))

    def __repr__(self) -> str:
        return f"FashionMNIST({self.split!r}): {len(self)} images from {self.source}"

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index):
        return self.images[index], self.labels[index]

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Draw ``n`` images (with replacement) as a tensor of shape (n, 1, 28, 28)."""
        n = _batch_size(n)
        return self.images[torch.randint(len(self.images), (n,), generator=generator)]

    __call__ = sample


def _torchvision_fashion_mnist(split: str) -> tuple:
    """The split's pixels and labels as NumPy arrays, through torchvision (which downloads them)."""
    from pathlib import Path

    from torchvision.datasets import FashionMNIST as TorchvisionFashionMNIST

    root = Path.home() / ".cache" / "ganbook"
    try:
        data = TorchvisionFashionMNIST(root=str(root), train=split == "train", download=True)
    except Exception as err:  # no network, a broken download: say how else to get the data
        raise RuntimeError(f"torchvision could not download Fashion-MNIST to {root}: {err}. "
                           f"{_FASHION_HOWTO}") from err
    return data.data.numpy(), data.targets.numpy()
