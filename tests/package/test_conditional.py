"""Tests of the trainer on labelled data (chapter 9): (x, y) pairs go through the same loop,
G is called as G(z, y) and D as D(x, y), and a bad label is refused with a ValueError that
names it."""

import pytest
import torch
from torch import nn

import ganbook as gb
from conftest import LabelledLine, OneHotNet, labelled_trainer


def test_a_conditional_gan_learns_each_class_where_it_is():
    trainer = labelled_trainer()
    history = trainer.train(600, log_every=50)
    assert history.stop_reason is None and len(history) == 12
    z = torch.randn(2000, 4, generator=torch.Generator().manual_seed(0))
    for label, mean in ((0, -2.0), (1, 2.0)):
        x = trainer.generate(z, torch.full((2000,), label))
        assert abs(x.mean().item() - mean) < 0.5, (label, x.mean().item())


def test_d_judges_pairs_with_the_real_labels_and_g_is_asked_for_labels():
    trainer = labelled_trainer()
    seen = {"G": [], "D": []}
    g_forward, d_forward = trainer.generator.forward, trainer.discriminator.forward

    def g_spy(z, y):
        seen["G"].append(y.clone())
        return g_forward(z, y)

    def d_spy(x, y):
        seen["D"].append((x.detach().clone(), y.clone()))
        return d_forward(x, y)

    trainer.generator.forward, trainer.discriminator.forward = g_spy, d_spy
    trainer.d_step(measure=False)
    (x_real, y_real), (_, y_fake) = seen["D"][:2]
    # the real pairs keep their labels: class 0 lives below 0, class 1 above
    assert ((x_real[:, 0] > 0).long() == y_real).all()
    assert torch.equal(y_fake, seen["G"][0])  # D judges each fake with the label G was asked for
    assert set(y_fake.tolist()) == {0, 1}


def test_the_mismatched_pair_is_a_third_negative():
    trainer = labelled_trainer(mismatch=0.5)
    y = torch.randint(2, (500,))
    assert (trainer.wrong_labels(y) != y).all()
    # the loss with the term is the loss without it plus the weighted cross-entropy of (x, y')
    a = labelled_trainer(mismatch=0.5).d_step()  # each seeds the one global random stream
    b = labelled_trainer(mismatch=0.0).d_step()
    assert a["loss_d"] > b["loss_d"] + 0.5 * 0.3  # -log(1 - D) of an untrained D is near log 2
    assert a["d_real"] == pytest.approx(b["d_real"]) and a["d_fake"] == pytest.approx(b["d_fake"])


def test_wrong_labels_are_uniform_over_the_other_classes():
    trainer = gb.GANTrainer(OneHotNet(4, 1, classes=5), OneHotNet(1, 1, classes=5), _five_classes,
                            z_dim=4, classes=5, device="cpu")
    y = torch.full((5000,), 3)
    wrong = trainer.wrong_labels(y)
    shares = torch.bincount(wrong, minlength=5) / len(wrong)
    assert shares[3] == 0 and (shares[[0, 1, 2, 4]] - 0.25).abs().max() < 0.03


def _five_classes(n, generator=None):
    y = torch.randint(5, (n,), generator=generator)
    return y[:, None].float() + 0.1 * torch.randn(n, 1, generator=generator), y


def test_evaluate_returns_the_labels_of_each_side():
    out = labelled_trainer().evaluate(400)
    assert out["real_labels"].shape == out["fake_labels"].shape == (400,)
    assert ((out["real"][:, 0] > 0).long() == out["real_labels"]).all()


def _bad_sampler(y):
    return lambda n: (torch.zeros(n, 1), y(n))


@pytest.mark.parametrize("labels, match", [
    (lambda n: torch.zeros(n), "must hold integer class indices.*torch.float32"),
    (lambda n: torch.zeros(n, 1, dtype=torch.long), r"must have shape \(\d+,\).*got \(\d+, 1\)"),
    (lambda n: torch.full((n,), 2), r"must lie in \[0, 2\).*got 2"),
    (lambda n: torch.full((n,), -1), r"must lie in \[0, 2\).*got -1"),
    (lambda n: [0] * n, "must be a torch.Tensor of class indices, got list"),
    (lambda n: torch.zeros(n, dtype=torch.bool), "torch.bool"),
])
def test_a_bad_label_from_the_data_is_named(labels, match):
    with pytest.raises(ValueError, match=match):
        gb.GANTrainer(OneHotNet(4, 1), OneHotNet(1, 1), _bad_sampler(labels), z_dim=4, classes=2, device="cpu")


def test_a_bad_label_asked_of_g_is_named():
    trainer = labelled_trainer()
    z = torch.randn(3, 4)
    with pytest.raises(ValueError, match=r"y must lie in \[0, 2\).*got 5"):
        trainer.generate(z, torch.tensor([0, 1, 5]))
    with pytest.raises(ValueError, match=r"y must have shape \(3,\)"):
        trainer.generate(z, torch.tensor([0, 1]))
    with pytest.raises(ValueError, match="y must hold integer"):
        trainer.generate(z, torch.tensor([0.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match="conditional .*pass the labels y"):
        trainer.generate(z)


@pytest.mark.parametrize("kwargs, sampler, match", [
    (dict(), LabelledLine(), "returned \\(x, y\\) pairs: pass classes="),
    (dict(classes=2), gb.Gaussian1D(), "must return \\(x, y\\) pairs"),
    (dict(classes=1), LabelledLine(), "classes must be >= 2"),
    (dict(mismatch=1.0), gb.Gaussian1D(), "mismatch=1.0 needs labelled data"),
    (dict(classes=2, mismatch=-1.0), LabelledLine(), "mismatch must be >= 0"),
])
def test_pairs_and_classes_must_go_together(kwargs, sampler, match):
    G = OneHotNet(4, 1) if "classes" in kwargs else nn.Linear(4, 1)
    D = OneHotNet(1, 1) if "classes" in kwargs else nn.Linear(1, 1)
    with pytest.raises(ValueError, match=match):
        gb.GANTrainer(G, D, sampler, z_dim=4, device="cpu", **kwargs)


def test_a_generator_that_takes_no_label_is_named():
    with pytest.raises(ValueError, match=r"generator\(z, y\) failed"):
        gb.GANTrainer(nn.Linear(4, 1), OneHotNet(1, 1), LabelledLine(), z_dim=4, classes=2, device="cpu")


def test_a_packed_discriminator_cannot_judge_pairs():
    D = gb.PackedDiscriminator(data_dim=1, pack=2)
    with pytest.raises(ValueError, match="pack=2.*cannot judge labelled pairs"):
        gb.GANTrainer(OneHotNet(4, 1), D, LabelledLine(), z_dim=4, classes=2, device="cpu")


def test_generator_push_refuses_a_conditional_trainer():
    with pytest.raises(ValueError, match="conditional"):
        gb.generator_push(labelled_trainer(), torch.zeros(4, 1))


def test_the_average_of_a_conditional_generator_takes_labels():
    trainer = labelled_trainer()
    average = gb.WeightAverage(trainer.generator, classes=2)
    trainer.train(20, callback=average)
    z, y = torch.randn(6, 4), torch.tensor([0, 1, 0, 1, 1, 0])
    assert average.generate(z, y).shape == (6, 1)
    with pytest.raises(ValueError, match="pass the labels y"):
        average.generate(z)
    with pytest.raises(ValueError, match="no labels"):
        gb.WeightAverage(nn.Linear(4, 1)).generate(z, y)
    with pytest.raises(ValueError, match=r"y must lie in \[0, 2\)"):
        average.generate(z, y + 1)


def test_an_unconditional_run_is_what_it_was():
    # the labelled path must not change the random stream of an unlabelled run
    gb.seed_everything(0)
    G, D = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1)), nn.Sequential(nn.Linear(1, 8), nn.ReLU(),
                                                                                      nn.Linear(8, 1))
    trainer = gb.GANTrainer(G, D, gb.Gaussian1D(), z_dim=4, batch_size=16, device="cpu")
    torch.manual_seed(5)
    x = trainer.real_batch()
    torch.manual_seed(5)
    assert torch.equal(x, gb.Gaussian1D()(16))


def _spy_on_a_d_step(trainer):
    """Run one d_step, recording what G and D were given: G's (labels, output) and D's (x, y)."""
    seen = {"G": [], "D": []}
    g_forward, d_forward = trainer.generator.forward, trainer.discriminator.forward

    def g_spy(z, y):
        out = g_forward(z, y)
        seen["G"].append((y.clone(), out.detach().clone()))
        return out

    def d_spy(x, y):
        seen["D"].append((x.detach().clone(), y.clone(), x.requires_grad))
        return d_forward(x, y)

    trainer.generator.forward, trainer.discriminator.forward = g_spy, d_spy
    trainer.d_step(measure=False)
    return seen


def test_the_penaltys_points_join_a_real_sample_and_a_fake_of_its_class():
    # WGAN-GP on pairs: D scores each x_hat = eps x + (1 - eps) G(z, y) with the real label y, so
    # the fake at the other end must be one of class y, not of a label drawn for the D loss
    seen = _spy_on_a_d_step(labelled_trainer(loss=gb.Wasserstein(gp=10.0)))
    (x_real, y_real, _), (_, y_fake, _) = seen["D"][:2]
    x_hat, y_hat = [(x, y) for x, y, needs_grad in seen["D"] if needs_grad][0]
    assert torch.equal(y_hat, y_real) and not torch.equal(y_fake, y_real)  # the D loss keeps its fakes
    ends = [out for labels, out in seen["G"] if torch.equal(labels, y_real)]
    assert len(ends) == 1, "G was never asked for fakes of the real batch's labels"
    eps = (x_hat - ends[0]) / (x_real - ends[0])  # where each x_hat lies on its segment
    assert ((eps > -1e-4) & (eps < 1 + 1e-4)).all()


@pytest.mark.parametrize("loss", [gb.BCE(), gb.Wasserstein(clip=0.01), gb.Hinge()])
def test_a_loss_without_a_penalty_asks_g_once_per_d_step(loss):
    assert not loss.has_penalty
    assert len(_spy_on_a_d_step(labelled_trainer(loss=loss))["G"]) == 1


def test_an_unconditional_penalty_uses_the_d_losss_fakes(make_trainer):
    trainer = make_trainer(loss=gb.Wasserstein(gp=10.0))
    calls = []
    forward = trainer.generator.forward
    trainer.generator.forward = lambda z: calls.append(z) or forward(z)
    trainer.d_step(measure=False)
    assert gb.Wasserstein(gp=1.0).has_penalty and len(calls) == 1
