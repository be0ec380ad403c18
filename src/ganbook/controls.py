"""Sliders and buttons that train a GAN live into a dashboard (chapters 1 and 5).

The controls only call ``GANTrainer``'s public steps (``train``, ``d_step``, ``g_step``,
``measure_d``, ``record_step``): the trainer owns its step counter and its history.
"""

from __future__ import annotations

import math
from typing import Callable

import IPython.display
import ipywidgets as w

from . import _checks
from .dashboard import Dashboard
from .losses import LOSSES
from .training import GANTrainer

LR_RANGE = (1e-5, 1e-1)  # the learning-rate sliders' range


class TrainingControls:
    """Sliders and buttons that train a GAN into a dashboard (chapter 1; chapter 5's step buttons).

    ``make_trainer(lr_d=..., lr_g=..., k=..., seed=...)`` must build a fresh, seeded
    ``GANTrainer``: the chapter writes it, so the models stay in the lesson. With ``loss`` set
    (one of ``LOSSES``) a dropdown chooses the generator's loss and ``make_trainer`` also gets
    ``loss=...``. With ``step_buttons=True`` there are buttons to take one discriminator step,
    one generator step, or to reset to a fresh trainer, to watch a single update (chapter 5).

    Built with ``run=True`` it trains once with the defaults while the cell executes, which
    leaves that run's replay in the rendered book. There, with no Python behind the page, the
    book's script disables the controls and says that they run in Colab.
    """

    def __init__(self, make_trainer: Callable[..., GANTrainer], *, panel: Callable | list | None = None,
                 steps: int = 1000, max_steps: int = 10_000, lr_d: float = 1e-3, lr_g: float = 1e-3,
                 k: int = 1, seed: int = 0, loss: str | None = None, step_buttons: bool = False,
                 after: bool = False, every: int = 100, title: str = "", run: bool = True):
        self.make_trainer = _checks.function("make_trainer", make_trainer, "make_trainer(lr_d=, lr_g=, k=, seed=)")
        max_steps = _checks.integer("max_steps", max_steps, minimum=1)
        steps = _checks.integer("steps", steps, minimum=1, maximum=max_steps)
        lr_d = _checks.positive_float("lr_d", lr_d)
        lr_g = _checks.positive_float("lr_g", lr_g)
        for name, lr in (("lr_d", lr_d), ("lr_g", lr_g)):  # a slider would silently clip it
            if not LR_RANGE[0] <= lr <= LR_RANGE[1]:
                raise ValueError(f"{name} must lie within the slider's range {LR_RANGE}, got {lr!r}")
        k = _checks.integer("k", k, minimum=1, maximum=10)
        seed = _checks.integer("seed", seed, minimum=0, maximum=2**32 - 1)
        if loss is not None:
            _checks.choice("loss", loss, LOSSES)
        self.dashboard = Dashboard(panel, every=every, after=after, title=title)
        self.trainer: GANTrainer | None = None
        self._pending_d: dict | None = None  # the last manual D step, waiting for a G step

        style = {"description_width": "140px"}
        layout = w.Layout(width="420px")
        exponents = {"min": math.log10(LR_RANGE[0]), "max": math.log10(LR_RANGE[1])}
        self.lr_d = w.FloatLogSlider(value=lr_d, base=10, **exponents, step=0.1, description="D learning rate",
                                     readout_format=".1e", style=style, layout=layout)
        self.lr_g = w.FloatLogSlider(value=lr_g, base=10, **exponents, step=0.1, description="G learning rate",
                                     readout_format=".1e", style=style, layout=layout)
        self.steps = w.IntSlider(value=steps, min=1, max=max_steps, step=1, description="steps",
                                 style=style, layout=layout)
        self.k = w.IntSlider(value=k, min=1, max=10, description="k (D steps per G)", style=style, layout=layout)
        self.seed = w.BoundedIntText(value=seed, min=0, max=2**32 - 1, description="seed", style=style,
                                     layout=w.Layout(width="260px"))
        self.loss = None
        if loss is not None:
            self.loss = w.Dropdown(options=list(LOSSES), value=loss, description="generator loss", style=style,
                                   layout=w.Layout(width="360px"))
        self.button = w.Button(description="Train", button_style="primary", icon="play")
        self.button.on_click(lambda _: self.train())
        buttons = [self.button]
        self.step_d_button = self.step_g_button = self.reset_button = None
        if step_buttons:
            self.step_d_button = w.Button(description="Step D", icon="step-forward",
                                          tooltip="one discriminator step on a fresh batch")
            self.step_g_button = w.Button(description="Step G", icon="step-forward",
                                          tooltip="one generator step on fresh noise")
            self.reset_button = w.Button(description="Reset", icon="undo", tooltip="fresh models from the seed")
            self.step_d_button.on_click(lambda _: self.step_d())
            self.step_g_button.on_click(lambda _: self.step_g())
            self.reset_button.on_click(lambda _: self.reset())
            buttons += [self.step_d_button, self.step_g_button, self.reset_button]
        self.progress = w.IntProgress(value=0, min=0, max=steps, description="progress", style=style,
                                      layout=layout)
        self.status = w.HTML(value="")
        right = [self.k, self.seed] + ([self.loss] if self.loss is not None else [])
        self.widget = w.VBox([
            w.HBox([w.VBox([self.lr_d, self.lr_g, self.steps]), w.VBox(right)]),
            w.HBox(buttons), self.progress, self.status,
        ])
        IPython.display.display(self.widget)
        if run:
            self.train()

    def _tick(self, trainer: GANTrainer) -> None:
        self.progress.value = trainer.step

    def _buttons(self, disabled: bool) -> None:
        for b in (self.button, self.step_d_button, self.step_g_button, self.reset_button):
            if b is not None:
                b.disabled = disabled

    def new_trainer(self) -> GANTrainer:
        """A fresh trainer from the current control values (not trained)."""
        values = {"lr_d": self.lr_d.value, "lr_g": self.lr_g.value, "k": self.k.value, "seed": self.seed.value}
        if self.loss is not None:
            values["loss"] = self.loss.value
        trainer = self.make_trainer(**values)
        if not isinstance(trainer, GANTrainer):
            raise ValueError(f"make_trainer must return a GANTrainer, got {type(trainer).__name__}")
        return trainer

    def train(self) -> GANTrainer:
        """Build a fresh trainer from the current control values and train it live."""
        self._buttons(True)
        try:
            self.status.value = "training..."
            self.trainer = self.new_trainer()
            self._pending_d = None
            self.progress.max = self.steps.value
            self.progress.value = 0
            history = self.trainer.train(self.steps.value, callback=[self.dashboard, self._tick])
            summary = f"after {self.trainer.step} steps"
            if len(history):
                summary += (f": D(x) = {history.last('d_real', 50):.3f}, "
                            f"D(G(z)) = {history.last('d_fake', 50):.3f} (mean of the last 50 steps)")
            self.status.value = summary + (f"; {history.stop_reason}" if history.stop_reason else "")
        except Exception as err:
            self.status.value = f"<b>error:</b> {err}"
            raise
        finally:
            self._buttons(False)
        return self.trainer

    def reset(self) -> GANTrainer:
        """Fresh models from the current values and seed, at step 0; the dashboard shows them."""
        self.trainer = self.new_trainer()
        self._pending_d = None
        self.progress.value = 0
        self.dashboard.show(self.trainer)
        self.status.value = "reset: fresh models at step 0"
        return self.trainer

    def step_d(self) -> dict:
        """One discriminator step; shows D(x) and D(G(z)) on its batch before and after it."""
        if self.trainer is None:
            self.reset()
        d = self.trainer.d_step()
        if d["skipped"]:
            self.status.value = f"<b>D step skipped:</b> loss_d = {d['loss_d']}"
            return d
        self._pending_d = d
        self.dashboard.show(self.trainer)
        self.status.value = (f"D step: D(x) {d['d_real']:.3f} &rarr; {d['d_real_after']:.3f}, "
                             f"D(G(z)) {d['d_fake']:.3f} &rarr; {d['d_fake_after']:.3f} (same batch)")
        return d

    def step_g(self) -> dict:
        """One generator step; it is recorded in the history with the last D step's numbers
        (or, with no D step since the last G step, with D measured on a fresh batch)."""
        if self.trainer is None:
            self.reset()
        t = self.trainer
        d = self._pending_d or t.measure_d()
        before = t.measure_d()["d_fake"]
        g = t.g_step()
        if g["skipped"]:
            self.status.value = f"<b>G step skipped:</b> loss_g = {g['loss_g']}"
            return g
        t.record_step(d, g)
        self._pending_d = None
        after = t.measure_d()["d_fake"]
        self.progress.value = min(t.step, self.progress.max)
        self.dashboard.show(t)
        self.status.value = (f"G step {t.step}: D(G(z)) on a fresh batch {before:.3f} &rarr; {after:.3f}, "
                             f"|grad| reaching G = {g['grad_norm_g']:.3g}")
        return g
