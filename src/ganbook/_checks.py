"""Argument checks shared by ganbook's public functions.

Each check raises a ValueError whose message names the argument and the bad value, so a
learner sees at once which number to change.
"""

from __future__ import annotations

import math
import numbers

from torch import nn


def positive_float(name: str, value) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return value


def finite_float(name: str, value) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def probability(name: str, value) -> float:
    """Return ``value`` as a float, or raise if it is not a number in [0, 1]."""
    value = finite_float(name, value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {value!r}")
    return value


def integer(name: str, value, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an int, or raise if it is not an integer in [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value!r}")
    return value


def choice(name: str, value, choices) -> str:
    """Return ``value`` if it is one of ``choices``, else raise naming the options."""
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}, got {value!r}")
    return value


def module(name: str, value):
    """Return ``value`` if it is a torch ``nn.Module``, else raise naming its type."""
    if not isinstance(value, nn.Module):
        raise ValueError(f"{name} must be a torch.nn.Module, got {type(value).__name__}")
    return value


def function(name: str, value, call: str):
    """Return ``value`` if it is callable, else raise saying how it is called (``call``)."""
    if not callable(value):
        raise ValueError(f"{name} must be callable as {call}, got {value!r}")
    return value


def betas(name: str, value) -> tuple:
    """Return Adam's ``(beta1, beta2)`` as floats, each in [0, 1), or raise naming the bad one."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ValueError(f"{name} must be a pair (beta1, beta2), got {value!r}")
    out = []
    for i, beta in enumerate(value):
        beta = finite_float(f"{name}[{i}]", beta)
        if not 0 <= beta < 1:
            raise ValueError(f"{name}[{i}] must be in [0, 1), got {beta!r}")
        out.append(beta)
    return tuple(out)


def labels(name: str, value, n: int, classes: int):
    """Return ``value`` as a long tensor of ``n`` class indices in [0, classes), or raise
    naming what is wrong: not a tensor, not integers, the wrong shape, or a label out of range."""
    import torch

    if not isinstance(value, torch.Tensor):
        raise ValueError(f"{name} must be a torch.Tensor of class indices, got {type(value).__name__}")
    if value.dtype.is_floating_point or value.dtype.is_complex or value.dtype == torch.bool:
        raise ValueError(f"{name} must hold integer class indices (torch.long), got dtype {value.dtype}")
    if tuple(value.shape) != (n,):
        raise ValueError(f"{name} must have shape ({n},), one label per sample, got {tuple(value.shape)}")
    out = (value < 0) | (value >= classes)
    if out.any():
        bad = value[out][0].item()
        raise ValueError(f"{name} must lie in [0, {classes}) (there are {classes} classes), got {bad}")
    return value.long()


def optional_labels(name: str, value, n: int, classes, device):
    """None for a model without labels (``classes`` None, and then ``value`` must be None);
    else ``labels(name, value, n, classes)`` on ``device``."""
    if classes is None:
        if value is not None:
            raise ValueError(f"{name} was given, but this model has no labels (classes=None)")
        return None
    if value is None:
        raise ValueError(f"this model is conditional (classes={classes}): pass the labels {name}")
    return labels(name, value, n, classes).to(device)
