"""Tests of what a run records (ganbook.history)."""

import pytest

import ganbook as gb


def test_history_last_and_round_trip():
    h = gb.History()
    with pytest.raises(ValueError, match="empty"):
        h.last("d_real")
    for s in range(1, 5):
        h.append({"step": s, "d_real": s / 10, "d_fake": 0.5, "d_real_after": 0.5, "d_fake_after": 0.5,
                  "loss_d": 1.0, "loss_g": 0.7, "grad_norm_g": 0.1})
    assert h.last("d_real", 2) == pytest.approx(0.35)
    assert gb.History.from_dict(h.as_dict()) == h
    with pytest.raises(ValueError, match="'banana'"):
        h.last("banana")
    with pytest.raises(ValueError, match="not a training history"):
        gb.History.from_dict({"step": []})
