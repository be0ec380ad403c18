"""The training loop gives the same numbers when it is run again in a fresh Python process.

This is what every chapter relies on when it fixes its seed: executing a chapter twice in
fresh kernels must print, and assert, the same numbers. Each run here is a new interpreter,
as a new kernel is.
"""

import json
import subprocess
import sys

import pytest

RUN = """
import hashlib, json, torch
import ganbook as gb
torch.set_num_threads(1)
gb.seed_everything({seed})
G = gb.MLPGenerator(z_dim=4, hidden=16, data_dim=2)
D = gb.PackedDiscriminator(data_dim=2, pack=2, hidden=16)
trainer = gb.GANTrainer(G, D, gb.GaussianRing2D(), z_dim=4, batch_size=64, lr_d=1e-3, lr_g=1e-3,
                        r1=1.0, device="cpu")
history = trainer.train(60, log_every=3)
weights = b"".join(p.detach().numpy().tobytes() for p in trainer.generator.parameters())
print(json.dumps({{"history": history.as_dict(), "weights": hashlib.sha256(weights).hexdigest(),
                  "evaluate": {{k: float(v) for k, v in trainer.evaluate(2000).items() if k.startswith("d_")}}}}))
"""


def run_in_fresh_process(seed: int) -> dict:
    done = subprocess.run([sys.executable, "-c", RUN.format(seed=seed)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def runs():
    return run_in_fresh_process(5), run_in_fresh_process(5), run_in_fresh_process(6)


def test_same_seed_in_two_fresh_processes_gives_the_same_history_and_weights(runs):
    first, second, _ = runs
    assert first["history"] == second["history"]  # every recorded number, bit for bit
    assert first["weights"] == second["weights"]
    assert first["evaluate"] == second["evaluate"]
    assert len(first["history"]["step"]) == 20


def test_another_seed_gives_another_run(runs):
    first, _, other = runs
    assert first["history"]["loss_d"] != other["history"]["loss_d"]
    assert first["weights"] != other["weights"]
