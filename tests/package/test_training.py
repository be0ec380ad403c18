"""Tests of the trainer: its steps, its loop, its losses (ganbook.training)."""

import math
import warnings

import pytest
import torch
from matplotlib.figure import Figure
from torch import nn

import ganbook as gb
from conftest import Packed, tiny_models


def test_history_records_every_logged_step(make_trainer):
    trainer = make_trainer()
    history = trainer.train(30, log_every=10)
    assert history.step == [10, 20, 30] and trainer.step == 30
    for name in gb.History.FIELDS[1:]:
        values = getattr(history, name)
        assert len(values) == 3 and all(math.isfinite(v) for v in values)
    for name in ("d_real", "d_fake", "d_real_after", "d_fake_after"):
        assert all(0 < v < 1 for v in getattr(history, name))
    assert history.stop_reason is None


def test_discriminator_step_moves_d_the_right_way(make_trainer):
    # After its own update D separates the batch better: the gap D(x) - D(G(z)) widens.
    trainer = make_trainer()
    for _ in range(5):
        d = trainer.d_step()
        assert d["d_real_after"] - d["d_fake_after"] > d["d_real"] - d["d_fake"]


def test_generator_step_leaves_d_unchanged_and_raises_d_of_g(make_trainer):
    trainer = make_trainer()
    before = [p.clone() for p in trainer.discriminator.parameters()]
    gb.seed_everything(1)
    z = trainer.noise(256)
    with torch.no_grad():
        d_fake_before = torch.sigmoid(trainer.discriminator(trainer.generator(z))).mean()
    trainer.g_step()
    with torch.no_grad():
        d_fake_after = torch.sigmoid(trainer.discriminator(trainer.generator(z))).mean()
    assert all(torch.equal(a, b) for a, b in zip(before, trainer.discriminator.parameters()))
    assert all(p.requires_grad for p in trainer.discriminator.parameters())
    assert d_fake_after > d_fake_before


def test_the_saturating_loss_is_log_one_minus_d(make_trainer):
    trainer = make_trainer(loss="saturating")
    gb.seed_everything(3)
    out = trainer.g_step()
    # g_step has stepped G, so compute D(G(z)) on a fresh trainer with the same seed.
    fresh = make_trainer(loss="saturating")
    gb.seed_everything(3)
    with torch.no_grad():
        d = torch.sigmoid(fresh.discriminator(fresh.generator(fresh.noise()))).reshape(-1)
    assert out["loss_g"] == pytest.approx(torch.log1p(-d).mean().item(), abs=1e-5)
    assert out["loss_g"] < 0


def test_labels_set_the_targets_of_both_losses(make_trainer):
    seen = []

    def recording_bce(logits, targets):
        seen.append(targets.unique().tolist())
        return torch.nn.functional.binary_cross_entropy_with_logits(logits, targets)

    trainer = make_trainer(real_label=0.9, fake_label=0.2, g_target=0.7, criterion=recording_bce)
    seen.clear()  # the shape check at construction does not call the loss, but be sure
    trainer.d_step()
    trainer.g_step()
    assert seen == [[pytest.approx(0.9)], [pytest.approx(0.2)], [pytest.approx(0.7)]]


def test_smoothed_real_label_is_the_cross_entropy_towards_it(make_trainer):
    trainer = make_trainer(real_label=0.9)
    gb.seed_everything(4)
    out = trainer.d_step()
    fresh = make_trainer(real_label=0.9)
    gb.seed_everything(4)
    x = fresh.real_batch()
    fake = fresh.generator(fresh.noise())
    with torch.no_grad():
        p_real = torch.sigmoid(fresh.discriminator(x)).reshape(-1)
        p_fake = torch.sigmoid(fresh.discriminator(fake)).reshape(-1)
    by_hand = -(0.9 * p_real.log() + 0.1 * (1 - p_real).log()).mean() - (1 - p_fake).log().mean()
    assert out["loss_d"] == pytest.approx(by_hand.item(), abs=1e-5)


def test_a_hand_written_criterion_gives_the_same_run(make_trainer):
    def bce_by_hand(logits, targets):  # -[y log sigmoid(l) + (1 - y) log(1 - sigmoid(l))], stably
        return -(targets * torch.nn.functional.logsigmoid(logits)
                 + (1 - targets) * torch.nn.functional.logsigmoid(-logits)).mean()

    builtin = make_trainer(seed=2).train(40).as_dict()
    by_hand = make_trainer(seed=2, criterion=bce_by_hand).train(40).as_dict()
    for name in ("d_real", "d_fake", "loss_d", "loss_g"):
        assert by_hand[name] == pytest.approx(builtin[name], abs=1e-5)


def test_a_criterion_that_is_not_a_scalar_is_refused(make_trainer):
    trainer = make_trainer(criterion=lambda logits, targets: (logits - targets) ** 2)
    with pytest.raises(ValueError, match="criterion must return a scalar tensor"):
        trainer.train(1)


def test_same_seed_same_history(make_trainer):
    a = make_trainer(seed=7).train(40, log_every=5)
    b = make_trainer(seed=7).train(40, log_every=5)
    c = make_trainer(seed=8).train(40, log_every=5)
    assert a.as_dict() == b.as_dict()
    assert a.as_dict() != c.as_dict()


def test_shape_check_and_evaluate_do_not_change_the_random_stream(make_trainer):
    trainer = make_trainer(seed=4)
    trainer.evaluate(100)
    with_eval = trainer.train(10).as_dict()
    assert with_eval == make_trainer(seed=4).train(10).as_dict()


def test_k_discriminator_steps_per_generator_step(make_trainer):
    trainer = make_trainer(k=3)
    calls = {"d": 0}
    original = trainer.d_step

    def counting(measure=True):
        calls["d"] += 1
        return original(measure)

    trainer.d_step = counting
    trainer.train(5)
    assert calls["d"] == 15 and trainer.step == 5


def test_a_gan_learns_a_1d_gaussian(make_trainer):
    gb.seed_everything(0)
    G, D = tiny_models(z_dim=4, hidden=32)
    p_data = gb.Gaussian1D(2.0, 0.5)
    trainer = gb.GANTrainer(G, D, p_data, z_dim=4, batch_size=128, lr_d=5e-4, lr_g=5e-4, device="cpu")
    trainer.train(1500, log_every=50)
    out = trainer.evaluate(20_000)
    assert abs(out["fake"].mean().item() - 2.0) < 0.1
    assert abs(out["fake"].std().item() - 0.5) < 0.1
    assert abs(out["d_real"] - 0.5) < 0.05 and abs(out["d_fake"] - 0.5) < 0.05


def test_callback_is_called_and_can_stop_training(make_trainer):
    seen = []

    def stop_at_20(trainer):
        seen.append(trainer.step)
        return trainer.step >= 20

    history = make_trainer().train(100, log_every=10, callback=stop_at_20)
    assert seen == [10, 20] and history.step == [10, 20]
    assert "callback" in history.stop_reason


def test_on_train_end_is_called_once(make_trainer):
    class Recorder:
        ended = 0

        def __call__(self, trainer):
            pass

        def on_train_end(self, trainer):
            self.ended += 1

    rec = Recorder()
    make_trainer().train(5, callback=rec)
    assert rec.ended == 1


class ExplodingData:
    """Real data that turns into inf after a few batches, as a broken data pipeline would."""

    def __init__(self, finite_batches):
        self.calls, self.finite_batches = 0, finite_batches

    def __call__(self, n):
        self.calls += 1
        x = torch.randn(n, 1)
        return x if self.calls <= self.finite_batches else x * float("inf")


def test_nan_loss_stops_training_keeps_history_and_weights(make_trainer):
    trainer = make_trainer()
    trainer.train(10)
    # Poison D's last layer: its loss is nan on the next batch.
    snapshot = {k: v.clone() for k, v in trainer.generator.state_dict().items()}
    with torch.no_grad():
        trainer.discriminator[-1].weight.fill_(float("nan"))
    with pytest.warns(RuntimeWarning, match="loss_d became nan at step 11"):
        history = trainer.train(10)
    assert len(history) == 10 and trainer.step == 10
    assert "history up to step 10 is kept" in history.stop_reason
    assert all(torch.equal(v, trainer.generator.state_dict()[k]) for k, v in snapshot.items())


def test_sampler_returning_nan_raises_naming_the_value():
    def nan_data(n):
        return torch.full((n, 1), float("nan"))

    with pytest.raises(ValueError, match="non-finite value \\(nan\\)"):
        gb.GANTrainer(*tiny_models(), nan_data, z_dim=4, device="cpu")


def test_sampler_that_breaks_mid_training_raises_and_keeps_history():
    gb.seed_everything(0)
    trainer = gb.GANTrainer(*tiny_models(), ExplodingData(finite_batches=6), z_dim=4, device="cpu")
    with pytest.raises(ValueError, match=r"non-finite value \(-?inf\)"):
        trainer.train(20)
    assert trainer.history.step == [1, 2, 3, 4, 5]


def test_keyboard_interrupt_keeps_history(make_trainer):
    def interrupt_at_7(trainer):
        if trainer.step == 7:
            raise KeyboardInterrupt

    trainer = make_trainer()
    with pytest.warns(RuntimeWarning, match="interrupted at step 7"):
        history = trainer.train(50, callback=interrupt_at_7)
    assert history.step == list(range(1, 8)) and history.stop_reason == "interrupted at step 7"


@pytest.mark.parametrize(
    "changes, match",
    [
        ({"lr_d": 0}, "lr_d must be a positive"),
        ({"lr_g": -1e-3}, "lr_g must be a positive"),
        ({"lr_d": float("nan")}, "lr_d"),
        ({"batch_size": 0}, "batch_size must be >= 1"),
        ({"k": 0}, "k must be >= 1"),
        ({"z_dim": 0}, "z_dim must be >= 1"),
        ({"loss": "wasserstein"}, "'wasserstein'"),
        ({"betas": (0.5,)}, "betas"),
        ({"betas": (1.0, 0.9)}, r"betas\[0\]"),
        ({"device": "tpu"}, "tpu"),
        ({"real_label": 1.5}, "real_label must be between 0 and 1, got 1.5"),
        ({"fake_label": -0.1}, "fake_label must be between 0 and 1"),
        ({"g_target": float("nan")}, "g_target must be finite"),
        ({"criterion": "bce"}, "criterion must be callable"),
    ],
)
def test_trainer_rejects_bad_settings(make_trainer, changes, match):
    with pytest.raises(ValueError, match=match):
        make_trainer(**changes)


@pytest.mark.parametrize(
    "models, data, match",
    [
        ((nn.Linear(4, 2), nn.Linear(1, 1)), gb.Gaussian1D(), r"generator output shape \(2, 2\)"),
        ((nn.Linear(4, 1), nn.Linear(1, 3)), gb.Gaussian1D(), r"one logit per sample.*\(2, 3\)"),
        ((nn.Linear(3, 1), nn.Linear(1, 1)), gb.Gaussian1D(), r"generator failed on noise of shape \(2, 4\)"),
        ((nn.Linear(4, 1), nn.Linear(1, 1)), lambda n: torch.zeros(n), r"shape \(2, \.\.\.\), got \(2,\)"),
        ((nn.Linear(4, 1), nn.Linear(1, 1)), lambda n: [0.0] * n, "must return a torch.Tensor"),
        (("G", nn.Linear(1, 1)), gb.Gaussian1D(), "generator must be a torch.nn.Module"),
        ((nn.Linear(4, 1), nn.Linear(1, 1)), "data", "sample_real must be callable"),
    ],
)
def test_trainer_rejects_mismatched_models_and_data(models, data, match):
    with pytest.raises(ValueError, match=match):
        gb.GANTrainer(models[0], models[1], data, z_dim=4, device="cpu")


@pytest.mark.parametrize("kwargs, match", [({"steps": 0}, "steps must be >= 1"),
                                           ({"steps": 5, "log_every": 0}, "log_every"),
                                           ({"steps": 5, "callback": 3}, "callback must be callable")])
def test_train_rejects_bad_arguments(make_trainer, kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_trainer().train(**kwargs)


def test_no_warning_on_a_healthy_run(make_trainer):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_trainer().train(20)


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


def test_batchnorm_generator_is_accepted(ring_trainer):
    gb.seed_everything(0)
    G = nn.Sequential(nn.Linear(2, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))
    trainer = gb.GANTrainer(G, gb.MLPDiscriminator(data_dim=2, hidden=8), gb.GaussianRing2D(), z_dim=2,
                            batch_size=16, device="cpu")
    trainer.train(3)
    assert len(trainer.history) == 3 and G.training


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


# -- the public steps: what train runs, and what the controls call one at a time --------------


def test_train_is_d_steps_g_steps_and_record_step(make_trainer):
    by_loop = make_trainer(seed=3, k=2).train(5)
    t = make_trainer(seed=3, k=2)
    for _ in range(5):
        d = [t.d_step(measure=j == 1) for j in range(2)][-1]
        t.record_step(d, t.g_step())
    assert t.step == 5
    assert t.history.as_dict() == by_loop.as_dict()


def test_record_step_advances_the_step_and_refuses_a_skipped_step(make_trainer):
    t = make_trainer()
    d, g = t.d_step(), t.g_step()
    assert d["skipped"] is False and g["skipped"] is False
    t.record_step(d, g, log=False)
    assert t.step == 1 and len(t.history) == 0
    with pytest.raises(ValueError, match="d must be the record of a step that was taken"):
        t.record_step({"loss_d": math.nan, "skipped": True}, g)
    with pytest.raises(ValueError, match="g must be the record"):
        t.record_step(d, {"loss_g": 1.0})
    assert t.step == 1


def test_a_step_with_a_non_finite_loss_is_skipped_and_says_so(make_trainer):
    t = make_trainer(criterion=lambda logits, targets: (logits * math.nan).mean())
    before = [p.clone() for p in t.discriminator.parameters()]
    d = t.d_step()
    assert d["skipped"] is True and math.isnan(d["loss_d"]) and "d_real" not in d
    assert all(torch.equal(a, b) for a, b in zip(before, t.discriminator.parameters()))
    g = t.g_step()
    assert g["skipped"] is True and "grad_norm_g" not in g


def test_measure_d_is_shaped_like_a_d_step_and_changes_nothing(make_trainer):
    plain = make_trainer(seed=4).train(6).as_dict()
    t = make_trainer(seed=4)
    m = t.measure_d()
    assert set(m) == {"loss_d", "skipped", "d_real", "d_fake", "d_real_after", "d_fake_after"}
    assert m["d_real_after"] == m["d_real"] and 0 < m["d_fake"] < 1 and m["loss_d"] > 0
    assert t.train(6).as_dict() == plain  # measuring used a forked random stream and no update


def test_the_losses_are_the_criterion_towards_the_labels(make_trainer):
    t = make_trainer(real_label=0.9)
    logits = torch.tensor([0.3, -1.2, 2.0])
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    expected = bce(logits, torch.full_like(logits, 0.9)) + bce(logits, torch.ones_like(logits))  # -l at 0 = l at 1
    assert t.discriminator_loss(logits, -logits).item() == pytest.approx(expected.item(), abs=1e-6)
    assert t.generator_loss(logits).item() == pytest.approx(bce(logits, torch.ones_like(logits)).item())
    sat = make_trainer(loss="saturating")
    assert sat.generator_loss(logits).item() == pytest.approx(-bce(logits, torch.zeros_like(logits)).item())


def test_the_optimisers_can_be_chosen(make_trainer):
    t = make_trainer(optimizer_g=torch.optim.SGD, lr_g=0.01)
    assert isinstance(t.opt_g, torch.optim.SGD) and t.opt_g.param_groups[0]["lr"] == 0.01
    assert isinstance(t.opt_d, torch.optim.Adam) and t.opt_d.param_groups[0]["betas"] == (0.5, 0.999)
    with pytest.raises(ValueError, match="optimizer_d must be callable"):
        make_trainer(optimizer_d="sgd")
    with pytest.raises(ValueError, match="optimizer_g must return a torch.optim.Optimizer, got list"):
        make_trainer(optimizer_g=lambda params, lr: list(params))


def test_set_learning_rates_sets_every_parameter_group(make_trainer):
    t = make_trainer()
    t.set_learning_rates(lr_d=0.3 * t.lr_d)
    assert t.lr_d == pytest.approx(3e-4) and t.lr_g == 1e-3
    assert [g["lr"] for g in t.opt_d.param_groups] == [t.lr_d]
    t.set_learning_rates(lr_g=5e-3)
    assert [g["lr"] for g in t.opt_g.param_groups] == [5e-3]
    with pytest.raises(ValueError, match="lr_g must be a positive finite number, got -1.0"):
        t.set_learning_rates(lr_g=-1.0)


def test_generate_samples_g_in_eval_mode_and_puts_it_back(ring_trainer):
    t = ring_trainer()
    z = torch.randn(7, 2)
    t.generator.train()
    x = t.generate(z)
    assert x.shape == (7, 2) and t.generator.training and not x.requires_grad
    assert torch.equal(x, t.generate(z))
    with pytest.raises(ValueError, match=r"z must be a tensor of shape \(n, 2\)"):
        t.generate(torch.randn(7, 3))
