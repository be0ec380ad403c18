"""Checkpoints of a training run: ``GANTrainer.save`` and ``GANTrainer.load`` (chapter 5).

A checkpoint holds the models, the optimisers, the history, the step and the random state, so
that a loaded run continues exactly as the saved one would have.
"""

from __future__ import annotations

import torch

from .history import History

CHECKPOINT_FORMAT = "ganbook-checkpoint-1"


def save_checkpoint(trainer, path) -> None:
    """Write ``trainer``'s state to ``path``."""
    state = {
        "format": CHECKPOINT_FORMAT,
        "step": trainer.step,
        "z_dim": trainer.z_dim,
        "classes": trainer.classes,
        "loss": repr(trainer.loss),
        "generator": trainer.generator.state_dict(),
        "discriminator": trainer.discriminator.state_dict(),
        "opt_g": trainer.opt_g.state_dict(),
        "opt_d": trainer.opt_d.state_dict(),
        "history": trainer.history.as_dict(),
        "rng_cpu": torch.get_rng_state(),
    }
    if trainer.device.type == "cuda":
        state["rng_cuda"] = torch.cuda.get_rng_state(trainer.device)
    torch.save(state, path)


def load_checkpoint(trainer, path) -> None:
    """Restore into ``trainer`` a checkpoint written by ``save_checkpoint``; a ValueError says
    which part does not fit."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise ValueError(f"no checkpoint at {str(path)!r}") from None
    except Exception as err:  # not a torch file, or not loadable safely
        raise ValueError(f"{str(path)!r} is not a ganbook checkpoint: {err}") from err
    if not isinstance(state, dict) or state.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(f"{str(path)!r} is not a ganbook checkpoint (format {CHECKPOINT_FORMAT})")
    if state.get("loss") != repr(trainer.loss):
        raise ValueError(f"checkpoint {str(path)!r} was trained with the loss {state.get('loss')}, "
                         f"this trainer uses {trainer.loss!r}")
    if state.get("classes") != trainer.classes:
        raise ValueError(f"checkpoint {str(path)!r} has classes={state.get('classes')}, "
                         f"this trainer classes={trainer.classes}")
    if state["z_dim"] != trainer.z_dim:
        raise ValueError(f"checkpoint {str(path)!r} has z_dim={state['z_dim']}, this trainer z_dim={trainer.z_dim}")
    for name, module in (("generator", trainer.generator), ("discriminator", trainer.discriminator)):
        try:
            module.load_state_dict(state[name])
        except RuntimeError as err:
            raise ValueError(f"checkpoint {str(path)!r} does not fit this {name}: {err}") from err
    trainer.opt_g.load_state_dict(state["opt_g"])
    trainer.opt_d.load_state_dict(state["opt_d"])
    trainer.set_learning_rates(lr_d=trainer.opt_d.param_groups[0]["lr"], lr_g=trainer.opt_g.param_groups[0]["lr"])
    trainer.restore_progress(History.from_dict(state["history"]), int(state["step"]))
    torch.set_rng_state(state["rng_cpu"])
    if "rng_cuda" in state and trainer.device.type == "cuda":
        torch.cuda.set_rng_state(state["rng_cuda"], trainer.device)
