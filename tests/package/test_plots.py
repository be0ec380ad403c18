"""Tests of the D curves and image grids drawn on an axis (ganbook.plots)."""

import pytest
import torch
from matplotlib.figure import Figure

import ganbook as gb


@pytest.fixture(scope="module")
def digits():
    return gb.Digits("train"), gb.Digits("test")


def test_plot_images_draws_a_grid_with_gaps(digits):
    train, _ = digits
    fig = Figure()
    ax = fig.add_subplot()
    gb.plot_images(ax, train.images[:10], columns=4, title="ten")
    canvas = ax.images[0].get_array()
    assert canvas.shape == (3 * 9 + 1, 4 * 9 + 1)  # 3 rows of 4, one-pixel gaps
    assert ax.get_title() == "ten"


@pytest.mark.parametrize("images, kwargs, message", [
    (torch.zeros(5, 63), {}, "shape"),
    (torch.zeros(0, 64), {}, "shape"),
    (torch.zeros(5, 64), {"columns": 0}, "columns"),
    (torch.zeros(5, 64), {"shape": (8,)}, "height, width"),
    (torch.zeros(5, 64), {"shape": (8, 0)}, "shape"),
])
def test_plot_images_rejects_bad_arguments(images, kwargs, message):
    ax = Figure().add_subplot()
    with pytest.raises(ValueError, match=message):
        gb.plot_images(ax, images, **kwargs)


def test_plot_d_curves_draws_an_empty_history():
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    gb.plot_d_curves(ax, gb.History())
    assert ax.get_title() == "D(x) and D(G(z))"


def test_d_curves_of_a_conditional_gan_name_the_pairs():
    from matplotlib.figure import Figure

    from ganbook.plots import PAIR_NAMES

    ax = Figure().subplots()
    history = gb.History(step=[1, 2], d_real=[0.6, 0.7], d_fake=[0.4, 0.3], d_real_after=[0.6, 0.7],
                         d_fake_after=[0.4, 0.3], loss_d=[1, 1], loss_g=[1, 1], grad_norm_g=[1, 1])
    gb.plot_d_curves(ax, history, names=PAIR_NAMES)
    assert [t.get_text() for t in ax.get_legend().get_texts()][1:] == ["D(x, y)", "D(G(z, y), y)"]
    assert ax.get_title() == "D(x, y) and D(G(z, y), y)"
    with pytest.raises(ValueError, match="names must be two strings"):
        gb.plot_d_curves(ax, history, names=("D(x)",))


def test_a_critics_curves_are_its_scores_and_their_gap():
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    history = gb.History(step=[1, 2], d_real=[3.0, 5.0], d_fake=[-1.0, 2.0], d_real_after=[3.0, 5.0],
                         d_fake_after=[-1.0, 2.0], loss_d=[1, 1], loss_g=[1, 1], grad_norm_g=[1, 1])
    gb.plot_d_curves(ax, history, output="critic")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["D(x)", "D(G(z))", "gap: real - fake"]  # no 0.5 line for an unbounded score
    assert ax.get_ylabel() == "critic's mean score (unbounded)" and ax.get_ylim()[1] > 5
    with pytest.raises(ValueError, match="output must be one of"):
        gb.plot_d_curves(ax, history, output="score")


def test_a_margin_score_is_drawn_with_its_targets_and_no_gap():
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    history = gb.History(step=[1, 2], d_real=[0.8, 1.2], d_fake=[-0.5, -1.1], d_real_after=[0.8, 1.2],
                         d_fake_after=[-0.5, -1.1], loss_d=[1, 1], loss_g=[1, 1], grad_norm_g=[1, 1])
    gb.plot_d_curves(ax, history, output="margin")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["margins +1 and -1", "D(x)", "D(G(z))"]  # the hinge has no gap that measures a distance
    levels = sorted(line.get_ydata()[0] for line in ax.get_lines() if line.get_linestyle() == ":")
    assert levels == [-1, 1]
    assert ax.get_ylabel() == "mean D score (targets +1 real, -1 fake)"
    assert ax.get_title() == "D(x) and D(G(z))"
