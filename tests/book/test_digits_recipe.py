"""bench/digits_gan.py and bench/conditional_gan.py measure chapters 7 and 9 by executing each
chapter's own recipe cell.

This checks that the cell is there, that the bench can extract it, and that it builds what the
chapter describes: a packed discriminator, R1, the weight average, and a trainer that trains.
"""

import sys
from pathlib import Path

import torch

import ganbook as gb

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import digits_gan  # noqa: E402


def test_the_bench_runs_the_chapters_recipe_cell():
    torch.set_num_threads(1)
    recipe = digits_gan.chapter_recipe(gb.Digits("train"))
    trainer, average = recipe["make_digits_gan"](0, "cpu")
    assert isinstance(trainer, gb.GANTrainer) and isinstance(average, gb.WeightAverage)
    assert trainer.pack == 2 and trainer.r1 == 0.3 and trainer.z_dim == recipe["Z_DIM"] == 64
    assert average.decay == 0.998 and recipe["STEPS"] >= 1000
    trainer.train(3, callback=average)
    assert trainer.step == 3 and average.updates == 3
    assert average.generate(torch.randn(5, 64)).shape == (5, 64)


def test_the_recipe_is_seeded():
    recipe = digits_gan.chapter_recipe(gb.Digits("train"))
    a, _ = recipe["make_digits_gan"](4, "cpu")
    b, _ = recipe["make_digits_gan"](4, "cpu")
    for pa, pb in zip(a.generator.parameters(), b.generator.parameters()):
        assert torch.equal(pa, pb)


def test_the_bench_runs_chapter_9s_conditional_recipe_and_its_projection_d():
    import conditional_gan

    torch.set_num_threads(1)
    train = gb.Digits("train")
    recipe = conditional_gan.chapter_recipe(train)
    trainer, average = recipe["make_cgan"](0, "cpu")
    assert trainer.classes == recipe["CLASSES"] == 10 and trainer.r1 == 1.0 and trainer.mismatch == 0
    assert recipe["make_cgan"](0, "cpu", mismatch=1.0)[0].mismatch == 1.0
    trainer.train(3, callback=average)
    assert average.generate(torch.randn(4, 64), torch.tensor([0, 3, 7, 9])).shape == (4, 64)
    projection = gb.GANTrainer(trainer.generator, conditional_gan.ProjectionDiscriminator(), train.pairs,
                               classes=10, z_dim=64, device="cpu")
    assert projection.train(2).step == [1, 2]


def test_the_loss_bench_runs_chapter_10s_own_comparison():
    import loss_family

    torch.set_num_threads(1)
    namespace = loss_family.chapter_namespace()
    assert list(namespace["LOSS_FAMILY"]) == ["BCE", "least squares", "hinge", "WGAN, clip 0.01", "WGAN-GP, 10"]
    ring = namespace["run"]("ring", "WGAN-GP, 10", 0, seconds=0.05)  # timed, as the bench runs it
    assert ring["steps"] >= 1 and {"modes", "quality", "near"} <= set(ring) and not ring["failed"]
    assert ring["seconds"] >= 0.05
    namespace["BUDGET"]["digits"] = 0.05  # as the chapter runs it: the steps that 0.05 s buys
    digits = namespace["run"]("digits", "hinge", 0)
    assert digits["ratio"] > 1 and digits["steps"] == round(0.05 * namespace["STEPS_PER_SECOND"]["digits"]["hinge"])
