"""Tests of the loss objects (ganbook.losses): each is its formula, the trainer runs any of them
with no special case, the gradient penalty's norm is per sample, and a bad loss or weight is
refused with a ValueError that names it."""

import math

import pytest
import torch
from torch import nn

import ganbook as gb

REAL, FAKE = torch.tensor([0.3, -1.2, 2.0]), torch.tensor([-0.5, 0.8, 1.5])


def test_bce_is_the_cross_entropy_towards_the_labels():
    bce = nn.functional.binary_cross_entropy_with_logits
    loss = gb.BCE(real_label=0.9)
    expected = bce(REAL, torch.full_like(REAL, 0.9)) + bce(FAKE, torch.zeros_like(FAKE))
    assert loss.d_loss(REAL, FAKE).item() == pytest.approx(expected.item())
    assert loss.g_loss(FAKE).item() == pytest.approx(bce(FAKE, torch.ones_like(FAKE)).item())
    saturating = gb.BCE("saturating")
    assert saturating.g_loss(FAKE).item() == pytest.approx(-bce(FAKE, torch.zeros_like(FAKE)).item())
    assert torch.allclose(loss.verdict(REAL), torch.sigmoid(REAL))


def test_least_squares_pulls_real_scores_to_1_and_fakes_to_0():
    loss = gb.LeastSquares()
    assert loss.d_loss(REAL, FAKE).item() == pytest.approx(
        (0.5 * (REAL - 1) ** 2).mean().item() + (0.5 * FAKE**2).mean().item())
    assert loss.g_loss(FAKE).item() == pytest.approx((0.5 * (FAKE - 1) ** 2).mean().item())
    assert loss.d_loss(torch.ones(4), torch.zeros(4)).item() == 0  # a perfect D pays nothing
    assert torch.equal(loss.verdict(REAL), REAL)


def test_hinge_stops_pushing_past_the_margin():
    loss = gb.Hinge()
    assert loss.d_loss(REAL, FAKE).item() == pytest.approx(
        torch.relu(1 - REAL).mean().item() + torch.relu(1 + FAKE).mean().item())
    assert loss.d_loss(torch.tensor([1.5, 3.0]), torch.tensor([-1.0, -7.0])).item() == 0
    assert loss.g_loss(FAKE).item() == pytest.approx(-FAKE.mean().item())


def test_wasserstein_is_the_gap_between_mean_scores():
    loss = gb.Wasserstein(gp=10)
    assert loss.d_loss(REAL, FAKE).item() == pytest.approx(FAKE.mean().item() - REAL.mean().item())
    assert loss.g_loss(FAKE).item() == pytest.approx(-FAKE.mean().item())
    assert loss.output == "critic" and gb.BCE().output == "probability"
    assert gb.LeastSquares().output == "least squares" and gb.Hinge().output == "margin"


def test_every_loss_says_what_its_output_is():
    from ganbook.losses import OUTPUTS

    losses = (gb.BCE(), gb.LeastSquares(), gb.Hinge(), gb.Wasserstein(clip=0.01), gb.Wasserstein(gp=10))
    assert {loss.output for loss in losses} == set(OUTPUTS)


def test_the_hinges_best_d_is_bounded_and_its_gap_is_twice_the_total_variation():
    # three points; p_data and p_g as counts of samples at each, D a free score per point
    p_data, p_g = torch.tensor([0.6, 0.3, 0.1]), torch.tensor([0.1, 0.2, 0.7])
    real_at, fake_at = torch.tensor([0] * 6 + [1] * 3 + [2]), torch.tensor([0] + [1] * 2 + [2] * 7)
    scores = torch.zeros(3, requires_grad=True)
    opt = torch.optim.SGD([scores], lr=0.05)
    for _ in range(400):
        opt.zero_grad()
        gb.Hinge().d_loss(scores[real_at], scores[fake_at]).backward()
        opt.step()
    best = scores.detach()
    assert best == pytest.approx(torch.sign(p_data - p_g), abs=0.05)  # D* = sign(p_data - p_g), in [-1, 1]
    gap = (p_data * best).sum() - (p_g * best).sum()
    assert gap.item() == pytest.approx((p_data - p_g).abs().sum().item(), abs=0.05)  # 2 TV = 1.2, not W1


def test_weight_clipping_keeps_every_weight_in_the_box():
    critic = nn.Linear(3, 1)
    with torch.no_grad():
        critic.weight.fill_(5.0)
    gb.Wasserstein(clip=0.01).after_d_step(critic)
    assert all(p.abs().max() <= 0.01 for p in critic.parameters())
    gb.Wasserstein(gp=10).after_d_step(critic)  # the penalty clips nothing


def test_the_gradient_penalty_takes_the_norm_per_sample():
    # a critic whose gradient is known: f(x) = sum of a * x, gradient a for every sample, of norm |a|;
    # on images (n, 1, 4, 4) the norm must run over all 16 pixels of a sample, not a row or a batch
    a = torch.randn(1, 1, 4, 4, generator=torch.Generator().manual_seed(0))

    def score(x):
        return (a * x).flatten(1).sum(1)

    real, fake = torch.randn(8, 1, 4, 4), torch.randn(8, 1, 4, 4)
    expected = (a.norm() - 1) ** 2
    assert gb.gradient_penalty(score, real, fake).item() == pytest.approx(expected.item(), rel=1e-5)

    # a critic with a different slope per sample: the mean of per-sample terms, not the term of a mean
    def quadratic(x):
        return 0.5 * x.flatten(1).pow(2).sum(1)

    torch.manual_seed(3)
    penalty = gb.gradient_penalty(quadratic, real, fake)
    torch.manual_seed(3)
    eps = torch.rand(8, 1, 1, 1)
    x_hat = eps * real + (1 - eps) * fake  # grad of the quadratic is x_hat itself
    loop = sum((x_hat[i].norm() - 1) ** 2 for i in range(8)) / 8
    assert penalty.item() == pytest.approx(loop.item(), rel=1e-5)


def test_the_penalty_reaches_the_critics_parameters():
    critic = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
    penalty = gb.gradient_penalty(lambda x: critic(x).ravel(), torch.randn(16, 2), torch.randn(16, 2))
    penalty.backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in critic[0].parameters())


@pytest.mark.parametrize("loss", [gb.LeastSquares(), gb.Hinge(), gb.Wasserstein(clip=0.05),
                                  gb.Wasserstein(gp=1.0)], ids=repr)
def test_the_trainer_runs_every_loss_and_records_its_verdicts(make_trainer, loss):
    trainer = make_trainer(loss=loss)
    history = trainer.train(40, log_every=10)
    assert history.stop_reason is None and len(history) == 4
    assert all(math.isfinite(v) for v in history.loss_d + history.loss_g + history.d_real + history.d_fake)
    if isinstance(loss, gb.Wasserstein) and loss.clip:
        assert all(p.abs().max() <= 0.05 + 1e-7 for p in trainer.discriminator.parameters())


def test_the_trainers_d_loss_includes_the_gradient_penalty(make_trainer):
    torch.manual_seed(0)
    with_gp = make_trainer(loss=gb.Wasserstein(gp=10.0)).d_step()["loss_d"]
    torch.manual_seed(0)
    without = make_trainer(loss=gb.Wasserstein(gp=1e-12)).d_step()["loss_d"]
    assert with_gp > without  # the same draws, plus a positive penalty


@pytest.mark.parametrize("make, match", [
    (lambda: gb.Wasserstein(), "exactly one of clip"),
    (lambda: gb.Wasserstein(clip=0.01, gp=10), "exactly one of clip"),
    (lambda: gb.Wasserstein(gp=-1.0), "gp must be a positive finite number, got -1.0"),
    (lambda: gb.Wasserstein(gp=float("nan")), "gp must be a positive finite number"),
    (lambda: gb.Wasserstein(clip=0), "clip must be a positive finite number, got 0"),
    (lambda: gb.BCE("least-squares"), "got 'least-squares'"),
    (lambda: gb.gradient_penalty(lambda x: x.sum(1), torch.zeros(3, 2), torch.zeros(4, 2)), "one shape"),
])
def test_a_bad_loss_or_weight_is_named(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_the_trainer_refuses_an_unknown_loss_and_misplaced_labels(make_trainer):
    with pytest.raises(ValueError, match="loss must be one of .* or a loss object"):
        make_trainer(loss=nn.MSELoss())
    with pytest.raises(ValueError, match="real_label belong to the BCE loss"):
        make_trainer(loss=gb.Hinge(), real_label=0.9)
    assert make_trainer(loss=gb.BCE(real_label=0.9)).loss.real_label == 0.9
