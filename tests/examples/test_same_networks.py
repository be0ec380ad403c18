"""The capstone chapter and the one-file trainer define the same networks (one source, two copies).

The chapter's cell tagged ``dcgan-networks`` teaches ``start_size``, ``Generator``,
``Discriminator`` and ``init_weights``; ``examples/train_dcgan.py`` must hold the same four
definitions, so that a reader who moves from the chapter to the script trains the same GAN.
Compared as syntax trees: the same code, whatever the comments.
"""

import ast
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "train_dcgan.py"
CHAPTER = ROOT / "book" / "11_dcgan.ipynb"
NAMES = ("start_size", "Generator", "Discriminator", "init_weights")


def definitions(source: str) -> dict:
    tree = ast.parse(source)
    return {node.name: ast.dump(node) for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in NAMES}


def networks_cell() -> str:
    nb = nbformat.read(CHAPTER, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code" and "dcgan-networks" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "the chapter must have one cell tagged dcgan-networks"
    return cells[0]


def test_the_chapter_and_the_script_define_the_same_networks():
    in_chapter, in_script = definitions(networks_cell()), definitions(SCRIPT.read_text())
    assert set(in_chapter) == set(NAMES), f"the chapter's networks cell defines {sorted(in_chapter)}"
    assert set(in_script) == set(NAMES), f"the script defines {sorted(in_script)}"
    for name in NAMES:
        assert in_chapter[name] == in_script[name], f"{name} differs between the chapter and {SCRIPT.name}"


def test_a_changed_network_would_be_noticed():
    changed = networks_cell().replace("nn.LeakyReLU(0.2, True)", "nn.LeakyReLU(0.1, True)")
    assert definitions(changed)["Discriminator"] != definitions(SCRIPT.read_text())["Discriminator"]
