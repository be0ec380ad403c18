"""Tests of checkpoints: a saved run resumes as if never stopped, and a checkpoint that does
not fit is refused with a ValueError that says why (ganbook.checkpoints)."""

import pytest
import torch

import ganbook as gb
from conftest import labelled_trainer, tiny_models


def test_checkpoint_resume_continues_the_same_run(make_trainer, tmp_path):
    straight = make_trainer(seed=2)
    straight.train(40, log_every=2)

    first = make_trainer(seed=2)
    first.train(20, log_every=2)
    path = tmp_path / "gan.pt"
    first.save(path)
    resumed = make_trainer(seed=99)  # different weights and random state before loading
    resumed.load(path)
    assert resumed.step == 20 and len(resumed.history) == 10
    resumed.train(20, log_every=2)
    assert resumed.history.as_dict() == straight.history.as_dict()


def test_checkpoint_from_another_model_is_refused(make_trainer, tmp_path):
    path = tmp_path / "gan.pt"
    make_trainer().save(path)
    gb.seed_everything(0)
    G, D = tiny_models(hidden=8)
    other = gb.GANTrainer(G, D, gb.Gaussian1D(), z_dim=4, device="cpu")
    with pytest.raises(ValueError, match="does not fit this generator"):
        other.load(path)
    other_z = make_trainer(z_dim=4)
    other_z.z_dim = 5
    with pytest.raises(ValueError, match="z_dim=4"):
        other_z.load(path)


def test_checkpoint_with_other_labels_is_refused(make_trainer, tmp_path):
    smoothed = make_trainer(real_label=0.9)
    smoothed.train(3)
    smoothed.save(tmp_path / "smoothed.pt")
    with pytest.raises(ValueError, match=r"real_label=0\.9.*this trainer uses BCE\('non-saturating', real_label=1\.0"):
        make_trainer().load(tmp_path / "smoothed.pt")
    again = make_trainer(real_label=0.9)
    again.load(tmp_path / "smoothed.pt")  # the same labels load
    assert again.step == 3


def test_load_refuses_missing_and_foreign_files(make_trainer, tmp_path):
    trainer = make_trainer()
    with pytest.raises(ValueError, match="no checkpoint"):
        trainer.load(tmp_path / "missing.pt")
    junk = tmp_path / "junk.pt"
    junk.write_text("not a checkpoint")
    with pytest.raises(ValueError, match="not a ganbook checkpoint"):
        trainer.load(junk)
    torch.save({"weights": torch.zeros(2)}, tmp_path / "plain.pt")
    with pytest.raises(ValueError, match="not a ganbook checkpoint"):
        trainer.load(tmp_path / "plain.pt")


def test_checkpoint_of_a_conditional_gan_resumes_and_fits_only_one(make_trainer, tmp_path):
    straight = labelled_trainer(seed=3)
    straight.train(30, log_every=3)
    first = labelled_trainer(seed=3)
    first.train(15, log_every=3)
    first.save(tmp_path / "cgan.pt")
    resumed = labelled_trainer(seed=7)
    resumed.load(tmp_path / "cgan.pt")
    resumed.train(15, log_every=3)
    assert resumed.history.as_dict() == straight.history.as_dict()
    with pytest.raises(ValueError, match="classes=2, this trainer classes=None"):
        make_trainer().load(tmp_path / "cgan.pt")
