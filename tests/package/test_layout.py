"""The shape of the package itself: a module per concern, each public name pointing at the chapter
that teaches it, and no module reaching into another object's private state."""

import ast
import inspect
import re
from pathlib import Path

import pytest

import ganbook as gb

PACKAGE = Path(gb.__file__).parent
MODULES = sorted(p for p in PACKAGE.glob("*.py") if p.name != "__init__.py")


@pytest.mark.parametrize("name", [n for n in gb.__all__ if callable(getattr(gb, n))])
def test_every_public_name_says_which_chapter_teaches_it(name):
    doc = inspect.getdoc(getattr(gb, name)) or ""
    assert re.search(r"[Cc]hapters? \d", doc), f"gb.{name}'s docstring names no chapter"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_every_module_says_what_it_is_for(path):
    doc = ast.get_docstring(ast.parse(path.read_text()))
    assert doc and len(doc.split()) >= 8, f"{path.name} has no docstring that says what it is for"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_module_touches_another_objects_private_attributes(path):
    # self._x and cls._x are an object's own; anything else._x reaches into someone else's state
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            owner = node.value
            assert isinstance(owner, ast.Name) and owner.id in ("self", "cls", "_checks"), (
                f"{path.name}:{node.lineno} reads {ast.unparse(node)}")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_module_imports_another_modules_private_names(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            private = [a.name for a in node.names if a.name.startswith("_") and a.name != "_checks"]
            assert not private, f"{path.name}:{node.lineno} imports {private} from .{node.module}"


def test_no_module_is_too_big_to_read_at_once():
    sizes = {p.name: len(p.read_text().splitlines()) for p in MODULES}
    assert max(sizes.values()) <= 520, sizes


def test_every_module_has_a_test_file():
    tests = {p.name for p in Path(__file__).parent.glob("test_*.py")}
    missing = [p.name for p in MODULES if not p.name.startswith("_") and f"test_{p.name}" not in tests]
    assert not missing, f"modules without a test file of their own: {missing}"
