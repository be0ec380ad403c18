"""Tests of the callbacks that watch a run without drawing (ganbook.callbacks)."""

import pytest
import torch
from torch import nn

import ganbook as gb


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


def test_a_time_budget_stops_the_run_and_keeps_its_history(make_trainer):
    trainer = make_trainer()
    budget = gb.TimeBudget(0.3)
    history = trainer.train(10**7, callback=budget)
    assert history.stop_reason.startswith("stopped by a callback at step")
    assert 0.3 <= budget.elapsed < 5 and len(history) == trainer.step > 10
    with pytest.raises(ValueError, match="seconds must be a positive"):
        gb.TimeBudget(0)
