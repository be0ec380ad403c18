"""ganbook: the code that the chapters of the GAN book share.

Lesson code (the generator, the discriminator, the losses) is written in the chapters; what
lives here is infrastructure that later chapters reuse once an earlier chapter has taught it.
Every public name's docstring says which chapter teaches it. One module per concern:

- ``runtime``: seeding and the device; ``data``: the distributions p_data, the digits and
  Fashion-MNIST; ``models``: chapter 1's networks and the packed discriminator; ``metrics``: mode
  coverage, the classifiers whose features measure images, and the Frechet distance;
- ``history``: what a run records; ``losses``: the adversarial losses (BCE, least squares, hinge,
  Wasserstein; chapters 3, 4 and 10); ``training``: the trainer (the loop of chapter 5);
  ``checkpoints``: saving and loading a run;
  ``callbacks``: what watches a run without drawing (sample statistics, the average of G's
  weights);
- ``style``: the colours; ``plots``: curves and image grids on an axis; ``panels``: the views a
  dashboard draws; ``display``: a figure updated in place; ``dashboard``: the live D(x) / D(G(z))
  figure; ``replay``: a run's frames played back without a kernel; ``controls``: the sliders and
  buttons that train live; ``prose``: the numbers a chapter's prose quotes from its run.
"""

from .callbacks import SampleTracker, TimeBudget, WeightAverage
from .controls import TrainingControls
from .dashboard import Dashboard
from .data import (
    Digits,
    FashionMNIST,
    Gaussian1D,
    GaussianMixture1D,
    GaussianRing2D,
    TwoMoons,
    fashion_mnist_source,
)
from .display import FigureDisplay, InteractiveFigure
from .metrics import (
    DigitClassifier,
    FashionClassifier,
    ImageClassifier,
    class_shares,
    frechet_distance,
    mode_coverage,
)
from .models import MLPDiscriminator, MLPGenerator, PackedDiscriminator
from .panels import CoveragePanel, FixedNoise, field_panel, generator_push, histogram_panel, history_panel, image_panel
from .plots import plot_d_curves, plot_images
from .replay import Replay
from .runtime import get_device, seed_everything
from .style import (
    ACCENT_COLOR,
    EQUILIBRIUM_COLOR,
    FAKE_COLOR,
    METRIC_COLOR,
    OKABE_ITO,
    REAL_COLOR,
    book_style,
)
from .prose import fill_glued, glue, show_glued
from .history import History
from .losses import BCE, LOSSES, GANLoss, Hinge, LeastSquares, Wasserstein, gradient_penalty
from .training import GANTrainer

__version__ = "0.4.0"

__all__ = [
    "ACCENT_COLOR",
    "BCE",
    "CoveragePanel",
    "Dashboard",
    "DigitClassifier",
    "Digits",
    "EQUILIBRIUM_COLOR",
    "FAKE_COLOR",
    "FashionClassifier",
    "FashionMNIST",
    "FigureDisplay",
    "FixedNoise",
    "GANLoss",
    "GANTrainer",
    "Gaussian1D",
    "GaussianMixture1D",
    "GaussianRing2D",
    "Hinge",
    "History",
    "ImageClassifier",
    "InteractiveFigure",
    "LOSSES",
    "LeastSquares",
    "METRIC_COLOR",
    "MLPDiscriminator",
    "MLPGenerator",
    "OKABE_ITO",
    "PackedDiscriminator",
    "REAL_COLOR",
    "Replay",
    "SampleTracker",
    "TimeBudget",
    "TrainingControls",
    "TwoMoons",
    "Wasserstein",
    "WeightAverage",
    "book_style",
    "class_shares",
    "fashion_mnist_source",
    "field_panel",
    "frechet_distance",
    "fill_glued",
    "generator_push",
    "glue",
    "gradient_penalty",
    "get_device",
    "histogram_panel",
    "history_panel",
    "image_panel",
    "mode_coverage",
    "plot_d_curves",
    "plot_images",
    "seed_everything",
    "show_glued",
]
