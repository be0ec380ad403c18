import IPython.display
import pytest

import ganbook as gb

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class FakeDisplay:
    """Stands in for IPython's display: records what was shown and each in-place update."""

    def __init__(self):
        self.shown, self.updates = [], []

    def __call__(self, obj, display_id=None, **kwargs):
        self.shown.append(obj)
        if display_id:
            outer = self

            class Handle:
                def update(self, new):
                    outer.updates.append(new)

            return Handle()


@pytest.fixture
def fake_display(monkeypatch):
    fake = FakeDisplay()
    monkeypatch.setattr(IPython.display, "display", fake)
    return fake


def test_dashboard_updates_one_display_in_place(make_trainer, fake_display):
    trainer = make_trainer()
    dash = gb.Dashboard(gb.histogram_panel(gb.Gaussian1D(2.0, 0.5), n=500), every=10)
    trainer.train(35, callback=dash)
    # frames at steps 10, 20, 30 and the final one at 35: one display, then in-place updates
    assert len(fake_display.shown) == 1 and len(fake_display.updates) == 3 and dash.frames == 4
    for image in fake_display.shown + fake_display.updates:
        assert image.data.startswith(PNG_MAGIC) and len(image.data) > 10_000


def test_dashboard_shows_the_final_frame_of_a_stopped_run(make_trainer, fake_display):
    def stop_at_3(trainer):
        return trainer.step == 3

    dash = gb.Dashboard(every=100)
    make_trainer().train(50, callback=[dash, stop_at_3])
    assert dash.frames == 1 and fake_display.shown  # the only frame is the final one


def test_dashboard_does_not_change_the_run(make_trainer, fake_display):
    plain = make_trainer(seed=3).train(30).as_dict()
    dash = gb.Dashboard(gb.histogram_panel(gb.Gaussian1D(2.0, 0.5), n=300), every=7, after=True)
    watched = make_trainer(seed=3).train(30, callback=dash).as_dict()
    assert plain == watched


def test_dashboard_figure_has_both_panels_and_the_equilibrium_line(make_trainer):
    trainer = make_trainer()
    trainer.train(20)
    fig = gb.Dashboard(gb.histogram_panel(gb.Gaussian1D(2.0, 0.5), n=300)).figure(trainer)
    curves, hist = fig.axes
    labels = [line.get_label() for line in curves.get_lines()]
    assert "D(x)" in labels and "D(G(z))" in labels and "0.5 (equilibrium)" in labels
    assert curves.get_ylim() == (0, 1)
    assert len(hist.patches) > 0 and "step 20" in fig._suptitle.get_text()


def test_plot_d_curves_draws_an_empty_history():
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    gb.plot_d_curves(ax, gb.History())
    assert ax.get_title() == "D(x) and D(G(z))"


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: gb.Dashboard(panel="hist"), "panel must be callable"),
        (lambda: gb.Dashboard(every=0), "every must be >= 1"),
        (lambda: gb.Dashboard(figsize=(0, 3)), r"figsize\[0\]"),
        (lambda: gb.histogram_panel(gb.Gaussian1D(), n=1), "n must be >= 2"),
        (lambda: gb.histogram_panel(gb.Gaussian1D(), range=(2, 1)), "range"),
        (lambda: gb.histogram_panel([1, 2, 3]), "p_data must be"),
    ],
)
def test_live_helpers_reject_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


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


def test_history_panel_plots_the_scaled_field_and_its_reference(make_trainer):
    from matplotlib.figure import Figure

    trainer = make_trainer()
    trainer.train(15)
    ax = Figure().subplots()
    gb.history_panel("loss_d", scale=-1, label="V estimate", reference=-1.386, reference_label="-log 4")(ax, trainer)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) >= {"V estimate", "-log 4"}
    raw = [line for line in ax.get_lines() if line.get_label().startswith("_")][0]  # the unsmoothed curve
    assert list(raw.get_ydata()) == pytest.approx([-v for v in trainer.history.loss_d])


def test_history_panel_log_axis_and_empty_history(make_trainer):
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    gb.history_panel("grad_norm_g", log=True)(ax, make_trainer())
    assert ax.get_yscale() == "log" and ax.get_title() == "grad_norm_g"


def test_interactive_figure_draws_at_creation_and_redraws_in_place(fake_display):
    import ipywidgets as w

    calls = []

    def draw(fig, a, b):
        calls.append((a, b))
        fig.subplots().plot([0, 1], [a, b])

    slider, dropdown = w.FloatSlider(value=0.5, min=0, max=1), w.Dropdown(options=["x", "y"], value="x")
    view = gb.InteractiveFigure(draw, {"a": slider, "b": dropdown})
    # the controls, then one image: the static frame the rendered book keeps
    assert view.widget in fake_display.shown and calls == [(0.5, "x")] and view.frames == 1
    assert fake_display.shown[-1].data.startswith(PNG_MAGIC)
    slider.value = 0.25
    dropdown.value = "y"
    assert calls[1:] == [(0.25, "x"), (0.25, "y")] and len(fake_display.updates) == 2
    assert view.values == {"a": 0.25, "b": "y"}


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: gb.history_panel("loss"), "name must be one of"),
        (lambda: gb.history_panel("loss_d", scale=float("nan")), "scale must be finite"),
        (lambda: gb.history_panel("loss_d", reference="high"), "reference must be a number"),
        (lambda: gb.InteractiveFigure("draw", {"a": None}), "draw must be callable"),
        (lambda: gb.InteractiveFigure(lambda fig: None, {}), "controls must be a non-empty dict"),
        (lambda: gb.InteractiveFigure(lambda fig, a: None, {"a": 0.5}), r"controls\['a'\] must be an ipywidgets"),
    ],
)
def test_panels_and_interactive_figures_reject_bad_arguments(make, match, fake_display):
    import ipywidgets  # noqa: F401  (InteractiveFigure needs it)

    with pytest.raises(ValueError, match=match):
        make()


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
