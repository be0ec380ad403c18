"""Tests of the dashboard's panels (ganbook.panels)."""

import numpy as np
import pytest
import torch
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from torch import nn

import ganbook as gb
from ganbook.panels import field_look


def test_field_panel_draws_heatmap_points_and_arrows(ring_trainer):
    trainer = ring_trainer()
    trainer.train(10)
    fig = Figure(figsize=(5, 4))
    ax = fig.subplots()
    gb.field_panel(gb.GaussianRing2D(), n=200, arrows=30, grid=20)(ax, trainer)
    assert ax.images and ax.images[0].get_array().shape == (20, 20)
    assert len(ax.collections) >= 3  # real points, fake points, arrows (and the contour)
    quiver = [c for c in ax.collections if type(c).__name__ == "Quiver"][0]
    assert quiver.N == 30


def _draw_field(trainer, grid=20):
    """The field panel on its own figure: the heatmap's values, its contour levels (None: no
    contour), its colour range and the colour bar's label."""
    fig = Figure(figsize=(5, 4))
    ax = fig.subplots()
    gb.field_panel(gb.GaussianRing2D(), n=100, arrows=10, grid=grid)(ax, trainer)
    contours = [c for c in ax.collections if isinstance(c, ContourSet)]
    heat = ax.images[0]
    bar = [a for a in fig.axes if a is not ax][0]
    return {"heat": np.asarray(heat.get_array()), "levels": list(contours[0].levels) if contours else None,
            "clim": heat.get_clim(), "label": bar.get_ylabel(), "title": ax.get_title()}


def _raw_scores(trainer, grid=20):
    axis = torch.linspace(-3.0, 3.0, grid)
    gx, gy = torch.meshgrid(axis, axis, indexing="xy")
    with torch.no_grad():
        return trainer.logits(torch.stack([gx.reshape(-1), gy.reshape(-1)], 1)).reshape(grid, grid).numpy()


def _offset_last_bias(trainer, value):
    # scores far from [0, 1]: a sigmoid of them would be flat near 1, the raw scores are not
    with torch.no_grad():
        [m for m in trainer.discriminator.modules() if isinstance(m, nn.Linear)][-1].bias.add_(value)


def test_field_panel_draws_a_probability_with_its_half_contour(ring_trainer):
    trainer = ring_trainer()
    trainer.train(10)
    drawn = _draw_field(trainer)
    assert drawn["heat"] == pytest.approx(torch.sigmoid(torch.as_tensor(_raw_scores(trainer))).numpy(), abs=1e-6)
    assert drawn["clim"] == (0.0, 1.0) and drawn["label"] == "D(x)" and drawn["title"].startswith("D(x) over")
    assert drawn["levels"] in (None, [0.5])  # drawn where D crosses 0.5


def test_field_panel_draws_a_least_squares_score_raw_with_the_midway_contour(ring_trainer):
    trainer = ring_trainer(loss=gb.LeastSquares())
    trainer.train(10)
    _offset_last_bias(trainer, 0.5 - float(np.median(_raw_scores(trainer))))  # the midway level crosses it
    drawn = _draw_field(trainer)
    assert drawn["heat"] == pytest.approx(_raw_scores(trainer), abs=1e-6)  # no sigmoid
    assert drawn["levels"] == [0.5] and drawn["clim"] == (0.0, 1.0)
    assert drawn["label"] == "D(x), raw score (targets: 1 real, 0 fake)"


def test_field_panel_draws_the_hinges_margin_score_with_its_zero_boundary(ring_trainer):
    trainer = ring_trainer(loss=gb.Hinge())
    trainer.train(10)
    _offset_last_bias(trainer, -float(np.median(_raw_scores(trainer))))  # the boundary crosses the plane
    drawn = _draw_field(trainer)
    assert drawn["heat"] == pytest.approx(_raw_scores(trainer), abs=1e-6)
    assert drawn["levels"] == [0.0] and drawn["clim"] == (-1.0, 1.0)
    assert drawn["label"] == "D(x), raw score (targets: +1 real, -1 fake)"


def test_field_panel_draws_a_critic_raw_centred_on_its_median_with_no_contour(ring_trainer):
    trainer = ring_trainer(loss=gb.Wasserstein(gp=10.0))
    trainer.train(10)
    _offset_last_bias(trainer, 5.0)  # a critic's offset is arbitrary: far from 0.5 on purpose
    scores = _raw_scores(trainer)
    drawn = _draw_field(trainer)
    assert drawn["heat"] == pytest.approx(scores, abs=1e-6)
    assert drawn["levels"] is None  # no level of a critic means anything on its own
    low, high = drawn["clim"]
    assert (low + high) / 2 == pytest.approx(np.median(scores)) and low <= scores.min() and high >= scores.max()
    assert drawn["label"] == "f(x), critic's score (centred on its median)"
    assert drawn["title"].startswith("f(x) over")


def test_field_look_rejects_what_it_cannot_draw():
    with pytest.raises(ValueError, match="output must be one of .*got 'score'"):
        field_look("score", np.zeros((2, 2)))
    with pytest.raises(ValueError, match="heat must be a non-empty array"):
        field_look("critic", np.zeros((0,)))
    flat = field_look("critic", np.full((3, 3), 2.0))  # a flat critic still gets a range
    assert flat["vmin"] < 2.0 < flat["vmax"]


def test_field_panel_does_not_change_the_run(ring_trainer):
    plain = ring_trainer(seed=2).train(12).as_dict()
    dash = gb.Dashboard([gb.field_panel(gb.GaussianRing2D(), n=100, grid=10), gb.CoveragePanel(gb.GaussianRing2D())],
                        every=4)
    watched = ring_trainer(seed=2).train(12, callback=dash).as_dict()
    assert plain == watched


def test_coverage_panel_logs_each_redraw(ring_trainer):
    trainer = ring_trainer()
    panel = gb.CoveragePanel(gb.GaussianRing2D(), n=500)
    dash = gb.Dashboard([panel], every=5)
    trainer.train(15, callback=dash)
    assert panel.log["step"] == [5, 10, 15]
    assert all(0 <= m <= 8 for m in panel.log["modes"]) and all(0 <= q <= 1 for q in panel.log["high_quality"])
    fig = dash.figure(trainer)
    assert len(fig.axes) == 3  # the D curves, the modes hit and, on a twin axis, the quality


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: gb.field_panel(gb.Gaussian1D()), "needs 2-D data"),
        (lambda: gb.field_panel(gb.GaussianRing2D(), lim=0), "lim must be a positive"),
        (lambda: gb.field_panel(gb.GaussianRing2D(), n=10, arrows=20), "arrows must be <= 10"),
        (lambda: gb.field_panel("ring"), "p_data must be"),
        (lambda: gb.CoveragePanel(gb.TwoMoons()), "needs a distribution with modes"),
        (lambda: gb.CoveragePanel(gb.GaussianRing2D(), n=0), "n must be >= 1"),
    ],
)
def test_two_d_panels_reject_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_image_panel_draws_the_same_z_in_every_frame(make_trainer):
    gb.seed_everything(0)
    G = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 64), nn.Tanh())
    D = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 1))
    trainer = gb.GANTrainer(G, D, gb.Digits("train"), z_dim=4, batch_size=16, device="cpu")
    seen = []
    panel = gb.image_panel(n=6, columns=3, source=lambda z: seen.append(z.clone()) or torch.zeros(len(z), 64))
    dash = gb.Dashboard([panel], every=5)
    png = dash.png(trainer)
    dash.png(trainer)
    assert png[:4] == b"\x89PNG" and len(seen) == 2 and torch.equal(seen[0], seen[1])
    assert dash.png(gb.GANTrainer(G, D, gb.Digits("train"), z_dim=4, batch_size=16, device="cpu"))
    default = gb.Dashboard([gb.image_panel(n=4)], every=5)  # the trainer's own generator
    assert default.png(trainer)[:4] == b"\x89PNG"


@pytest.mark.parametrize("kwargs, message", [
    ({"n": 0}, "n must be"),
    ({"seed": -1}, "seed"),
    ({"source": "G"}, "source"),
])
def test_image_panel_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        gb.image_panel(**kwargs)


def test_histogram_panel_draws_each_histogram_as_one_filled_outline(make_trainer):
    trainer = make_trainer()
    trainer.train(3)
    fig = Figure()
    ax = fig.add_subplot()
    gb.histogram_panel(gb.Gaussian1D(2.0, 0.5), n=200, bins=40, range=(0, 4))(ax, trainer)
    # two artists (real and generated) whatever the number of bins, each a density over the range
    assert len(ax.patches) == 2
    real, fake = ax.patches
    assert real.get_label() == "real x ~ p_data" and fake.get_label() == "generated G(z)"
    values, edges, _ = real.get_data()
    assert len(values) == 40 and abs((values * (edges[1] - edges[0])).sum() - 1) < 1e-6


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


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: gb.histogram_panel(gb.Gaussian1D(), n=1), "n must be >= 2"),
        (lambda: gb.histogram_panel(gb.Gaussian1D(), range=(2, 1)), "range"),
        (lambda: gb.histogram_panel([1, 2, 3]), "p_data must be"),
        (lambda: gb.history_panel("loss"), "name must be one of"),
        (lambda: gb.history_panel("loss_d", scale=float("nan")), "scale must be finite"),
        (lambda: gb.history_panel("loss_d", reference="high"), "reference must be a number"),
    ],
)
def test_histogram_and_history_panels_reject_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_fixed_noise_is_drawn_once_and_again_only_for_another_z_dim():
    noise = gb.FixedNoise(5, torch.Generator().manual_seed(0))
    z = noise(3)
    assert z.shape == (5, 3) and noise(3) is z
    assert noise(4).shape == (5, 4)
    with pytest.raises(ValueError, match="generator must be a torch.Generator"):
        gb.FixedNoise(5, 0)
    with pytest.raises(ValueError, match="n must be >= 1, got 0"):
        gb.FixedNoise(0, torch.Generator())
