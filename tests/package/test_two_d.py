"""The 2-D data, the mode-coverage metric and the 2-D dashboard panels (chapters 6 and 8)."""

import math

import pytest
import torch
from matplotlib.figure import Figure
from torch import nn

import ganbook as gb
from ganbook.metrics import mode_coverage


def test_ring_has_its_modes_on_the_circle_and_samples_near_them():
    ring = gb.GaussianRing2D()
    assert ring.centers.shape == (8, 2)
    assert torch.allclose(ring.centers.norm(dim=1), torch.full((8,), 2.0))
    x = ring.sample(4000, generator=torch.Generator().manual_seed(0))
    nearest = torch.cdist(x, ring.centers).min(dim=1).values
    assert x.shape == (4000, 2) and nearest.max() < 6 * 0.02
    counts = torch.cdist(x, ring.centers).argmin(dim=1).bincount(minlength=8)
    assert counts.min() > 400  # equal weights: 500 expected per mode


def test_ring_pdf_integrates_to_one():
    ring = gb.GaussianRing2D(modes=3, radius=1.0, std=0.2)
    axis = torch.linspace(-2.5, 2.5, 501)
    gx, gy = torch.meshgrid(axis, axis, indexing="xy")
    dens = ring.pdf(torch.stack([gx, gy], dim=-1).numpy())
    assert dens.sum() * (axis[1] - axis[0]).item() ** 2 == pytest.approx(1.0, abs=1e-3)


def test_two_moons_are_two_half_circles():
    x = gb.TwoMoons(noise=0.01).sample(2000, generator=torch.Generator().manual_seed(1))
    upper = x[:, 1] > 0  # the upper moon rises above y = 0, the lower one dips below
    assert x.shape == (2000, 2)
    r_upper = (x - torch.tensor([-0.5, -0.25])).norm(dim=1)
    r_lower = (x - torch.tensor([0.5, 0.25])).norm(dim=1)
    assert ((r_upper - 1).abs() < 0.05).logical_or((r_lower - 1).abs() < 0.05).all()
    assert 0.3 < upper.float().mean() < 0.7


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


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: gb.GaussianRing2D(modes=0), "modes must be >= 1"),
        (lambda: gb.GaussianRing2D(std=-0.1), "std must be a positive"),
        (lambda: gb.GaussianRing2D(radius=float("inf")), "radius"),
        (lambda: gb.GaussianRing2D().pdf([1.0, 2.0, 3.0]), r"shape \(\.\.\., 2\)"),
        (lambda: gb.TwoMoons(noise=0), "noise must be a positive"),
        (lambda: mode_coverage(torch.zeros(5, 3), gb.GaussianRing2D().centers, 0.02), "dimension 3"),
        (lambda: mode_coverage(torch.full((4, 2), math.nan), gb.GaussianRing2D().centers, 0.02), "non-finite"),
        (lambda: mode_coverage(torch.zeros(0, 2), gb.GaussianRing2D().centers, 0.02), "n >= 1"),
        (lambda: mode_coverage("points", gb.GaussianRing2D().centers, 0.02), "samples must be an array"),
        (lambda: mode_coverage(torch.zeros(4, 2), gb.GaussianRing2D().centers, 0.0), "std must be a positive"),
        (lambda: mode_coverage(torch.zeros(4, 2), gb.GaussianRing2D().centers, 0.02, min_share=2), "min_share"),
    ],
)
def test_two_d_helpers_reject_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.fixture
def ring_trainer():
    def make(seed=0, **kwargs):
        gb.seed_everything(seed)
        G = gb.MLPGenerator(z_dim=2, hidden=16, data_dim=2)
        D = gb.MLPDiscriminator(data_dim=2, hidden=16)
        options = dict(z_dim=2, batch_size=64, lr_d=1e-3, lr_g=1e-3, device="cpu")
        options.update(kwargs)
        return gb.GANTrainer(G, D, gb.GaussianRing2D(), **options)

    torch.set_num_threads(1)
    return make


def test_generator_push_is_minus_the_gradient_of_the_generator_loss(ring_trainer):
    trainer = ring_trainer()
    fake = torch.randn(5, 2)
    push = gb.generator_push(trainer, fake)
    assert all(p.grad is None for p in trainer.discriminator.parameters())  # D's .grad is left alone
    for i in range(5):  # one sample at a time, by hand: -d/dx (-log sigmoid(logit(x)))
        x = fake[i:i + 1].clone().requires_grad_(True)
        (-torch.nn.functional.logsigmoid(trainer.discriminator(x)).sum()).backward()
        assert torch.allclose(push[i], -x.grad[0], atol=1e-6)
    # the saturating loss pushes with D(x) instead of 1 - D(x) at the logit: same direction
    sat = gb.generator_push(ring_trainer(loss="saturating"), fake)
    cos = torch.nn.functional.cosine_similarity(push, sat, dim=1)
    assert torch.allclose(cos, torch.ones(5), atol=1e-5)


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


def test_field_panel_does_not_change_the_run(ring_trainer):
    plain = ring_trainer(seed=2).train(12).as_dict()
    dash = gb.Dashboard([gb.field_panel(gb.GaussianRing2D(), n=100, grid=10), gb.coverage_panel(gb.GaussianRing2D())],
                        every=4)
    dash._display_png = lambda data: None  # no notebook here
    watched = ring_trainer(seed=2).train(12, callback=dash).as_dict()
    assert plain == watched


def test_coverage_panel_logs_each_redraw(ring_trainer):
    trainer = ring_trainer()
    panel = gb.coverage_panel(gb.GaussianRing2D(), n=500)
    dash = gb.Dashboard([panel], every=5)
    dash._display_png = lambda data: None
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
        (lambda: gb.coverage_panel(gb.TwoMoons()), "needs a distribution with modes"),
        (lambda: gb.coverage_panel(gb.GaussianRing2D(), n=0), "n must be >= 1"),
    ],
)
def test_two_d_panels_reject_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_r1_adds_the_squared_slope_at_the_real_data(make_trainer):
    # three trainers from the same seed draw the same first batch and start from the same D
    out_plain = make_trainer(seed=4).d_step(measure=False)
    out_pen = make_trainer(seed=4, r1=10.0).d_step(measure=False)
    probe = make_trainer(seed=4)
    x = probe.real_batch().requires_grad_(True)
    slope, = torch.autograd.grad(probe.discriminator(x).sum(), x)
    # the difference is the penalty: gamma / 2 * mean |d logit / dx|^2 on the real batch
    expected = 5.0 * slope.pow(2).sum(1).mean().item()
    assert out_pen["loss_d"] - out_plain["loss_d"] == pytest.approx(expected, rel=1e-4)


def test_r1_is_validated(make_trainer):
    with pytest.raises(ValueError, match="r1 must be >= 0"):
        make_trainer(r1=-1.0)
    with pytest.raises(ValueError, match="r1 must be finite"):
        make_trainer(r1=float("inf"))


def test_r1_pulls_d_flat_at_the_data(make_trainer):
    def slope(trainer):
        x = trainer.real_batch(256).requires_grad_(True)
        g, = torch.autograd.grad(trainer.discriminator(x).sum(), x)
        return g.pow(2).mean().item()

    plain, penalised = make_trainer(seed=1), make_trainer(seed=1, r1=10.0)
    plain.train(200)
    penalised.train(200)
    assert slope(penalised) < slope(plain)


def test_dashboard_draws_a_list_of_panels_side_by_side(make_trainer):
    trainer = make_trainer()
    trainer.train(10)
    dash = gb.Dashboard([gb.histogram_panel(gb.Gaussian1D(2.0, 0.5), n=100), gb.history_panel("loss_d")])
    fig = dash.figure(trainer)
    assert len(fig.axes) == 3 and len(dash.panels) == 2
    assert dash.figsize == (16.5, 3.8)


def test_batchnorm_generator_is_accepted(ring_trainer):
    gb.seed_everything(0)
    G = nn.Sequential(nn.Linear(2, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))
    trainer = gb.GANTrainer(G, gb.MLPDiscriminator(data_dim=2, hidden=8), gb.GaussianRing2D(), z_dim=2,
                            batch_size=16, device="cpu")
    trainer.train(3)
    assert len(trainer.history) == 3 and G.training


class Packed(nn.Module):
    """A PacGAN discriminator as chapter 6 writes it: one logit per pack of samples."""

    def __init__(self, pack=2, data_dim=2):
        super().__init__()
        self.pack = pack
        self.net = gb.MLPDiscriminator(data_dim=pack * data_dim, hidden=8)

    def forward(self, x):
        return self.net(x.reshape(-1, self.pack * x.shape[1]))


def test_a_packed_discriminator_trains_and_is_evaluated_in_whole_packs():
    gb.seed_everything(0)
    trainer = gb.GANTrainer(gb.MLPGenerator(z_dim=2, hidden=8, data_dim=2), Packed(), gb.GaussianRing2D(), z_dim=2,
                            batch_size=16, device="cpu")
    assert trainer.pack == 2
    trainer.train(5)
    assert len(trainer.history) == 5
    out = trainer.evaluate(7)  # rounded up to whole packs
    assert out["fake"].shape == (8, 2)
    fig = Figure()
    gb.field_panel(gb.GaussianRing2D(), n=40, arrows=9, grid=6)(fig.subplots(), trainer)  # 9 arrows -> 8


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: gb.GANTrainer(gb.MLPGenerator(z_dim=2, data_dim=2), Packed(), gb.GaussianRing2D(), z_dim=2,
                               batch_size=15), "batch_size=15 must be a multiple of the discriminator's pack=2"),
        (lambda: gb.GANTrainer(gb.MLPGenerator(z_dim=2, data_dim=2), Packed(pack=3), gb.GaussianRing2D(), z_dim=2,
                               batch_size=16), "multiple of the discriminator's pack=3"),
        (lambda: gb.GANTrainer(gb.MLPGenerator(z_dim=2, data_dim=2), gb.MLPDiscriminator(data_dim=4),
                               gb.GaussianRing2D(), z_dim=2), "discriminator failed on data of shape"),
    ],
)
def test_packed_discriminators_are_checked(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_a_discriminator_that_packs_without_saying_so_is_refused():
    class Silent(nn.Module):  # packs pairs, but has no `pack` attribute to say so
        def __init__(self):
            super().__init__()
            self.net = gb.MLPDiscriminator(data_dim=4, hidden=8)

        def forward(self, x):
            return self.net(x.reshape(-1, 4))

    with pytest.raises(ValueError, match=r"one logit per sample.*\(1, 1\) for 2 samples"):
        gb.GANTrainer(gb.MLPGenerator(z_dim=2, data_dim=2), Silent(), gb.GaussianRing2D(), z_dim=2, batch_size=16)


def test_generator_push_needs_whole_packs():
    gb.seed_everything(0)
    trainer = gb.GANTrainer(gb.MLPGenerator(z_dim=2, hidden=8, data_dim=2), Packed(), gb.GaussianRing2D(), z_dim=2,
                            batch_size=16, device="cpu")
    with pytest.raises(ValueError, match="whole packs of 2 samples, got 3"):
        gb.generator_push(trainer, torch.zeros(3, 2))


def test_dashboard_grid_layout_puts_the_first_panel_large_on_the_right(ring_trainer):
    trainer = ring_trainer()
    trainer.train(5)
    ring = gb.GaussianRing2D()
    dash = gb.Dashboard([gb.field_panel(ring, n=50, arrows=10, grid=8), gb.coverage_panel(ring)], layout="grid")
    fig = dash.figure(trainer)
    titled = {ax.get_title().split(":")[0].split(";")[0]: ax for ax in fig.axes if ax.get_title()}
    curves, field, coverage = titled["D(x) and D(G(z))"], titled["D(x) over the plane"], titled["mode coverage"]
    assert field.images and curves.get_position().x0 < field.get_position().x0  # the field on the right
    assert coverage.get_position().y0 < curves.get_position().y0  # the coverage under the curves
    assert field.get_position().height > 1.5 * curves.get_position().height  # spans both rows
    assert dash.figsize == (11, 6.8)
    with pytest.raises(ValueError, match="layout must be one of"):
        gb.Dashboard(layout="column")
    with pytest.raises(ValueError, match="needs at least one panel"):
        gb.Dashboard(layout="grid")


def test_package_packed_discriminator_matches_the_chapter_and_checks_shapes():
    gb.seed_everything(3)
    ours = Packed(pack=2, data_dim=2)  # the chapter's class
    gb.seed_everything(3)
    package = gb.PackedDiscriminator(data_dim=2, pack=2, hidden=8)
    x = torch.randn(6, 2)
    assert torch.equal(ours(x), package(x)) and package(x).shape == (3, 1)
    with pytest.raises(ValueError, match=r"n a multiple of 2, got \(5, 2\)"):
        package(torch.randn(5, 2))
    with pytest.raises(ValueError, match="pack must be >= 1"):
        gb.PackedDiscriminator(pack=0)


def test_sample_tracker_records_without_changing_the_run(make_trainer):
    plain = make_trainer(seed=5).train(20).as_dict()
    tracker = gb.SampleTracker(every=5, n=500)
    trainer = make_trainer(seed=5)
    watched = trainer.train(20, callback=tracker).as_dict()
    assert plain == watched and tracker.record["step"] == [5, 10, 15, 20]
    fake = trainer.evaluate(500)["fake"]
    assert tracker.record["mean"][-1] == pytest.approx(fake.mean().item())
    with pytest.raises(ValueError, match="every must be >= 1"):
        gb.SampleTracker(every=0)
