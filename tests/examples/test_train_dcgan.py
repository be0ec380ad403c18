"""examples/train_dcgan.py: the one-file DCGAN trainer, run as a reader would.

Each run is a few dozen steps of small networks (--width 8, --batch 16), on
folders of images the tests write: PNGs from Fashion-MNIST (Debian's package
dataset-fashion-mnist, which CI installs) and colour images of assorted sizes.
"""
import importlib.util
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "train_dcgan.py"
SMALL = ["--width", "8", "--batch", "16", "--z-dim", "16"]
ENV = {**os.environ, "OMP_NUM_THREADS": "1"}

spec = importlib.util.spec_from_file_location("train_dcgan", SCRIPT)
tdc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tdc)


def cli(*args, timeout=300):
    """Run the script in a fresh Python process, as a reader would."""
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)],
                          capture_output=True, text=True, env=ENV,
                          timeout=timeout, cwd=ROOT)


def train(*args):
    """Run the script's main() in this process (no start-up cost)."""
    return tdc.main([str(a) for a in args])


def load(path):
    return torch.load(path, map_location="cpu", weights_only=False)


def snapshot(folder):
    """Every file under folder with its bytes and modification time."""
    folder = Path(folder)
    if not folder.exists():
        return None
    return {p.relative_to(folder): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def fashion_folder(tmp_path_factory):
    """100 Fashion-MNIST images as PNGs, in class subfolders."""
    try:
        images, labels = tdc.load_fashion_mnist("train")
    except tdc.UsageError as error:
        pytest.skip(f"Fashion-MNIST is not installed (CI installs Debian's "
                    f"dataset-fashion-mnist): {error}")
    folder = tmp_path_factory.mktemp("fashion")
    for label in range(10):
        (folder / f"class_{label}").mkdir()
        for k, i in enumerate(np.flatnonzero(labels == label)[:10]):
            Image.fromarray(images[i], "L").save(
                folder / f"class_{label}" / f"{k}.png")
    return folder


@pytest.fixture(scope="module")
def colour_folder(tmp_path_factory):
    """48 colour images of assorted sizes (PNG and JPEG), in 3 subfolders."""
    folder = tmp_path_factory.mktemp("colour")
    rng = np.random.default_rng(0)
    sizes = [(20, 20), (40, 24), (24, 40), (33, 17), (64, 48), (17, 30)]
    for i in range(48):
        sub = folder / ("cats", "dogs", "birds")[i % 3]
        sub.mkdir(exist_ok=True)
        w, h = sizes[i % len(sizes)]
        pixels = np.zeros((h, w, 3), np.uint8)
        pixels[:] = rng.integers(0, 256, 3)
        x0, y0 = rng.integers(0, w // 2), rng.integers(0, h // 2)
        pixels[y0:y0 + h // 2, x0:x0 + w // 2] = rng.integers(0, 256, 3)
        suffix = ".jpg" if i % 4 == 0 else ".png"
        Image.fromarray(pixels, "RGB").save(sub / f"{i:02d}{suffix}")
    return folder


def test_fashion_mnist_pngs(fashion_folder, tmp_path):
    out = tmp_path / "run"
    result = cli("--data", fashion_folder, "--out", out, "--size", 28,
                 "--steps", 30, "--sample-every", 10, *SMALL)
    assert result.returncode == 0, result.stderr
    # The progress bar shows D(x) and D(G(z)).
    assert "D(x)=" in result.stderr and "D(G(z))=" in result.stderr
    for step in (10, 20, 30):
        with Image.open(out / f"samples_{step:06d}.png") as grid:
            # 64 grey samples, 8 a row, 2-pixel lines between: 8 * 30 + 2.
            assert grid.mode == "L" and grid.size == (242, 242)
    state = load(out / "checkpoint.pt")
    assert state["step"] == 30 and state["config"]["channels"] == 1
    # The averaged generator alone: a state_dict for Generator.
    G = tdc.Generator(z_dim=16, width=8, channels=1, size=28).eval()
    G.load_state_dict(load(out / "generator_ema.pt"))
    assert torch.equal(G.state_dict()["net.0.weight"],
                       state["generator_ema"]["net.0.weight"])
    with torch.no_grad():
        x = G(torch.randn(5, 16))
    assert x.shape == (5, 1, 28, 28) and x.abs().max() <= 1


def test_colour_folder(colour_folder, tmp_path):
    out = tmp_path / "run"
    # Default --workers (2 processes decode the images).
    assert train("--data", colour_folder, "--out", out, "--size", 16,
                 "--steps", 20, "--sample-every", 10, *SMALL) == 0
    state = load(out / "checkpoint.pt")
    assert state["config"]["channels"] == 3  # colour images: RGB
    with Image.open(out / "samples_000020.png") as grid:
        assert grid.mode == "RGB" and grid.size == (146, 146)  # 8 * 18 + 2


def test_images_resized_and_centre_cropped(tmp_path):
    # 60x20: red, green, blue thirds; the centre crop keeps the green one.
    pixels = np.zeros((20, 60, 3), np.uint8)
    for k in range(3):
        pixels[:, 20 * k:20 * (k + 1), k] = 255
    Image.fromarray(pixels).save(tmp_path / "wide.png")
    Image.fromarray(pixels[:, :, 1]).save(tmp_path / "grey.png")
    files = tdc.find_images(tmp_path)
    assert [f.name for f in files] == ["grey.png", "wide.png"]
    assert not tdc.scan_images(files)  # one colour image: not all grey
    x = tdc.ImageFiles(files, size=16, channels=3)[1]
    assert x.shape == (3, 16, 16) and x.min() >= -1 and x.max() <= 1
    assert torch.allclose(x.mean((1, 2)), torch.tensor([-1.0, 1.0, -1.0]),
                          atol=0.05)
    assert tdc.ImageFiles(files, size=32, channels=1)[0].shape == (1, 32, 32)


def test_resume_equals_uninterrupted_run(colour_folder, tmp_path):
    # 48 images, batch 16: 3 batches an epoch, so 20 steps cross 6 epochs
    # and step 10 stops in the middle of one.
    common = ["--data", colour_folder, "--size", 16, "--workers", 0,
              "--sample-every", 5, "--checkpoint-every", 4, *SMALL]
    whole, halves = tmp_path / "whole", tmp_path / "halves"
    assert train(*common, "--out", whole, "--steps", 20) == 0
    assert train(*common, "--out", halves, "--steps", 10) == 0
    assert load(halves / "checkpoint.pt")["batch_in_epoch"] == 1
    assert train("--resume", halves / "checkpoint.pt", "--steps", 20,
                 "--workers", 0, "--sample-every", 5,
                 "--checkpoint-every", 4) == 0
    a, b = load(whole / "checkpoint.pt"), load(halves / "checkpoint.pt")
    assert a["step"] == b["step"] == 20
    assert (a["epoch"], a["batch_in_epoch"]) == (b["epoch"],
                                                 b["batch_in_epoch"])
    for net in ("generator", "discriminator", "generator_ema"):
        for name, value in a[net].items():
            assert torch.equal(value, b[net][name]), (net, name)
    for opt in ("opt_d", "opt_g"):
        for key, state in a[opt]["state"].items():
            for name, value in state.items():
                assert torch.equal(value, b[opt]["state"][key][name])
    assert torch.equal(a["rng"]["noise"], b["rng"]["noise"])
    for name in ("generator_ema.pt", "samples_000015.png",
                 "samples_000020.png"):
        assert (whole / name).read_bytes() == (halves / name).read_bytes()


def flat(state):
    return torch.cat([v.flatten() for k, v in state.items()
                      if v.is_floating_point()
                      and not k.endswith(("running_mean", "running_var"))])


def test_ddp_gloo_two_processes_equal_one_process(colour_folder, tmp_path):
    """torchrun, 2 CPU processes (gloo), batch 16 = 2 x 8, vs 1 process.

    The two runs add the same numbers in another order (each process sums
    its half of the batch, then the halves are added), so float32 rounding
    differs at about 1e-7 of each value, and every step of the game carries
    that on. Measured on this test's data on a 2-core x86 machine, after 20
    steps: the weights of the two runs differ by 2e-6 (G) and 5e-7 (D) of
    the distance training moved them (norms of the differences; at most
    3e-7 for any weight). The test allows 1e-4 of that distance. With
    --no-sync-bn (batch norm over each process's 8 images alone, as plain
    DDP does) the same 20 steps left 0.22 (G) and 0.11 (D): a different
    training run, which the test checks is outside the tolerance (so the
    tolerance can fail). Over hundreds of steps even the synced runs drift
    apart (4e-2 for G at step 100 on Fashion-MNIST in that measurement), as
    any two GAN runs whose rounding differs do: hence 20 steps.
    """
    common = ["--data", colour_folder, "--size", 16, "--steps", 20,
              "--workers", 0, "--sample-every", 20, *SMALL]
    runs = {}
    for flag in ("--sync-bn", "--no-sync-bn"):  # both at once: less waiting
        out = tmp_path / flag.strip("-")
        runs[flag] = out, subprocess.Popen(
            [sys.executable, "-m", "torch.distributed.run", "--standalone",
             "--nproc_per_node=2", str(SCRIPT), *map(str, common),
             "--out", out, flag],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env=ENV, cwd=ROOT)
    one = tmp_path / "one"
    assert train(*common, "--out", one) == 0
    a = load(one / "checkpoint.pt")
    torch.manual_seed(0)  # the seed all runs started from
    start = {"generator": tdc.Generator(16, 8, 3, 16),
             "discriminator": tdc.Discriminator(8, 3, 16)}
    for model in start.values():
        model.apply(tdc.init_weights)
    for flag, (out, process) in runs.items():
        log = process.communicate(timeout=300)[0]
        assert process.returncode == 0, log[-3000:]
        # Only the first process writes: one grid, one checkpoint.
        assert sorted(p.name for p in out.iterdir()) == [
            "checkpoint.pt", "generator_ema.pt", "samples_000020.png"]
        b = load(out / "checkpoint.pt")
        for net, model in start.items():
            moved = (flat(a[net]) - flat(model.state_dict())).norm()
            difference = (flat(a[net]) - flat(b[net])).norm() / moved
            if flag == "--sync-bn":
                assert difference < 1e-4, (net, difference)
            else:
                assert difference > 1e-4, (net, difference)


def refused(capsys, *args):
    """main()'s exit status and the error it printed."""
    status = train(*args)
    return status, capsys.readouterr().err


def test_refuses_an_empty_folder(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("no images here")
    out = tmp_path / "out"
    status, err = refused(capsys, "--data", tmp_path / "empty", "--out", out)
    assert status == 2 and "no images" in err and "empty" in err
    assert not out.exists()


@pytest.mark.parametrize("how", ["garbage", "truncated png",
                                 "truncated jpeg"])
def test_refuses_an_unreadable_image(colour_folder, tmp_path, capsys, how):
    data = tmp_path / "data"
    data.mkdir()
    for path in list(colour_folder.rglob("*.png"))[:20]:
        (data / path.name).write_bytes(path.read_bytes())
    # Garbage and a truncated PNG are caught by the scan before training; a
    # truncated JPEG only when decoded, by a DataLoader worker (the default
    # 2 workers here), in the first batches.
    kind = "JPEG" if how.endswith("jpeg") else "PNG"
    name = "broken." + kind.lower().replace("jpeg", "jpg")
    if how == "garbage":
        payload = b"this is not a picture"
    else:
        encoded = io.BytesIO()
        pixels = np.full((30, 30, 3), 99, np.uint8)
        Image.fromarray(pixels).save(encoded, kind)
        payload = encoded.getvalue()[:-100]
    (data / name).write_bytes(payload)
    out = tmp_path / "out"
    status, err = refused(capsys, "--data", data, "--out", out, "--size",
                          16, "--steps", 10, *SMALL)
    assert status == 2 and "cannot read image" in err and name in err
    assert not out.exists()


def test_refuses_a_size_the_networks_cannot_make(colour_folder, tmp_path):
    out = tmp_path / "out"
    result = cli("--data", colour_folder, "--out", out, "--size", 30)
    assert result.returncode == 2
    assert "--size 30" in result.stderr and "16, 28, 32" in result.stderr
    assert not out.exists()


def test_refuses_a_checkpoint_of_another_configuration(colour_folder,
                                                       tmp_path, capsys):
    out = tmp_path / "run"
    assert train("--data", colour_folder, "--out", out, "--size", 16,
                 "--steps", 4, "--workers", 0, *SMALL) == 0
    before = snapshot(out)
    capsys.readouterr()
    status, err = refused(capsys, "--resume", out / "checkpoint.pt",
                          "--steps", 8, "--width", 16)
    assert status == 2 and "another configuration" in err
    assert "--width 16" in err and "--width 8" in err
    status, err = refused(capsys, "--resume", out / "checkpoint.pt",
                          "--steps", 8, "--size", 32)
    assert status == 2 and "--size 32" in err
    # Not a checkpoint: the averaged generator alone.
    status, err = refused(capsys, "--resume", out / "generator_ema.pt",
                          "--out", tmp_path / "other")
    assert status == 2 and "not a checkpoint" in err
    assert snapshot(out) == before
    assert not (tmp_path / "other").exists()


def test_refuses_to_overwrite_a_run(colour_folder, tmp_path, capsys):
    out = tmp_path / "run"
    assert train("--data", colour_folder, "--out", out, "--size", 16,
                 "--steps", 4, "--workers", 0, *SMALL) == 0
    before = snapshot(out)
    capsys.readouterr()
    status, err = refused(capsys, "--data", colour_folder, "--out", out,
                          "--size", 16, "--steps", 4, *SMALL)
    assert status == 2 and "already holds a run" in err and "--resume" in err
    assert snapshot(out) == before


def test_refuses_a_batch_the_processes_cannot_share(colour_folder, tmp_path,
                                                    capsys, monkeypatch):
    monkeypatch.setenv("WORLD_SIZE", "2")  # as torchrun would set it
    out = tmp_path / "out"
    status, err = refused(capsys, "--data", colour_folder, "--out", out,
                          "--batch", 15)
    assert status == 2 and "--batch 15" in err and "2 processes" in err
    assert not out.exists()


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_refuses_cuda_without_a_gpu(colour_folder, tmp_path, capsys):
    out = tmp_path / "out"
    status, err = refused(capsys, "--data", colour_folder, "--out", out,
                          "--device", "cuda", *SMALL)
    assert status == 2 and "--device cuda" in err and "no CUDA GPU" in err
    assert not out.exists()


def test_missing_fashion_mnist_says_how_to_get_it(tmp_path, capsys,
                                                  monkeypatch):
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tmp_path))
    status, err = refused(capsys, "--data", "fashion-mnist", "--out",
                          tmp_path / "out")
    assert status == 2 and "apt-get install dataset-fashion-mnist" in err
    assert "FASHION_MNIST_DIR" in err and "train-images-idx3-ubyte.gz" in err


def test_minutes_stops_the_run(colour_folder, tmp_path):
    out = tmp_path / "run"
    start = time.monotonic()
    assert train("--data", colour_folder, "--out", out, "--size", 16,
                 "--minutes", 0.05, "--workers", 0, *SMALL) == 0
    elapsed = time.monotonic() - start
    state = load(out / "checkpoint.pt")
    assert 0 < state["step"] < 10000  # --minutes alone: no step limit
    assert 3 <= elapsed < 3 + 10
    assert (out / f"samples_{state['step']:06d}.png").exists()
