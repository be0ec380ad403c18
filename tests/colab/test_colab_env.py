"""Run by `make colab` inside .venv-colab: the environment is Colab's, and ganbook came in as
the chapters' Colab cell brings it (from the git repository, without dependencies)."""

import json
import sys
from importlib import metadata
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from constraints import FREEZE, constraints  # noqa: E402

COLAB = dict(line.split("==") for line in constraints(FREEZE.read_text()))


@pytest.mark.parametrize("name", ["ipywidgets", "ipython", "ipykernel", "matplotlib", "numpy", "scikit-learn",
                                  "jupyter_client", "traitlets", "tqdm", "scipy"])
def test_the_chapters_run_on_colabs_versions(name):
    assert metadata.version(name) == COLAB[name], f"{name} {metadata.version(name)} is not Colab's {COLAB[name]}"


def test_colab_has_ipywidgets_7_and_the_book_8():
    assert metadata.version("ipywidgets").startswith("7.")


def test_ganbook_is_installed_from_git_without_its_dependencies():
    dist = metadata.distribution("ganbook")
    origin = json.loads(dist.read_text("direct_url.json"))
    assert origin["vcs_info"]["vcs"] == "git", origin
    assert "editable" not in origin.get("dir_info", {}), origin
    assert Path(dist.locate_file("ganbook")).parent.name == "site-packages"  # not this checkout's src/
