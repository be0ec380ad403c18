"""Chapter 5 writes the training loop out; ganbook.GANTrainer must be that loop.

The test takes the chapter's own `train_gan` cell (tagged `train-gan-loop`) from the notebook,
runs it, and compares its history with the trainer's on the same seed, for both generator losses
and for k > 1.
"""

import sys
from pathlib import Path

import pytest
import torch
from torch import nn

import ganbook as gb

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from _notebook import tagged_cell  # noqa: E402

CHAPTER = ROOT / "book" / "05_training_loop.ipynb"


@pytest.fixture(scope="module")
def train_gan():
    namespace = {"torch": torch, "nn": nn, "device": torch.device("cpu")}
    exec(compile(tagged_cell(CHAPTER, "train-gan-loop"), str(CHAPTER), "exec"), namespace)
    return namespace["train_gan"]


@pytest.mark.parametrize("loss, k", [("non-saturating", 1), ("saturating", 1), ("non-saturating", 3)])
def test_the_chapters_loop_and_the_package_loop_give_the_same_history(train_gan, loss, k):
    torch.set_num_threads(1)
    p_data = gb.Gaussian1D(4.0, 1.25)

    def models():
        gb.seed_everything(7)
        return gb.MLPGenerator(z_dim=8), gb.MLPDiscriminator()

    G, D = models()
    ours = train_gan(G, D, p_data, 60, z_dim=8, batch_size=32, lr_d=1e-3, lr_g=2e-3, k=k, loss=loss)
    G, D = models()
    trainer = gb.GANTrainer(G, D, p_data, z_dim=8, batch_size=32, lr_d=1e-3, lr_g=2e-3, k=k, loss=loss, device="cpu")
    theirs = trainer.train(60)
    for name in gb.History.FIELDS:
        assert ours[name] == pytest.approx(getattr(theirs, name), abs=1e-6), name
