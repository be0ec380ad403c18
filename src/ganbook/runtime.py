"""Seeding and device choice, used by every chapter.

Chapter 1 explains why the book fixes its seeds: a rerun shows the same numbers.
"""

from __future__ import annotations

import random

import numpy as np
import torch

from . import _checks


def seed_everything(seed: int) -> int:
    """Seed Python's, NumPy's and PyTorch's random generators (CPU and CUDA) with ``seed`` (chapter 1)."""
    seed = _checks.integer("seed", seed, minimum=0, maximum=2**32 - 1)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device
    return seed


def get_device(device: str | torch.device | None = None) -> torch.device:
    """The device to train on: CUDA when present, else the CPU (chapter 1).

    Pass ``"cpu"`` or ``"cuda"`` (or a ``torch.device``) to choose; asking for CUDA on a
    machine without it raises a ValueError rather than failing later inside torch.
    """
    if device is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(device)
    except (RuntimeError, TypeError) as err:
        raise ValueError(f"device must be 'cpu', 'cuda' or a torch.device, got {device!r}") from err
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device {str(device)!r} was asked for, but CUDA is not available here")
    if device.type not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'cpu' or 'cuda', got {str(device)!r}")
    return device
