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
