"""Tests of the live D(x) / D(G(z)) dashboard (ganbook.dashboard)."""

import numpy as np
import pytest

import ganbook as gb
from conftest import PNG_MAGIC


def test_dashboard_draws_its_curves_above_two_or_more_panels(make_trainer):
    trainer = make_trainer()
    trainer.train(10)
    dash = gb.Dashboard([gb.histogram_panel(gb.Gaussian1D(2.0, 0.5), n=100), gb.history_panel("loss_d")])
    fig = dash.figure(trainer)
    assert len(fig.axes) == 3 and len(dash.panels) == 2
    curves, first, second = (ax.get_position() for ax in fig.axes)
    assert curves.width > 1.8 * first.width  # the curves across the figure's width
    assert first.y0 < curves.y0 and second.y0 < curves.y0 and first.x0 < second.x0  # the panels below, side by side
    # no wider than the page's column can show at 90 px per inch (7 inches at 100 dpi: 700 CSS px)
    assert dash.figsize == (7, 5.2)
    one = gb.Dashboard(gb.history_panel("loss_d"))
    assert one.figsize == (7, 3.2) and len(one.figure(trainer).axes) == 2


def test_dashboard_grid_layout_puts_the_first_panel_large_on_the_right(ring_trainer):
    trainer = ring_trainer()
    trainer.train(5)
    ring = gb.GaussianRing2D()
    dash = gb.Dashboard([gb.field_panel(ring, n=50, arrows=10, grid=8), gb.CoveragePanel(ring)], layout="grid")
    fig = dash.figure(trainer)
    titled = {ax.get_title().split(":")[0].split(";")[0]: ax for ax in fig.axes if ax.get_title()}
    curves, field, coverage = titled["D(x) and D(G(z))"], titled["D(x) over the plane"], titled["mode coverage"]
    assert field.images and curves.get_position().x0 < field.get_position().x0  # the field on the right
    assert coverage.get_position().y0 < curves.get_position().y0  # the coverage under the curves
    assert field.get_position().height > 1.5 * curves.get_position().height  # spans both rows
    assert dash.figsize == (7, 4.8)
    with pytest.raises(ValueError, match="layout must be one of"):
        gb.Dashboard(layout="column")
    with pytest.raises(ValueError, match="needs at least one panel"):
        gb.Dashboard(layout="grid")


def test_a_left_panels_second_y_axis_stays_clear_of_the_large_panel(make_trainer):
    # chapter 9's distance on a log scale, on a second y axis: its ticks and label must not run
    # into the image grid on the right
    def grid(ax, trainer):
        ax.imshow(np.zeros((10, 8)))
        ax.set_title("the large panel")

    def twin(ax, trainer):
        ax.plot([0, 1], [0, 1])
        other = ax.twinx()
        other.set_ylabel("distance / floor (log)")
        if trainer.step > 5:  # the distance is measured from the second frame on: wider ticks
            other.set_yscale("log")
            other.plot([0, 1], [2, 20])

    trainer = make_trainer()
    dash = gb.Dashboard([grid, twin], layout="grid", replay=False)
    trainer.train(5)
    dash.figure(trainer)  # the first frame, whose layout the later ones keep
    trainer.train(5)
    fig = dash.figure(trainer)
    fig.canvas.draw()
    large = next(ax for ax in fig.axes if ax.get_title() == "the large panel")
    second = next(ax for ax in fig.axes if ax.get_ylabel() == "distance / floor (log)")
    assert second.yaxis.get_tightbbox().x1 < large.get_window_extent().x0


def test_dashboard_updates_one_display_in_place(make_trainer, fake_display):
    trainer = make_trainer()
    dash = gb.Dashboard(gb.histogram_panel(gb.Gaussian1D(2.0, 0.5), n=500), every=10)
    trainer.train(35, callback=dash)
    # frames at steps 10, 20, 30 and the final one at 35: one display, then in-place updates,
    # and at the end the replay of those four frames in the same place
    assert len(fake_display.shown) == 1 and len(fake_display.updates) == 4 and dash.frames == 4
    for image in fake_display.shown + fake_display.updates[:3]:
        assert image.data.startswith(PNG_MAGIC) and len(image.data) > 10_000
    replay = fake_display.updates[-1]
    assert set(replay) == {"text/html", "image/png", "text/plain"} and "steps 10 to 35" in replay["text/plain"]


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
    assert len(hist.patches) > 0 and "step 20" in fig.get_suptitle()


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: gb.Dashboard(panel="hist"), "panel must be callable"),
        (lambda: gb.Dashboard(every=0), "every must be >= 1"),
        (lambda: gb.Dashboard(figsize=(0, 3)), r"figsize\[0\]"),
    ],
)
def test_dashboard_rejects_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_each_run_leaves_a_replay_of_its_own_frames(make_trainer, fake_display):
    trainer = make_trainer()
    dash = gb.Dashboard(every=5, replay_frames=3)
    trainer.train(20, callback=dash)
    assert [step for step, _ in dash.recorded] == [5, 10, 15, 20]
    first = dash.replay_of_run()
    assert first.steps == [5, 15, 20]  # thinned to 3, evenly, the first and the last kept
    trainer.train(10, callback=dash)  # a second run replays only its own frames
    assert dash.replay_of_run().steps == [25, 30]
    assert "D(x) and D(G(z))" in dash.replay_of_run().alt


def test_a_dashboard_without_replay_leaves_its_last_frame(make_trainer, fake_display):
    dash = gb.Dashboard(every=5, replay=False)
    make_trainer().train(10, callback=dash)
    assert all(hasattr(shown, "data") for shown in fake_display.updates)  # images only, no bundle


def test_a_run_keeps_the_layout_of_its_first_frame_and_a_new_run_works_it_out_again(make_trainer, fake_display):
    trainer = make_trainer()
    dash = gb.Dashboard(gb.history_panel("grad_norm_g", log=True), every=5, replay=False)
    trainer.train(20, callback=dash)
    layouts = [dash.figure(trainer).subplotpars for _ in range(2)]
    first = dict(dash._layout)
    assert [(p.left, p.right, p.bottom, p.top, p.wspace) for p in layouts].count(
        (first["left"], first["right"], first["bottom"], first["top"], first["wspace"])) == 2
    dash.on_train_begin(trainer)
    assert dash._layout is None  # worked out again on the next run's first frame


def test_a_critics_dashboard_names_its_curves_f_not_d(make_trainer, fake_display):
    trainer = make_trainer(loss=gb.Wasserstein(gp=1.0))
    trainer.train(5)
    fig = gb.Dashboard(replay=False).figure(trainer)
    ax = fig.axes[0]
    assert ax.get_title() == "f(x) and f(G(z)): the critic's mean scores"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["f(x)", "f(G(z))", "gap: real - fake"]
    assert "f(x) = " in fig._suptitle.get_text()


def test_a_critics_replay_says_f_in_its_alt_text(make_trainer, fake_display):
    trainer = make_trainer(loss=gb.Wasserstein(gp=1.0))
    dash = gb.Dashboard(every=5)
    trainer.train(10, callback=dash)
    assert "frame by frame: f(x) and f(G(z)) against" in dash.replay_of_run().alt


def test_a_long_panel_title_is_wrapped_to_its_panels_width(make_trainer, fake_display):
    # a 7-inch dashboard's panels are about 3 inches wide: a long title is wrapped, not run into
    # the next panel
    def long_title(ax, trainer):
        ax.plot([0, 1])
        ax.set_title("a panel title long enough to run into the panel beside it, twice over")

    trainer = make_trainer()
    trainer.train(5)
    fig = gb.Dashboard(long_title, replay=False).figure(trainer)
    title = fig.axes[1].title
    assert "\n" in title.get_text() and title.get_fontsize() == 10
    fig.canvas.draw()
    box = title.get_window_extent()
    assert box.x1 <= fig.bbox.x1 and box.x0 >= fig.axes[0].get_window_extent().x1  # within its column


def test_a_hinge_dashboard_draws_a_margin_classifier_not_a_critic(make_trainer, fake_display):
    trainer = make_trainer(loss=gb.Hinge())
    trainer.train(5)
    ax = gb.Dashboard(replay=False).figure(trainer).axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["margins +1 and -1", "D(x)", "D(G(z))"]
    assert ax.get_ylabel() == "mean D score (targets +1 real, -1 fake)" and ax.get_title() == "D(x) and D(G(z))"
