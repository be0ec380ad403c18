"""A table of bad calls to ganbook's public functions and widgets.

Each row is a mistake a learner can make in a chapter: a zero or negative rate, a wrong
shape, NaN data, zero steps, an unknown loss name, a checkpoint of another model. Each must be
answered by a ValueError whose message names the bad value, before anything reaches torch.
"""

import pytest
import torch
from torch import nn

import ganbook as gb
from conftest import tiny_models


def trainer(data=None, **options):
    gb.seed_everything(0)
    G, D = tiny_models()
    settings = dict(z_dim=4, batch_size=32, lr_d=1e-3, lr_g=1e-3, device="cpu")
    settings.update(options)
    return gb.GANTrainer(G, D, gb.Gaussian1D(2.0, 0.5) if data is None else data, **settings)


def checkpoint_of_another_model(tmp_path):
    path = tmp_path / "other.pt"
    gb.seed_everything(0)
    wide = gb.GANTrainer(gb.MLPGenerator(z_dim=4, hidden=64), gb.MLPDiscriminator(hidden=64),
                         gb.Gaussian1D(2.0, 0.5), z_dim=4, batch_size=32, device="cpu")
    wide.save(path)
    return trainer().load(path)


def nan_sampler(n):
    return torch.full((n, 1), float("nan"))


def training_controls(**options):
    def make_trainer(lr_d, lr_g, k, seed):
        return trainer(lr_d=lr_d, lr_g=lr_g, k=k)

    return gb.TrainingControls(make_trainer, run=False, **options)


def field_of_a_loss_that_outputs(output):
    class Odd(gb.Hinge):
        pass

    Odd.output = output
    gb.seed_everything(0)
    ring = gb.GANTrainer(gb.MLPGenerator(z_dim=2, hidden=8, data_dim=2), gb.MLPDiscriminator(data_dim=2, hidden=8),
                         gb.GaussianRing2D(), z_dim=2, batch_size=16, loss=Odd(), device="cpu")
    from matplotlib.figure import Figure

    gb.field_panel(gb.GaussianRing2D(), n=10, arrows=0, grid=4)(Figure().subplots(), ring)


def slider_figure(controls):
    return gb.InteractiveFigure(lambda fig, **values: None, controls)


# (what the learner did, the call, a piece of the message that names the value)
BAD_CALLS = [
    ("a learning rate of zero", lambda tmp: trainer(lr_d=0.0), "lr_d must be a positive finite number, got 0.0"),
    ("a negative learning rate", lambda tmp: trainer(lr_g=-1e-3), "lr_g must be a positive finite number, got -0.001"),
    ("a NaN learning rate", lambda tmp: trainer(lr_d=float("nan")), "lr_d must be a positive finite number, got nan"),
    ("a batch of zero samples", lambda tmp: trainer(batch_size=0), "batch_size must be >= 1, got 0"),
    ("a fractional batch size", lambda tmp: trainer(batch_size=32.5), "batch_size must be an integer, got 32.5"),
    ("zero discriminator steps per G step", lambda tmp: trainer(k=0), "k must be >= 1, got 0"),
    ("an unknown loss name", lambda tmp: trainer(loss="wasserstein"), "got 'wasserstein'"),
    ("a label outside [0, 1]", lambda tmp: trainer(real_label=1.5), "real_label must be between 0 and 1, got 1.5"),
    ("a negative R1 weight", lambda tmp: trainer(r1=-1.0), "r1 must be >= 0"),
    ("Adam's beta1 of 1", lambda tmp: trainer(betas=(1.0, 0.999)), "betas[0] must be in [0, 1), got 1.0"),
    ("a noise size that does not fit G", lambda tmp: trainer(z_dim=3), "z_dim=3"),
    ("a batch size that is no multiple of the pack", lambda tmp: gb.GANTrainer(
        gb.MLPGenerator(z_dim=4), gb.PackedDiscriminator(pack=4), gb.Gaussian1D(), z_dim=4, batch_size=30,
        device="cpu"), "batch_size=30 must be a multiple of the discriminator's pack=4"),
    ("training for zero steps", lambda tmp: trainer().train(0), "steps must be >= 1, got 0"),
    ("logging every 0 steps", lambda tmp: trainer().train(10, log_every=0), "log_every must be >= 1, got 0"),
    ("NaN data from the sampler", lambda tmp: trainer(data=nan_sampler), "non-finite"),
    ("a checkpoint of another model", checkpoint_of_another_model, "does not fit this generator"),
    ("a checkpoint file that is not there", lambda tmp: trainer().load(tmp / "missing.pt"), "no checkpoint"),
    ("a device that does not exist", lambda tmp: gb.get_device("tpu"), "'tpu'"),
    ("a negative seed", lambda tmp: gb.seed_everything(-1), "seed must be >= 0, got -1"),
    ("a Gaussian with zero spread", lambda tmp: gb.Gaussian1D(mean=0.0, std=0.0), "std must be a positive"),
    ("a Gaussian with NaN mean", lambda tmp: gb.Gaussian1D(mean=float("nan")), "mean must be finite, got nan"),
    ("mixture weights that do not match the means", lambda tmp: gb.GaussianMixture1D([0.0, 1.0], [1.0, 1.0], [1.0]),
     "weights"),
    ("sampling zero points", lambda tmp: gb.GaussianRing2D().sample(0), "n must be >= 1, got 0"),
    ("a ring with no modes", lambda tmp: gb.GaussianRing2D(modes=0), "modes must be >= 1, got 0"),
    ("an unknown digits split", lambda tmp: gb.Digits("validation"), "got 'validation'"),
    ("an unknown Fashion-MNIST split", lambda tmp: gb.FashionMNIST("valid"), "split must be one of 'train', 'test', "
     "got 'valid'"),
    ("a Fashion-MNIST folder without its files", lambda tmp: gb.FashionMNIST("test", root=tmp),
     "lacks t10k-images-idx3-ubyte.gz"),
    ("digits shown to the Fashion-MNIST classifier", lambda tmp: gb.FashionClassifier().features(torch.zeros(5, 64)),
     "images must have shape (n, 784), (n, 28, 28) or (n, 1, 28, 28), got (5, 64)"),
    ("a generator of depth 0", lambda tmp: gb.MLPGenerator(depth=0), "depth must be >= 1, got 0"),
    ("points of the wrong shape for the mode counter", lambda tmp: gb.mode_coverage(
        torch.zeros(10, 3), gb.GaussianRing2D().centers, 0.02), "samples have dimension 3"),
    ("NaN features for the Frechet distance", lambda tmp: gb.frechet_distance(
        torch.full((50, 4), float("nan")), torch.zeros(50, 4)), "nan"),
    ("feature sets of different widths", lambda tmp: gb.frechet_distance(torch.zeros(50, 4), torch.zeros(50, 5)),
     "4"),
    ("a class label out of range", lambda tmp: gb.class_shares(torch.tensor([0, 3, 12])), "12"),
    ("an EMA decay of 1", lambda tmp: gb.WeightAverage(nn.Linear(4, 1), decay=1.0), "got 1.0"),
    ("a sample tracker that records every 0 steps", lambda tmp: gb.SampleTracker(every=0), "every must be >= 1, got 0"),
    ("a dashboard redrawn every 0 steps", lambda tmp: gb.Dashboard(every=0), "every must be >= 1, got 0"),
    ("a dashboard panel that is not callable", lambda tmp: gb.Dashboard(panel="histogram"), "'histogram'"),
    ("an unknown dashboard layout", lambda tmp: gb.Dashboard(layout="column"), "got 'column'"),
    ("a histogram with zero bins", lambda tmp: gb.histogram_panel(gb.Gaussian1D(), bins=0), "bins must be >= 1, got 0"),
    ("a loss whose output no panel knows how to draw", lambda tmp: field_of_a_loss_that_outputs("score"),
     "the loss's output must be one of 'probability', 'least squares', 'margin', 'critic', got 'score'"),
    ("plotting D's curves as an unknown output", lambda tmp: gb.plot_d_curves(
        __import__("matplotlib.figure").figure.Figure().subplots(), gb.History(), output="distance"),
     "output must be one of 'probability', 'least squares', 'margin', 'critic', got 'distance'"),
    ("an image grid of zero columns", lambda tmp: gb.image_panel(columns=0), "columns must be >= 1, got 0"),
    ("controls with a learning rate of zero", lambda tmp: training_controls(lr_d=0.0), "lr_d must be a positive"),
    ("controls that train for 0 steps", lambda tmp: training_controls(steps=0), "steps must be >= 1, got 0"),
    ("controls with more steps than the slider holds", lambda tmp: training_controls(steps=500, max_steps=100),
     "steps must be <= 100, got 500"),
    ("controls with an unknown loss", lambda tmp: training_controls(loss="hinge"), "got 'hinge'"),
    ("controls with a learning rate beyond the slider", lambda tmp: training_controls(lr_g=0.5),
     "lr_g must lie within the slider's range (1e-05, 0.1), got 0.5"),
    ("a learning rate of zero set mid-run", lambda tmp: trainer().set_learning_rates(lr_d=0.0),
     "lr_d must be a positive finite number, got 0.0"),
    ("an optimiser that is a name", lambda tmp: trainer(optimizer_g="SGD"), "optimizer_g must be callable"),
    ("an optimiser factory that returns no optimiser", lambda tmp: trainer(optimizer_d=lambda params, lr: None),
     "optimizer_d must return a torch.optim.Optimizer, got NoneType"),
    ("noise of the wrong width for generate", lambda tmp: trainer().generate(torch.randn(3, 5)),
     "z must be a tensor of shape (n, 4)"),
    ("recording a step that was skipped", lambda tmp: trainer().record_step({"skipped": True}, {"skipped": False}),
     "d must be the record of a step that was taken"),
    ("fixed noise of no samples", lambda tmp: gb.FixedNoise(0, torch.Generator()), "n must be >= 1, got 0"),
    ("a slider figure with no controls", lambda tmp: slider_figure({}), "controls must be a non-empty dict"),
    ("a slider figure with a button as a control", lambda tmp: slider_figure({"go": __import__("ipywidgets").Button()}),
     "controls['go']"),
    ("gluing a tensor instead of a number", lambda tmp: gb.glue("share", torch.tensor([0.5, 0.6])),
     "the value glued as 'share' must be a finite number or a string"),
    ("gluing NaN", lambda tmp: gb.glue("share", float("nan")), "must be finite, got nan"),
    ("a glue name with a space", lambda tmp: gb.glue("my share", 0.5), "got 'my share'"),
    ("text that quotes a number never glued", lambda tmp: gb.fill_glued("{glue:text}`nowhere:.2f`", {}),
     "the text quotes 'nowhere', which no cell has glued yet"),
    ("a format that does not fit the value", lambda tmp: gb.fill_glued("{glue:text}`x:.2f`", {"x": "eight"}),
     "the format '.2f' does not apply to 'x'"),
]


def test_the_table_is_long_enough():
    assert len(BAD_CALLS) >= 20


@pytest.mark.parametrize("call, message", [row[1:] for row in BAD_CALLS], ids=[row[0] for row in BAD_CALLS])
def test_a_bad_call_is_answered_by_a_value_error_that_names_the_value(call, message, tmp_path):
    torch.set_num_threads(1)
    with pytest.raises(ValueError) as caught:
        call(tmp_path)
    assert message in str(caught.value), f"the message {str(caught.value)!r} does not name {message!r}"
    # raised by ganbook itself, not deep inside torch or numpy
    assert caught.traceback[-1].path.parts[-2] == "ganbook", caught.traceback[-1].path
