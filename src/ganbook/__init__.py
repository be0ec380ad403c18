"""ganbook: the code that the chapters of the GAN book share.

Lesson code (the generator, the discriminator, the losses) is written in the chapters; what
lives here is infrastructure that later chapters reuse once an earlier chapter has taught it.
"""

from .data import Digits, Gaussian1D, GaussianMixture1D, GaussianRing2D, TwoMoons
from .live import (
    Dashboard,
    InteractiveFigure,
    TrainingControls,
    book_style,
    coverage_panel,
    field_panel,
    generator_push,
    histogram_panel,
    history_panel,
    image_panel,
    plot_d_curves,
    plot_images,
)
from .metrics import DigitClassifier, class_shares, frechet_distance, mode_coverage
from .models import MLPDiscriminator, MLPGenerator, PackedDiscriminator
from .runtime import get_device, seed_everything
from .training import LOSSES, GANTrainer, History, SampleTracker, WeightAverage

__version__ = "0.1.0"

__all__ = [
    "Dashboard",
    "DigitClassifier",
    "Digits",
    "GANTrainer",
    "Gaussian1D",
    "GaussianMixture1D",
    "GaussianRing2D",
    "History",
    "InteractiveFigure",
    "LOSSES",
    "MLPDiscriminator",
    "MLPGenerator",
    "PackedDiscriminator",
    "SampleTracker",
    "TrainingControls",
    "TwoMoons",
    "WeightAverage",
    "book_style",
    "class_shares",
    "coverage_panel",
    "field_panel",
    "frechet_distance",
    "generator_push",
    "get_device",
    "histogram_panel",
    "history_panel",
    "image_panel",
    "mode_coverage",
    "plot_d_curves",
    "plot_images",
    "seed_everything",
]
