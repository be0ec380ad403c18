"""The digits, their quality metrics, the weight average and the image panels (chapter 7)."""

import math
import warnings

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure
from torch import nn

import ganbook as gb


@pytest.fixture(scope="module")
def digits():
    return gb.Digits("train"), gb.Digits("test")


@pytest.fixture(scope="module")
def classifier(digits):
    torch.set_num_threads(1)
    train, _ = digits
    return gb.DigitClassifier().fit(train.images, train.labels, epochs=5, seed=0)


# -- the data ------------------------------------------------------------------------------------


def test_digits_are_split_70_30_scaled_to_minus_one_one_and_stratified(digits):
    train, test = digits
    assert (len(train), len(test)) == (1257, 540)
    assert train.images.shape == (1257, 64) and train.images.dtype == torch.float32
    assert train.images.min() == -1 and train.images.max() == 1
    levels = train.images.unique()
    assert len(levels) == 17 and torch.allclose(levels.diff(), torch.full((16,), 0.125))
    for part in (train, test):
        shares = torch.bincount(part.labels, minlength=10) / len(part)
        assert shares.min() > 0.09 and shares.max() < 0.11


def test_digits_split_is_disjoint_and_the_same_every_time(digits):
    train, test = digits
    again = gb.Digits("train")
    assert torch.equal(again.images, train.images) and torch.equal(again.labels, train.labels)
    other = gb.Digits("train", seed=1)
    assert not torch.equal(other.images, train.images)
    # every image of the full set is in exactly one part (the data has no exact duplicates across parts)
    both = torch.cat([train.images, test.images])
    assert len(torch.unique(both, dim=0)) >= len(both) - 5


def test_digits_sampling_draws_training_images_reproducibly(digits):
    train, _ = digits
    a = train.sample(50, generator=torch.Generator().manual_seed(3))
    b = train(50, generator=torch.Generator().manual_seed(3))
    assert a.shape == (50, 64) and torch.equal(a, b)
    assert (torch.cdist(a, train.images).min(dim=1).values == 0).all()  # each one is a training image


@pytest.mark.parametrize("kwargs, name", [
    ({"split": "validation"}, "split"),
    ({"test_size": 0.0}, "test_size"),
    ({"test_size": 1.5}, "test_size"),
    ({"test_size": float("nan")}, "test_size"),
    ({"seed": -1}, "seed"),
    ({"seed": 0.5}, "seed"),
])
def test_digits_reject_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        gb.Digits(**kwargs)


def test_digits_reject_a_bad_sample_size(digits):
    with pytest.raises(ValueError, match="n must be >= 1"):
        digits[0].sample(0)


# -- the Frechet distance ------------------------------------------------------------------------


def test_frechet_distance_of_independent_gaussians_has_the_closed_form():
    gen = torch.Generator().manual_seed(0)
    mu_a, mu_b = torch.tensor([0.0, 1.0, 2.0]), torch.tensor([0.5, 1.0, 0.0])
    s_a, s_b = torch.tensor([1.0, 0.5, 2.0]), torch.tensor([1.0, 1.5, 1.0])
    a = mu_a + s_a * torch.randn(300_000, 3, generator=gen)
    b = mu_b + s_b * torch.randn(300_000, 3, generator=gen)
    expected = ((mu_a - mu_b) ** 2).sum() + ((s_a - s_b) ** 2).sum()
    assert gb.frechet_distance(a, b) == pytest.approx(expected.item(), abs=0.03)


def test_frechet_distance_matches_scipys_matrix_square_root_and_is_symmetric():
    scipy_linalg = pytest.importorskip("scipy.linalg")
    gen = torch.Generator().manual_seed(1)
    a = torch.randn(500, 6, generator=gen) @ torch.randn(6, 6, generator=gen)
    b = torch.randn(400, 6, generator=gen) @ torch.randn(6, 6, generator=gen) + 0.3
    ca, cb = np.cov(a.double().numpy().T), np.cov(b.double().numpy().T)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        root = scipy_linalg.sqrtm(ca @ cb).real
    expected = ((a.double().mean(0) - b.double().mean(0)) ** 2).sum().item() + np.trace(ca + cb - 2 * root)
    assert gb.frechet_distance(a, b) == pytest.approx(expected, rel=1e-6)
    assert gb.frechet_distance(a, b) == pytest.approx(gb.frechet_distance(b, a), rel=1e-9)
    assert abs(gb.frechet_distance(a, a)) < 1e-9


def test_frechet_distance_handles_dead_features_without_warnings():
    gen = torch.Generator().manual_seed(2)
    a, b = torch.randn(100, 5, generator=gen).relu(), torch.randn(80, 5, generator=gen).relu()
    a[:, 0] = b[:, 0] = 0  # a feature that never fires: a singular covariance
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = gb.frechet_distance(a, b)
    assert math.isfinite(d) and d >= -1e-9


@pytest.mark.parametrize("a, b, message", [
    (torch.zeros(10, 3), torch.zeros(10, 4), "features per row"),
    (torch.zeros(1, 3), torch.zeros(10, 3), "at least 2 rows"),
    (torch.full((10, 3), float("nan")), torch.zeros(10, 3), "non-finite"),
    (torch.zeros(10), torch.zeros(10, 3), "shape"),
    ("features", torch.zeros(10, 3), "array of points"),
])
def test_frechet_distance_rejects_bad_inputs(a, b, message):
    with pytest.raises(ValueError, match=message):
        gb.frechet_distance(a, b)


# -- class shares and the classifier -------------------------------------------------------------


def test_class_shares_counts_each_class():
    shares = gb.class_shares(torch.tensor([0, 0, 1, 3]), classes=4)
    assert shares == [0.5, 0.25, 0.0, 0.25]
    assert sum(gb.class_shares(np.arange(10).repeat(3))) == pytest.approx(1.0)


@pytest.mark.parametrize("labels, classes, message", [
    (torch.tensor([0.0, 1.0]), 10, "integers"),
    (torch.tensor([0, 10]), 10, r"\[0, 10\), got 10"),
    (torch.tensor([-1, 2]), 10, "got -1"),
    (torch.tensor([], dtype=torch.long), 10, "non-empty"),
    (torch.zeros(2, 2, dtype=torch.long), 10, "1-D"),
    (torch.tensor([0, 1]), 0, "classes"),
])
def test_class_shares_rejects_bad_labels(labels, classes, message):
    with pytest.raises(ValueError, match=message):
        gb.class_shares(labels, classes=classes)


def test_classifier_learns_the_digits_and_gives_features(digits, classifier):
    _, test = digits
    assert (classifier.predict(test.images) == test.labels).float().mean() > 0.9
    f = classifier.features(test.images[:7])
    assert f.shape == (7, 64) and (f >= 0).all()  # ReLU features
    assert classifier.predict(test.images[:7].reshape(7, 8, 8)).shape == (7,)


def test_classifier_fit_is_seeded_and_leaves_the_global_stream_alone(digits):
    train, _ = digits
    images, labels = train.images[:200], train.labels[:200]
    a, b = gb.DigitClassifier(), gb.DigitClassifier(features=64)  # built (and initialised) differently
    torch.manual_seed(123)
    before = torch.randn(3)
    torch.manual_seed(123)
    a.fit(images, labels, epochs=1, seed=5)
    after = torch.randn(3)
    b.fit(images, labels, epochs=1, seed=5)
    assert torch.equal(before, after)  # fit drew nothing from the caller's stream
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert torch.equal(pa, pb)  # same seed, same classifier


@pytest.mark.parametrize("call, message", [
    (lambda c, x, y: c.fit(x[:, :10], y), "shape"),
    (lambda c, x, y: c.fit(x, y[:5]), "labels must have shape"),
    (lambda c, x, y: c.fit(x, y, epochs=0), "epochs"),
    (lambda c, x, y: c.fit(x, y, lr=-1.0), "lr"),
    (lambda c, x, y: c.fit(x, y, seed=-2), "seed"),
    (lambda c, x, y: c.features(x.numpy()), "torch.Tensor"),
    (lambda c, x, y: c.predict(x[:, :63]), "shape"),
])
def test_classifier_rejects_bad_arguments(digits, call, message):
    train, _ = digits
    with pytest.raises(ValueError, match=message):
        call(gb.DigitClassifier(), train.images[:20], train.labels[:20])


# -- the weight average --------------------------------------------------------------------------


def small_generator(batch_norm: bool = False):
    torch.manual_seed(0)
    layers = [nn.Linear(4, 8), *([nn.BatchNorm1d(8)] if batch_norm else []), nn.ReLU(), nn.Linear(8, 3)]
    return nn.Sequential(*layers)


def test_weight_average_moves_towards_the_weights_with_the_warmup():
    G = small_generator()
    avg = gb.WeightAverage(G, decay=0.99)
    start = [p.detach().clone() for p in avg.model.parameters()]
    with torch.no_grad():
        for p in G.parameters():
            p.add_(1.0)
    avg.update(G)  # update 0: decay min(0.99, 1/10) = 0.1
    for a, s, p in zip(avg.model.parameters(), start, G.parameters()):
        assert torch.allclose(a, 0.1 * s + 0.9 * p)
    assert not any(p.requires_grad for p in avg.model.parameters())
    assert all(p.requires_grad for p in G.parameters())  # G itself is untouched


def test_weight_average_without_warmup_uses_the_decay_and_the_gap():
    G = small_generator()
    avg = gb.WeightAverage(G, decay=0.5, warmup=False)
    start = [p.detach().clone() for p in avg.model.parameters()]
    with torch.no_grad():
        for p in G.parameters():
            p.add_(1.0)

    class Step:  # the two attributes the callback reads
        generator, step = G, 3

    avg(Step())  # first call: one step's decay
    avg.model.load_state_dict({k: v for k, v in zip(avg.model.state_dict(), start)})
    Step.step = 5  # two steps later: decay ** 2
    avg(Step())
    for a, s, p in zip(avg.model.parameters(), start, G.parameters()):
        assert torch.allclose(a, 0.25 * s + 0.75 * p)


def test_weight_average_recomputes_batchnorm_statistics_for_its_weights():
    G = small_generator(batch_norm=True)
    avg = gb.WeightAverage(G)
    z = torch.randn(64, 4, generator=torch.Generator().manual_seed(1))
    torch.manual_seed(7)
    before = torch.randn(2)
    torch.manual_seed(7)
    x1, x2 = avg.generate(z), avg.generate(z)
    assert torch.equal(x1, x2) and x1.shape == (64, 3)  # eval mode: the same z gives the same images
    assert torch.equal(torch.randn(2), before)  # calibration used its own random stream
    norm = avg.model[1]
    calib = torch.randn(4096, 4, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        h = avg.model[0](calib)
    assert torch.allclose(norm.running_mean, h.mean(0), atol=1e-5)
    assert norm.momentum == 0.1  # restored after calibrating
    avg.calibrate(4, n=513, batch_size=512)  # a last batch of one sample is left out, not an error


@pytest.mark.parametrize("make, message", [
    (lambda: gb.WeightAverage("G"), "torch.nn.Module"),
    (lambda: gb.WeightAverage(small_generator(), decay=1.5), "decay"),
    (lambda: gb.WeightAverage(small_generator(), decay=float("nan")), "decay"),
    (lambda: gb.WeightAverage(small_generator()).update(nn.Linear(4, 3)), "parameters"),
    (lambda: gb.WeightAverage(small_generator()).generate(torch.zeros(4)), "shape"),
    (lambda: gb.WeightAverage(small_generator()).calibrate(0), "z_dim"),
])
def test_weight_average_rejects_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_weight_average_as_a_callback_follows_training(make_trainer):
    trainer = make_trainer()
    avg = gb.WeightAverage(trainer.generator, decay=0.9)
    trainer.train(30, callback=avg)
    assert avg.updates == 30
    gap = max((a - p).abs().max().item() for a, p in zip(avg.model.parameters(), trainer.generator.parameters()))
    assert 0 < gap < 0.5  # close to G, but an average of its recent weights, not G itself


# -- pictures ------------------------------------------------------------------------------------


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
