"""What a training run records, one entry per logged step (chapter 1 plots it; chapter 5
writes the loop that fills it).
"""

from __future__ import annotations

import dataclasses

from . import _checks


@dataclasses.dataclass
class History:
    """What a training run recorded, one entry per logged step (chapter 1; chapter 5 explains it).

    ``d_real`` and ``d_fake`` are the mean D(x) and D(G(z)) on the discriminator's batch before
    its update; ``d_real_after`` and ``d_fake_after`` on the same batch after it.
    ``stop_reason`` says why training stopped early (None when it ran to the end).
    """

    step: list = dataclasses.field(default_factory=list)
    d_real: list = dataclasses.field(default_factory=list)
    d_fake: list = dataclasses.field(default_factory=list)
    d_real_after: list = dataclasses.field(default_factory=list)
    d_fake_after: list = dataclasses.field(default_factory=list)
    loss_d: list = dataclasses.field(default_factory=list)
    loss_g: list = dataclasses.field(default_factory=list)
    grad_norm_g: list = dataclasses.field(default_factory=list)
    stop_reason: str | None = None

    FIELDS = (
        "step", "d_real", "d_fake", "d_real_after", "d_fake_after", "loss_d", "loss_g", "grad_norm_g",
    )

    def __len__(self) -> int:
        return len(self.step)

    def append(self, record: dict) -> None:
        missing = [name for name in self.FIELDS if name not in record]
        if missing:
            raise ValueError(f"a history record needs every field; missing {missing}")
        for name in self.FIELDS:
            getattr(self, name).append(record[name])

    def last(self, name: str, n: int = 1) -> float:
        """Mean of the last ``n`` recorded values of ``name`` (for example ``"d_real"``)."""
        _checks.choice("name", name, self.FIELDS[1:])
        n = _checks.integer("n", n, minimum=1)
        values = getattr(self, name)[-n:]
        if not values:
            raise ValueError(f"the history is empty: nothing recorded for {name!r}")
        return sum(values) / len(values)

    def as_dict(self) -> dict:
        out = {name: list(getattr(self, name)) for name in self.FIELDS}
        out["stop_reason"] = self.stop_reason
        return out

    @classmethod
    def from_dict(cls, data: dict) -> History:
        if not isinstance(data, dict) or any(name not in data for name in cls.FIELDS):
            raise ValueError(f"not a training history: expected the keys {cls.FIELDS}")
        lengths = {len(data[name]) for name in cls.FIELDS}
        if len(lengths) != 1:
            raise ValueError(f"history fields have different lengths: {sorted(lengths)}")
        return cls(**{name: list(data[name]) for name in cls.FIELDS}, stop_reason=data.get("stop_reason"))
