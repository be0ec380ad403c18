#!/usr/bin/env python
"""Train a DCGAN on your own folder of images, or on Fashion-MNIST.

Plain PyTorch, Pillow and tqdm; no ``ganbook``. The networks are the ones the
book's capstone chapter builds (same code).

    python examples/train_dcgan.py --data DIR --out runs/mine
    python examples/train_dcgan.py --data fashion-mnist --out runs/fm \
        --minutes 10
    python examples/train_dcgan.py --resume runs/fm/checkpoint.pt \
        --steps 20000
    torchrun --nproc_per_node=2 examples/train_dcgan.py --data DIR \
        --out runs/ddp

DIR is any folder of images (class subfolders or flat; png, jpg, jpeg, bmp,
gif, webp), grey or colour, any size: each image is resized (short side) and
centre-cropped to --size. --out receives samples_NNNNNN.png (a grid from fixed
noise through the averaged generator), checkpoint.pt (everything --resume
needs) and generator_ema.pt (the averaged generator's state_dict, on its own:
load it into ``Generator`` to sample without training again).

Under torchrun the same script runs DistributedDataParallel, one process per
device (NCCL on GPUs, gloo on CPUs); --batch is the global batch, split evenly
among the processes, and only the first process writes files.
"""
import argparse
import contextlib
import copy
import gzip
import os
import random
import signal
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
from PIL import Image
from tqdm import tqdm


# ---------------------------------------------------------------- networks --
# The chapter's networks, unchanged (a test compares the two sources).

def start_size(size):
    """(base, doublings) with size == base * 2**doublings.

    base is 4 or 7, with at least 2 doublings.
    """
    for base in (7, 4):
        doublings = 0
        while base * 2 ** doublings < size:
            doublings += 1
        if base * 2 ** doublings == size and doublings >= 2:
            return base, doublings
    raise ValueError(f"size {size}: the networks make 4 * 2**k or 7 * 2**k "
                     "pixels (k >= 2): 16, 28, 32, 56, 64, 112, 128, ...")


class Generator(nn.Module):
    """DCGAN's generator: noise z (n, z_dim) -> images in [-1, 1].

    The images have shape (n, channels, size, size).
    """
    def __init__(self, z_dim=64, width=32, channels=1, size=28):
        super().__init__()
        base, doublings = start_size(size)
        c = width * 2 ** (doublings - 1)
        layers = [nn.ConvTranspose2d(z_dim, c, base, 1, 0, bias=False),
                  nn.BatchNorm2d(c), nn.ReLU(True)]
        for _ in range(doublings - 1):
            layers += [nn.ConvTranspose2d(c, c // 2, 4, 2, 1, bias=False),
                       nn.BatchNorm2d(c // 2), nn.ReLU(True)]
            c //= 2
        layers += [nn.ConvTranspose2d(c, channels, 4, 2, 1), nn.Tanh()]
        self.net = nn.Sequential(*layers)
    def forward(self, z):
        return self.net(z[:, :, None, None])


class Discriminator(nn.Module):
    """DCGAN's discriminator: images -> one logit each (n,)."""
    def __init__(self, width=32, channels=1, size=28):
        super().__init__()
        base, doublings = start_size(size)
        c = width
        layers = [nn.Conv2d(channels, c, 4, 2, 1), nn.LeakyReLU(0.2, True)]
        for _ in range(doublings - 1):
            layers += [nn.Conv2d(c, 2 * c, 4, 2, 1, bias=False),
                       nn.BatchNorm2d(2 * c), nn.LeakyReLU(0.2, True)]
            c *= 2
        layers += [nn.Conv2d(c, 1, base, 1, 0)]
        self.net = nn.Sequential(*layers)
    def forward(self, x):
        return self.net(x).flatten()


def init_weights(module):
    """DCGAN's initialisation.

    Convolutions N(0, 0.02), batch norm scale N(1, 0.02).
    """
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


# -------------------------------------------------------------------- data --

class UsageError(Exception):
    """Bad input. main() prints the message and exits with status 2."""


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")
GREY_MODES = ("1", "L", "LA", "La", "I", "I;16", "F")
FASHION_MNIST_SYSTEM_DIR = "/usr/share/datasets/fashion-mnist"
FASHION_MNIST_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


def find_images(folder):
    """The image files under folder (any depth, hidden ones skipped), sorted.

    Works for ImageFolder's layout (one subfolder per class) and for a flat
    folder alike: the class folders only group files, the GAN ignores them.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"--data {folder}: not a folder (give a folder of "
                         "images, or fashion-mnist)")
    files = sorted(
        (p for p in folder.rglob("*")
         if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()
         and not any(part.startswith(".")
                     for part in p.relative_to(folder).parts)),
        key=lambda p: p.relative_to(folder).as_posix())
    if not files:
        raise UsageError(f"--data {folder}: no images in it or its subfolders "
                         f"(looked for {', '.join(IMAGE_SUFFIXES)})")
    return files


def scan_images(files):
    """Check every file opens as an image; return True if all are grey.

    Reads headers and checks the file's structure (Pillow's verify), without
    decoding the pixels, so a large folder is scanned quickly.
    """
    grey = True
    for path in files:
        try:
            with Image.open(path) as image:
                mode = image.mode
                image.verify()
        except Exception as error:
            raise UsageError(f"cannot read image {path}: {error}") from None
        grey = grey and mode in GREY_MODES
    return grey


def prepare(image, size, channels):
    """A PIL image -> float tensor (channels, size, size) in [-1, 1].

    The short side is resized to size, then the centre is cropped.
    """
    image = image.convert("L" if channels == 1 else "RGB")
    w, h = image.size
    if (w, h) != (size, size):
        scale = size / min(w, h)
        w, h = max(size, round(w * scale)), max(size, round(h * scale))
        image = image.resize((w, h), Image.Resampling.BICUBIC)
        left, top = (w - size) // 2, (h - size) // 2
        image = image.crop((left, top, left + size, top + size))
    x = torch.from_numpy(np.array(image, dtype=np.uint8))
    x = x[None] if channels == 1 else x.permute(2, 0, 1)
    return x.float() / 127.5 - 1.0


class ImageFiles(torch.utils.data.Dataset):
    """Image files, decoded when asked for (so any folder size fits)."""
    def __init__(self, files, size, channels):
        self.files, self.size, self.channels = list(files), size, channels
    def __len__(self):
        return len(self.files)
    def __getitem__(self, i):
        path = self.files[i]
        try:
            with Image.open(path) as image:
                # JPEG: decode at a reduced scale that still covers size.
                image.draft("L" if self.channels == 1 else "RGB",
                            (self.size, self.size))
                return prepare(image, self.size, self.channels)
        except Exception as error:
            raise UsageError(f"cannot read image {path}: {error}") from None


class ArrayImages(torch.utils.data.Dataset):
    """Grey images held in a uint8 array (n, height, width)."""
    def __init__(self, array, size, channels):
        self.array, self.size, self.channels = array, size, channels
    def __len__(self):
        return len(self.array)
    def __getitem__(self, i):
        image = Image.fromarray(self.array[i], "L")
        return prepare(image, self.size, self.channels)


def read_idx(path):
    """An IDX file (the MNIST format), gzipped -> numpy array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if data[:2] != b"\0\0" or data[2] != 0x08:
        raise UsageError(f"{path}: not an IDX file of unsigned bytes")
    ndim = data[3]
    shape = [int.from_bytes(data[4 + 4 * k:8 + 4 * k], "big")
             for k in range(ndim)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def fashion_mnist_dir():
    """The folder holding Fashion-MNIST's four .gz files.

    $FASHION_MNIST_DIR if set, else Debian's dataset-fashion-mnist folder.
    """
    files = [name for pair in FASHION_MNIST_FILES.values() for name in pair]
    how = ("install Debian's package (sudo apt-get install "
           f"dataset-fashion-mnist: it puts them in {FASHION_MNIST_SYSTEM_DIR})"
           ", or download them from "
           "https://github.com/zalandoresearch/fashion-mnist and set "
           "FASHION_MNIST_DIR to their folder")
    folder = os.environ.get("FASHION_MNIST_DIR")
    where = (f"FASHION_MNIST_DIR={folder}" if folder
             else FASHION_MNIST_SYSTEM_DIR)
    folder = Path(folder or FASHION_MNIST_SYSTEM_DIR)
    missing = [name for name in files if not (folder / name).is_file()]
    if missing:
        raise UsageError(f"Fashion-MNIST not found: {where} lacks "
                         f"{', '.join(missing)}. To get the four files, "
                         f"{how}")
    return folder


def load_fashion_mnist(split="train"):
    """Fashion-MNIST's images (n, 28, 28) uint8 and labels (n,) uint8."""
    folder = fashion_mnist_dir()
    images, labels = FASHION_MNIST_FILES[split]
    return read_idx(folder / images), read_idx(folder / labels)


def save_grid(images, path, nrow=8, pad=2):
    """Write images (n, channels, h, w) in [-1, 1] as one PNG, nrow a row.

    White lines of pad pixels separate the images.
    """
    x = images.detach().float().cpu().clamp(-1, 1)
    x = ((x + 1) * 127.5).round().to(torch.uint8)
    n, c, h, w = x.shape
    rows = -(-n // nrow)
    cols = min(n, nrow)
    grid = torch.full((c, pad + rows * (h + pad), pad + cols * (w + pad)),
                      255, dtype=torch.uint8)
    for i in range(n):
        top = pad + (i // nrow) * (h + pad)
        left = pad + (i % nrow) * (w + pad)
        grid[:, top:top + h, left:left + w] = x[i]
    array = grid.permute(1, 2, 0).numpy()
    image = Image.fromarray(array[:, :, 0] if c == 1 else array,
                            "L" if c == 1 else "RGB")
    path = Path(path)
    temporary = path.with_name(path.name + ".tmp")
    image.save(temporary, format="PNG")
    os.replace(temporary, path)


class EpochSampler(torch.utils.data.Sampler):
    """DistributedSampler's order, able to start an epoch at a given batch.

    Epoch e is a permutation drawn from seed + e (DistributedSampler makes a
    fresh generator each epoch), so (epoch, batch) is all the sampler state a
    checkpoint needs. Process r of W takes every W-th index: the W processes'
    batches together hold the same images as one process's global batch.
    """
    def __init__(self, dataset, world, rank, seed, local_batch):
        self.inner = torch.utils.data.DistributedSampler(
            dataset, num_replicas=world, rank=rank, shuffle=True, seed=seed,
            drop_last=True)
        self.local_batch = local_batch
        self.skip = 0
    def set_position(self, epoch, batch):
        self.inner.set_epoch(epoch)
        self.skip = batch * self.local_batch
    def __iter__(self):
        return iter(list(self.inner)[self.skip:])
    def __len__(self):
        return len(self.inner) - self.skip


# ------------------------------------------------------- distributed help --

class AllReduceSum(torch.autograd.Function):
    """The sum of a tensor over all processes, with its gradient."""
    @staticmethod
    def forward(ctx, x):
        x = x.clone()
        dist.all_reduce(x)
        return x
    @staticmethod
    def backward(ctx, grad):
        # Every process's output is the sum: each input's gradient is the
        # sum of the output gradients of all processes.
        grad = grad.clone()
        dist.all_reduce(grad)
        return grad


class GlobalBatchNorm2d(nn.BatchNorm2d):
    """Batch norm over the global batch of all processes, on any backend.

    nn.SyncBatchNorm does this on GPUs only (torch 2.13 refuses CPU tensors),
    so CPU processes (gloo) use this one: the mean and the variance are sums
    all-reduced across processes, gradients included. The state_dict is
    BatchNorm2d's.
    """
    def forward(self, x):
        if not (self.training and dist.is_initialized()
                and dist.get_world_size() > 1):
            return super().forward(x)
        all_reduce = AllReduceSum.apply
        n = x.numel() // x.shape[1] * dist.get_world_size()
        mean = all_reduce(x.sum((0, 2, 3))) / n
        centred = x - mean[None, :, None, None]
        var = all_reduce((centred * centred).sum((0, 2, 3))) / n
        with torch.no_grad():
            self.num_batches_tracked += 1
            self.running_mean.lerp_(mean, self.momentum)
            self.running_var.lerp_(var * n / (n - 1), self.momentum)
        scale = self.weight * torch.rsqrt(var + self.eps)
        return (centred * scale[None, :, None, None]
                + self.bias[None, :, None, None])


def global_batch_norm(module):
    """module with each BatchNorm2d replaced by a GlobalBatchNorm2d."""
    for name, child in module.named_children():
        if type(child) is nn.BatchNorm2d:
            new = GlobalBatchNorm2d(child.num_features, child.eps,
                                    child.momentum)
            # The same parameter objects (as nn.SyncBatchNorm's converter
            # does): an optimiser made before still updates them.
            new.weight, new.bias = child.weight, child.bias
            for buffer in ("running_mean", "running_var",
                           "num_batches_tracked"):
                setattr(new, buffer, getattr(child, buffer))
            setattr(module, name, new)
        else:
            global_batch_norm(child)
    return module


@torch.no_grad()
def update_average(average, model, decay):
    """average <- decay * average + (1 - decay) * model; buffers copied."""
    params = dict(model.named_parameters())
    for name, a in average.named_parameters():
        a.lerp_(params[name].detach(), 1.0 - decay)
    buffers = dict(model.named_buffers())
    for name, b in average.named_buffers():
        b.copy_(buffers[name])


# ----------------------------------------------------------------- options --

DEFAULTS = {"z_dim": 64, "width": 32, "batch": 64, "lr_d": 2e-4,
            "lr_g": 2e-4, "ema": 0.999, "seed": 0}
NETWORK_FIELDS = ("z_dim", "width", "channels", "size")
ORDER_FIELDS = ("batch", "seed")  # a resumed run continues their data order
RUN_FILES = ("checkpoint.pt", "generator_ema.pt")


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        prog="train_dcgan.py",
        description="Train a DCGAN on a folder of images or Fashion-MNIST. "
        "Under torchrun it runs DistributedDataParallel.")
    a = p.add_argument
    a("--data", help="a folder of images (class subfolders or flat; "
      "png/jpg/jpeg/bmp/gif/webp), or fashion-mnist (read from "
      f"$FASHION_MNIST_DIR, else {FASHION_MNIST_SYSTEM_DIR}); "
      "with --resume, default: the checkpoint's")
    a("--out", help="folder for samples and checkpoints; it must not hold a "
      "run already unless you --resume it (default with --resume: the "
      "checkpoint's folder)")
    a("--resume", metavar="CHECKPOINT",
      help="continue the run saved in this checkpoint.pt exactly where it "
      "stopped; network sizes, --batch and --seed come from it")
    a("--size", type=int, help="image side in pixels, 4*2**k or 7*2**k with "
      "k >= 2 (16, 28, 32, 56, 64, ...); default 28 for fashion-mnist, 64 "
      "for a folder")
    a("--channels", type=int, choices=(1, 3), help="1 (grey) or 3 (colour); "
      "default 1 if every image is grey, else 3")
    a("--z-dim", type=int, help="noise dimension (default 64)")
    a("--width", type=int, help="channels of D's first layer and of G's "
      "last hidden one; the layers between have 2, 4, ... times as many "
      "(default 32)")
    a("--batch", type=int, help="global batch size, split evenly among "
      "torchrun's processes (default 64)")
    a("--lr-d", type=float, help="D's Adam learning rate (default 2e-4)")
    a("--lr-g", type=float, help="G's Adam learning rate (default 2e-4)")
    a("--ema", type=float, help="decay of the moving average of G's weights "
      "(default 0.999; during the first steps it is smaller, (1+t)/(10+t))")
    a("--steps", type=int, help="stop after this many steps in all (a "
      "resumed run counts the steps before); default 10000 unless --minutes")
    a("--minutes", type=float, help="stop after this much training time in "
      "this invocation; with --steps, whichever comes first")
    a("--sample-every", type=int, default=500, metavar="N",
      help="write samples_NNNNNN.png every N steps, and at the end "
      "(default 500)")
    a("--checkpoint-every", type=int, default=1000, metavar="N",
      help="write checkpoint.pt and generator_ema.pt every N steps, and at "
      "the end (default 1000)")
    a("--samples", type=int, default=64, help="images in a sample grid, "
      "8 a row (default 64)")
    a("--device", choices=("auto", "cpu", "cuda"), default="auto",
      help="auto: cuda if available (default auto)")
    a("--amp", action=argparse.BooleanOptionalAction, default=None,
      help="mixed precision (bfloat16, or float16 with a gradient scaler): "
      "CUDA only, on there by default; off on CPU even if asked")
    a("--sync-bn", action=argparse.BooleanOptionalAction, default=True,
      help="under torchrun: batch norm over the global batch, as one "
      "process would (default on); --no-sync-bn normalises each process's "
      "share alone")
    a("--seed", type=int, help="seed of the weights, the data order and the "
      "noise (default 0)")
    a("--workers", type=int, help="DataLoader worker processes (default 2 "
      "for a folder, 0 for fashion-mnist)")
    return p.parse_args(argv)


def check_positive(args):
    for name in ("size", "z_dim", "width", "batch", "steps", "sample_every",
                 "checkpoint_every", "samples"):
        value = getattr(args, name)
        if value is not None and value < 1:
            flag = "--" + name.replace("_", "-")
            raise UsageError(f"{flag} {value}: must be at least 1")
    for name in ("lr_d", "lr_g", "minutes"):
        value = getattr(args, name)
        if value is not None and not value > 0:
            flag = "--" + name.replace("_", "-")
            raise UsageError(f"{flag} {value}: must be positive")
    if args.ema is not None and not 0 <= args.ema < 1:
        raise UsageError(f"--ema {args.ema}: must be in [0, 1)")
    if args.workers is not None and args.workers < 0:
        raise UsageError(f"--workers {args.workers}: must be at least 0")


def load_checkpoint(path):
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"--resume {path}: no such file")
    try:
        # weights_only=False: the checkpoint holds numpy's and Python's RNG
        # states. Resume only from checkpoints you wrote yourself.
        state = torch.load(path, map_location="cpu", weights_only=False)
    except Exception as error:
        raise UsageError(f"--resume {path}: cannot load it: {error}") from None
    if not isinstance(state, dict) or "config" not in state:
        raise UsageError(f"--resume {path}: not a checkpoint of this script "
                         "(generator_ema.pt holds only the generator; "
                         "resume from checkpoint.pt)")
    return state


def merge_resumed_config(args, saved):
    """Fill args from the saved config; refuse one that contradicts it."""
    for name in NETWORK_FIELDS + ORDER_FIELDS:
        given = getattr(args, name)
        if given is not None and given != saved[name]:
            flag = "--" + name.replace("_", "-")
            what = ("shapes the networks" if name in NETWORK_FIELDS
                    else "sets the data order that --resume continues")
            raise UsageError(
                f"--resume {args.resume}: the checkpoint is from another "
                f"configuration: {flag} {given}, but it was trained with "
                f"{flag} {saved[name]} ({flag} {what}); drop {flag} or give "
                "a new --out without --resume")
        setattr(args, name, saved[name])
    for name in ("lr_d", "lr_g", "ema"):
        if getattr(args, name) is None:
            setattr(args, name, saved[name])
    if args.data is None:
        args.data = saved["data"]


def sample_steps(folder):
    steps = []
    for path in Path(folder).glob("samples_*.png"):
        digits = path.stem[len("samples_"):]
        if digits.isdigit():
            steps.append((int(digits), path))
    return sorted(steps)


def check_out(args, start_step):
    """Refuse an --out whose files this run would overwrite."""
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    if not out.is_dir():
        return
    held = [out / name for name in RUN_FILES if (out / name).exists()]
    samples = sample_steps(out)
    if args.resume is None:
        held += [path for _, path in samples[:1]]
        if held:
            raise UsageError(
                f"--out {out} already holds a run ({held[0].name}): give "
                f"another --out, or continue it with --resume "
                f"{out / 'checkpoint.pt'}")
        return
    checkpoint = out / "checkpoint.pt"
    if checkpoint.exists() and not checkpoint.samefile(args.resume):
        raise UsageError(
            f"--out {out} holds another run's checkpoint.pt, which resuming "
            f"{args.resume} there would overwrite: give another --out")
    later = [path for step, path in samples if step > start_step]
    if later:
        raise UsageError(
            f"--out {out} holds {later[0].name}, later than the checkpoint's "
            f"step {start_step}: resuming there would overwrite it; give "
            "another --out")


def choose_device(name, local_rank, world):
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda":
        if not torch.cuda.is_available():
            raise UsageError("--device cuda: this PyTorch sees no CUDA GPU "
                             "(use --device cpu or auto)")
        if world > torch.cuda.device_count():
            raise UsageError(f"{world} processes but only "
                             f"{torch.cuda.device_count()} GPU(s): one "
                             "process per GPU")
        return torch.device("cuda", local_rank)
    return torch.device("cpu")


# --------------------------------------------------------------- training --

def run(args):
    rank = int(os.environ.get("RANK", 0))
    world = int(os.environ.get("WORLD_SIZE", 1))
    local_rank = int(os.environ.get("LOCAL_RANK", 0))
    main_process = rank == 0
    say = print if main_process else (lambda *a, **k: None)

    # 1. Check everything before writing anything.
    check_positive(args)
    saved = None
    if args.resume is not None:
        saved = load_checkpoint(args.resume)
        merge_resumed_config(args, saved["config"])
        if args.out is None:
            args.out = str(Path(args.resume).parent)
    elif args.data is None or args.out is None:
        raise UsageError("give --data and --out (or --resume CHECKPOINT)")
    for name, value in DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    fashion = args.data == "fashion-mnist"
    if args.size is None:
        args.size = 28 if fashion else 64
    try:
        start_size(args.size)
    except ValueError as error:
        raise UsageError(f"--{error}") from None  # "--size 30: the ..."
    if args.batch % world:
        raise UsageError(f"--batch {args.batch} is the global batch: it must "
                         f"divide evenly among the {world} processes")
    local_batch = args.batch // world
    start_step = 0 if saved is None else saved["step"]
    check_out(args, start_step)
    if fashion:
        images, _ = load_fashion_mnist("train")
        if args.channels is None:
            args.channels = 1
        dataset = ArrayImages(images, args.size, args.channels)
        workers = 0 if args.workers is None else args.workers
    else:
        files = find_images(args.data)
        grey = scan_images(files)
        if args.channels is None:
            args.channels = 1 if grey else 3
        dataset = ImageFiles(files, args.size, args.channels)
        workers = 2 if args.workers is None else args.workers
    if len(dataset) < args.batch:
        raise UsageError(f"--data {args.data}: {len(dataset)} images, fewer "
                         f"than one batch (--batch {args.batch})")
    if args.steps is None and args.minutes is None:
        args.steps = 10000
    if args.steps is not None and start_step >= args.steps:
        say(f"the checkpoint is at step {start_step}, --steps {args.steps}: "
            "nothing to do (raise --steps to train on)")
        return 0
    device = choose_device(args.device, local_rank, world)
    cuda = device.type == "cuda"
    amp = args.amp if cuda else False
    if args.amp and not cuda:
        say("--amp: mixed precision is for CUDA only; off on CPU")
    if amp is None:
        amp = True
    amp_dtype = (torch.bfloat16 if cuda and torch.cuda.is_bf16_supported()
                 else torch.float16)
    config = {name: getattr(args, name) for name in
              ("size", "channels", "z_dim", "width", "batch", "lr_d", "lr_g",
               "ema", "seed")}
    config["data"] = args.data if fashion else str(Path(args.data).resolve())

    # 2. Processes, networks, optimisers.
    if world > 1:
        if cuda:
            torch.cuda.set_device(device)
        dist.init_process_group("nccl" if cuda else "gloo")
        dist.barrier()  # every process has checked its input
    if cuda:
        torch.backends.cudnn.benchmark = True
    torch.manual_seed(args.seed)
    G = Generator(args.z_dim, args.width, args.channels, args.size)
    D = Discriminator(args.width, args.channels, args.size)
    G.apply(init_weights)
    D.apply(init_weights)
    G_ema = copy.deepcopy(G).requires_grad_(False).eval()
    opt_d = torch.optim.Adam(D.parameters(), args.lr_d, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(G.parameters(), args.lr_g, betas=(0.5, 0.999))
    scale = amp and amp_dtype == torch.float16
    scaler_d = torch.amp.GradScaler("cuda", enabled=scale)
    scaler_g = torch.amp.GradScaler("cuda", enabled=scale)
    noise = torch.Generator().manual_seed(args.seed + 1)
    fixed_z = torch.randn(args.samples, args.z_dim,
                          generator=torch.Generator().manual_seed(args.seed))
    epoch, batch_in_epoch = 0, 0
    if saved is not None:
        G.load_state_dict(saved["generator"])
        D.load_state_dict(saved["discriminator"])
        G_ema.load_state_dict(saved["generator_ema"])
        opt_d.load_state_dict(saved["opt_d"])
        opt_g.load_state_dict(saved["opt_g"])
        for opt, name in ((opt_d, "lr_d"), (opt_g, "lr_g")):
            for group in opt.param_groups:
                group["lr"] = getattr(args, name)
        if scale and saved.get("scaler_d"):
            scaler_d.load_state_dict(saved["scaler_d"])
            scaler_g.load_state_dict(saved["scaler_g"])
        rng = saved["rng"]
        torch.set_rng_state(rng["torch"])
        np.random.set_state(rng["numpy"])
        random.setstate(rng["python"])
        noise.set_state(rng["noise"])
        if cuda and rng.get("cuda"):
            torch.cuda.set_rng_state(rng["cuda"][0], device)
        epoch, batch_in_epoch = saved["epoch"], saved["batch_in_epoch"]
        say(f"resuming {args.resume} at step {start_step}")
    G, D, G_ema = G.to(device), D.to(device), G_ema.to(device)
    for opt in (opt_d, opt_g):  # move Adam's moments along with the weights
        for state in opt.state.values():
            for key, value in state.items():
                if torch.is_tensor(value) and key != "step":
                    state[key] = value.to(device)
    gen, disc = G, D  # the plain modules (saved, averaged)
    if world > 1:
        if args.sync_bn:
            convert = (nn.SyncBatchNorm.convert_sync_batchnorm if cuda
                       else global_batch_norm)
            G, D = convert(G), convert(D)
            gen, disc = G, D
        ids = [device.index] if cuda else None
        G = nn.parallel.DistributedDataParallel(G, device_ids=ids)
        D = nn.parallel.DistributedDataParallel(D, device_ids=ids)

    sampler = EpochSampler(dataset, world, rank, args.seed, local_batch)
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=local_batch, sampler=sampler, drop_last=True,
        num_workers=workers, pin_memory=cuda, persistent_workers=workers > 0)
    batches_per_epoch = len(dataset) // world // local_batch

    def batches():
        nonlocal epoch, batch_in_epoch
        while True:
            sampler.set_position(epoch, batch_in_epoch)
            for real in loader:
                batch_in_epoch += 1
                if batch_in_epoch == batches_per_epoch:
                    epoch, batch_in_epoch = epoch + 1, 0
                yield real
            if batch_in_epoch:  # the loader ended early: cannot happen
                raise RuntimeError("the data loader stopped mid-epoch")

    out = Path(args.out)

    def write_samples(step):
        out.mkdir(parents=True, exist_ok=True)
        with torch.no_grad():
            images = G_ema(fixed_z.to(device))
        save_grid(images, out / f"samples_{step:06d}.png")

    def write_checkpoint(step):
        out.mkdir(parents=True, exist_ok=True)
        state = {
            "config": config, "step": step, "epoch": epoch,
            "batch_in_epoch": batch_in_epoch,
            "generator": gen.state_dict(), "discriminator": disc.state_dict(),
            "generator_ema": G_ema.state_dict(),
            "opt_d": opt_d.state_dict(), "opt_g": opt_g.state_dict(),
            "scaler_d": scaler_d.state_dict() if scale else None,
            "scaler_g": scaler_g.state_dict() if scale else None,
            # The data order needs no generator state: epoch e's is drawn
            # from seed + e. The noise has its own generator.
            "rng": {"torch": torch.get_rng_state(),
                    "cuda": torch.cuda.get_rng_state_all() if cuda else None,
                    "numpy": np.random.get_state(),
                    "python": random.getstate(), "noise": noise.get_state()},
        }
        for name, value in (("checkpoint.pt", state),
                            ("generator_ema.pt",
                             {k: v.cpu()
                              for k, v in G_ema.state_dict().items()})):
            temporary = out / (name + ".tmp")
            torch.save(value, temporary)
            os.replace(temporary, out / name)

    # 3. The loop: a D step, then a G step, on each batch.
    bce = nn.BCEWithLogitsLoss()
    autocast = (torch.autocast("cuda", dtype=amp_dtype) if amp
                else contextlib.nullcontext())
    no_sync_d = D.no_sync if world > 1 else contextlib.nullcontext
    stop = {"interrupted": False}

    def interrupt(signum, frame):  # Ctrl-C: stop after this step, and save
        stop["interrupted"] = True
        signal.signal(signal.SIGINT, previous)
    previous = signal.signal(signal.SIGINT, interrupt)

    say(f"{len(dataset)} images, {args.size}x{args.size}, "
        f"{args.channels} channel(s); {world} process(es) on {device.type}"
        f"{', mixed precision ' + str(amp_dtype).split('.')[1] if amp else ''}"
        f"; writing to {out}")
    bar = tqdm(total=args.steps, initial=start_step, unit="step",
               disable=not main_process, dynamic_ncols=True)
    step, t0, last_saved, last_sampled = start_step, time.monotonic(), -1, -1
    data = batches()
    try:
        while args.steps is None or step < args.steps:
            real = next(data).to(device, non_blocking=True)
            z = torch.randn(args.batch, args.z_dim, generator=noise)
            z = z[rank * local_batch:(rank + 1) * local_batch].to(device)
            # D step: real images towards 1, generated ones towards 0. The
            # first backward accumulates locally; the second syncs the sum.
            opt_d.zero_grad(set_to_none=True)
            with no_sync_d():
                with autocast:
                    logits_real = D(real)
                    loss_real = bce(logits_real,
                                    torch.ones_like(logits_real))
                scaler_d.scale(loss_real).backward()
            with autocast:
                fake = G(z)
                logits_fake = D(fake.detach())
                loss_fake = bce(logits_fake, torch.zeros_like(logits_fake))
            scaler_d.scale(loss_fake).backward()
            scaler_d.step(opt_d)
            scaler_d.update()
            # G step (non-saturating): D's verdict on the fakes towards 1.
            # D's gradients from it are not needed, so not synced.
            opt_g.zero_grad(set_to_none=True)
            with no_sync_d():
                with autocast:
                    logits = D(fake)
                    loss_g = bce(logits, torch.ones_like(logits))
                scaler_g.scale(loss_g).backward()
            scaler_g.step(opt_g)
            scaler_g.update()
            update_average(G_ema, gen,
                           min(args.ema, (1 + step) / (10 + step)))
            step += 1

            # D(x), D(G(z)) (before the D step) and the stop signal,
            # agreed by all processes.
            show = step % 10 == 0 or step == args.steps
            timed = args.minutes is not None
            if show or timed or world > 1:
                stopping = stop["interrupted"] or (
                    timed and time.monotonic() - t0 >= 60 * args.minutes)
                if show:
                    with torch.no_grad():
                        shared = torch.stack([
                            torch.sigmoid(logits_real.float()).mean(),
                            torch.sigmoid(logits_fake.float()).mean()])
                else:
                    shared = torch.zeros(2, device=device)
                shared = torch.cat([shared / world, torch.tensor(
                    [float(stopping)], device=device)])
                if world > 1:
                    dist.all_reduce(shared)
                if show:
                    bar.set_postfix({"D(x)": f"{shared[0]:.3f}",
                                     "D(G(z))": f"{shared[1]:.3f}"},
                                    refresh=False)
                stopping = bool(shared[2] > 0)
            else:
                stopping = stop["interrupted"]
            bar.update(1)
            if main_process and step % args.sample_every == 0:
                write_samples(step)
                last_sampled = step
            if main_process and step % args.checkpoint_every == 0:
                write_checkpoint(step)
                last_saved = step
            if stopping:
                break
    finally:
        bar.close()
        signal.signal(signal.SIGINT, previous)
    seconds = time.monotonic() - t0
    if main_process:
        if last_sampled != step:
            write_samples(step)
        if last_saved != step:
            write_checkpoint(step)
    why = ("interrupted" if stop["interrupted"]
           else "time is up" if args.steps is None or step < args.steps
           else "done")
    done = step - start_step
    say(f"{why}: step {step}, {done} steps in {seconds:.0f} s "
        f"({done / max(seconds, 1e-9):.1f} steps/s); wrote "
        f"{out / f'samples_{step:06d}.png'}, {out / 'checkpoint.pt'}, "
        f"{out / 'generator_ema.pt'}")
    if world > 1:
        dist.destroy_process_group()
    return 130 if stop["interrupted"] else 0


def main(argv=None):
    args = parse_args(argv)
    try:
        return run(args)
    except UsageError as error:
        message = str(error)
        if "Original Traceback" in message:  # raised in a DataLoader worker
            message = message.strip().splitlines()[-1].split(": ", 1)[-1]
        if int(os.environ.get("RANK", 0)) == 0:
            print(f"train_dcgan.py: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
