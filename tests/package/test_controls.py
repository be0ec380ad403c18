"""Tests of the sliders and buttons that train live (ganbook.controls)."""

import pytest

import ganbook as gb


def test_controls_train_once_on_creation_and_again_on_click(make_trainer, fake_display):
    built = []

    def factory(lr_d, lr_g, k, seed):
        built.append((lr_d, lr_g, k, seed))
        return make_trainer(seed=seed, lr_d=lr_d, lr_g=lr_g, k=k)

    controls = gb.TrainingControls(factory, steps=20, max_steps=100, lr_d=1e-3, lr_g=2e-3, k=2, seed=5, every=10)
    assert built == [(pytest.approx(1e-3), pytest.approx(2e-3), 2, 5)]
    assert controls.trainer.step == 20 and controls.progress.value == 20
    assert "D(x) = " in controls.status.value
    # the widget box and the dashboard image are both in the cell's output
    assert controls.widget in fake_display.shown and controls.dashboard.frames == 2

    controls.steps.value, controls.seed.value, controls.k.value = 30, 6, 1
    controls.button.click()
    assert built[-1][2:] == (1, 6) and controls.trainer.step == 30 and controls.progress.value == 30
    assert not controls.button.disabled


def test_controls_without_a_run_leave_the_trainer_empty(make_trainer, fake_display):
    controls = gb.TrainingControls(lambda **kw: make_trainer(), steps=10, run=False)
    assert controls.trainer is None and controls.dashboard.frames == 0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"make_trainer": "trainer"}, "make_trainer must be callable"),
        ({"steps": 0}, "steps must be >= 1"),
        ({"steps": 500, "max_steps": 100}, "steps must be <= 100"),
        ({"lr_d": 0.0}, "lr_d"),
        ({"lr_g": -1.0}, "lr_g"),
        ({"k": 11}, "k must be <= 10"),
        ({"seed": -3}, "seed"),
    ],
)
def test_controls_reject_bad_arguments(make_trainer, fake_display, kwargs, match):
    options = {"make_trainer": lambda **kw: make_trainer(), "steps": 10, "run": False}
    options.update(kwargs)
    with pytest.raises(ValueError, match=match):
        gb.TrainingControls(**options)


def test_controls_report_a_factory_that_returns_no_trainer(fake_display):
    controls = gb.TrainingControls(lambda **kw: "not a trainer", steps=10, run=False)
    with pytest.raises(ValueError, match="must return a GANTrainer"):
        controls.train()
    assert "error" in controls.status.value and not controls.button.disabled


def test_controls_loss_dropdown_and_single_steps(make_trainer, fake_display):
    built = []

    def factory(lr_d, lr_g, k, seed, loss):
        built.append(loss)
        return make_trainer(seed=seed, lr_d=lr_d, lr_g=lr_g, k=k, loss=loss)

    controls = gb.TrainingControls(factory, steps=10, loss="saturating", step_buttons=True, after=True, run=False)
    assert controls.loss.value == "saturating" and controls.dashboard.after
    controls.reset_button.click()
    assert built == ["saturating"] and controls.trainer.step == 0 and "step 0" in controls.status.value
    d = controls.step_d()
    assert d["d_real_after"] - d["d_fake_after"] > d["d_real"] - d["d_fake"]  # D tells them apart better
    assert "D step" in controls.status.value and controls.trainer.step == 0
    controls.step_g_button.click()
    t = controls.trainer
    assert t.step == 1 and len(t.history) == 1 and t.history.d_real[0] == d["d_real"]  # the D step's numbers
    controls.step_g()  # a G step without a D step before it records D measured on a fresh batch
    assert t.step == 2 and len(t.history) == 2 and t.history.d_real_after[1] == t.history.d_real[1]
    controls.loss.value = "non-saturating"
    controls.button.click()
    assert built[-1] == "non-saturating" and controls.trainer.step == 10


def test_controls_step_buttons_start_from_fresh_models(make_trainer, fake_display):
    controls = gb.TrainingControls(lambda **kw: make_trainer(**kw), steps=5, step_buttons=True, run=False)
    controls.step_g()  # no trainer yet: one is built first
    assert controls.trainer.step == 1


def test_controls_reject_an_unknown_loss(make_trainer, fake_display):
    with pytest.raises(ValueError, match="loss must be one of"):
        gb.TrainingControls(lambda **kw: make_trainer(), steps=5, loss="hinge", run=False)
