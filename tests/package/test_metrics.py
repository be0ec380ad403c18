"""Tests of mode coverage, the Frechet distance, class shares and the image classifiers (ganbook.metrics)."""

import math
import warnings

import numpy as np
import pytest
import torch

import ganbook as gb
from ganbook.metrics import mode_coverage


@pytest.fixture(scope="module")
def digits():
    return gb.Digits("train"), gb.Digits("test")


@pytest.fixture(scope="module")
def classifier(digits):
    torch.set_num_threads(1)
    train, _ = digits
    return gb.DigitClassifier().fit(train.images, train.labels, epochs=5, seed=0)


def test_mode_coverage_counts_modes_and_quality():
    ring = gb.GaussianRing2D()
    real = ring.sample(8000, generator=torch.Generator().manual_seed(0))
    full = mode_coverage(real, ring.centers, ring.std)
    assert full["modes"] == 8 and full["high_quality"] > 0.98 and sum(full["counts"]) <= 8000
    # a generator that covers 3 modes, a third of its samples far from any mode
    collapsed = torch.cat([ring.centers[:3].repeat(200, 1), torch.zeros(300, 2)])
    result = mode_coverage(collapsed, ring.centers, ring.std)
    assert result["modes"] == 3 and result["high_quality"] == pytest.approx(600 / 900)
    assert result["counts"][:3] == [200, 200, 200] and result["n"] == 900


def test_mode_coverage_ignores_a_mode_hit_by_too_few_samples():
    ring = gb.GaussianRing2D()
    samples = torch.cat([ring.centers[:1].repeat(990, 1), ring.centers[1:2].repeat(5, 1)])
    assert mode_coverage(samples, ring.centers, ring.std, min_share=0.01)["modes"] == 1
    assert mode_coverage(samples, ring.centers, ring.std, min_share=0.001)["modes"] == 2


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


def stripes(n, seed=0):
    """n 28 x 28 images of two kinds, vertical (class 0) or horizontal (class 1) stripes, with noise."""
    gen = torch.Generator().manual_seed(seed)
    labels = torch.randint(2, (n,), generator=gen)
    wave = torch.sin(torch.arange(28.0))[None, :].expand(28, 28)
    images = torch.where(labels[:, None, None] == 0, wave, wave.T) + 0.3 * torch.randn(n, 28, 28, generator=gen)
    return images.clamp(-1, 1).unsqueeze(1), labels


def test_fashion_classifier_learns_and_gives_features_for_28_by_28_images():
    torch.set_num_threads(1)
    images, labels = stripes(400)
    classifier = gb.FashionClassifier(features=32).fit(images[:300], labels[:300], epochs=2, seed=0)
    assert (classifier.predict(images[300:]) == labels[300:]).float().mean() > 0.95
    f = classifier.features(images[:7])
    assert f.shape == (7, 32) and (f >= 0).all()  # ReLU features
    for shape in ((7, 784), (7, 28, 28)):  # flat and unbatched-channel images are the same images
        assert torch.equal(classifier.features(images[:7].reshape(shape)), f)
    # computed in batches or all at once: the same features
    assert torch.allclose(classifier.features(images[:7], batch_size=3), f, atol=1e-6)


def test_fashion_classifier_fit_is_seeded():
    images, labels = stripes(64)
    a = gb.FashionClassifier().fit(images, labels, epochs=1, seed=3)
    b = gb.FashionClassifier(features=64, channels=16).fit(images, labels, epochs=1, seed=3)
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert torch.equal(pa, pb)


@pytest.mark.parametrize("call, message", [
    (lambda c, x, y: c.features(torch.zeros(3, 64)), r"shape \(n, 784\), \(n, 28, 28\) or \(n, 1, 28, 28\)"),
    (lambda c, x, y: c.fit(x, y[:5]), "labels must have shape"),
    (lambda c, x, y: c.predict(x, batch_size=0), "batch_size must be >= 1, got 0"),
    (lambda c, x, y: gb.FashionClassifier(channels=0), "channels must be >= 1, got 0"),
])
def test_fashion_classifier_rejects_bad_arguments(call, message):
    images, labels = stripes(8)
    with pytest.raises(ValueError, match=message):
        call(gb.FashionClassifier(), images, labels)
