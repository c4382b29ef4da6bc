"""Dependencies point one way: web -> runtime -> onboarding -> accessibility -> (vision, voice).

``runtime`` is the composition root: it builds every engine below it from the settings
and the web layer receives them from it.

Shared foundations (settings, errors, log) may be imported by anyone; ``cli`` sits
outside the chain and may import any area, but no area imports it. The test-data
generators (``testkit``, beside ``tests/``) are not in the package at all, and
nothing in the package imports them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "barrierfree"
TESTKIT = ROOT / "testkit"
SHARED = {"settings", "errors", "log", "once", "__init__"}
#: What each area may import besides itself and the shared modules.
ALLOWED = {
    "vision": set(),
    "voice": set(),
    "accessibility": {"vision", "voice"},
    "onboarding": {"accessibility", "vision", "voice"},
    "runtime": {"onboarding", "accessibility", "vision", "voice"},
    "web": {"runtime", "onboarding", "accessibility", "vision", "voice"},
}


def _imported_areas(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    areas = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "barrierfree" and len(parts) > 1:
                areas.add(parts[1])
    return areas


@pytest.mark.parametrize("area", sorted(ALLOWED))
def test_area_imports_only_what_lies_below_it(area):
    wrong = {}
    for path in sorted((PACKAGE / area).rglob("*.py")):
        bad = _imported_areas(path) - ALLOWED[area] - SHARED - {area}
        if bad:
            wrong[str(path.relative_to(PACKAGE))] = sorted(bad)
    assert wrong == {}, f"{area} must not import these areas: {wrong}"


def test_shared_modules_import_no_area():
    for path in [PACKAGE / "errors.py", PACKAGE / "log.py", PACKAGE / "once.py", *sorted((PACKAGE / "settings").rglob("*.py"))]:
        assert _imported_areas(path) <= SHARED, path


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_the_independent_light_model_imports_nothing_it_evaluates():
    """Evaluation models do not import the code they evaluate (DESIGN.md, trust rules).

    The light model judges the liveness verifier, so it imports nothing from
    ``barrierfree.vision`` (the verifier, its face geometry, its constants) nor
    the older face synthesizer, which shades with the verifier's geometry.
    """
    folder = TESTKIT / "light"
    files = sorted(folder.rglob("*.py"))
    assert files, folder
    wrong = {}
    for path in files:
        bad = sorted(m for m in _imported_modules(path) if m.startswith(("barrierfree.vision", "testkit.faces")))
        if bad:
            wrong[path.name] = bad
    assert wrong == {}, f"the light model must not import the code it evaluates: {wrong}"


def test_the_package_never_imports_the_test_kit():
    """Only the product is in the wheel: ``testkit`` (and scipy, scikit-image) stay out of it."""
    wrong = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        bad = sorted(m for m in _imported_modules(path) if m.split(".")[0] in {"testkit", "tests", "scipy", "skimage"})
        if bad:
            wrong[str(path.relative_to(PACKAGE))] = bad
    assert wrong == {}, f"the installed package must not import the test kit or its libraries: {wrong}"


#: The entry points: the only modules that read the process's settings (``get_settings``).
ENTRY_POINTS = {"web/app.py", "cli"}


def test_only_the_entry_points_read_the_process_settings():
    """Below ``create_app`` and the CLI everything receives its settings (or engines) from the runtime."""
    readers = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where.startswith("settings/") or where in ENTRY_POINTS or where.split("/")[0] in ENTRY_POINTS:
            continue
        if "get_settings" in path.read_text(encoding="utf-8"):
            readers.add(where)
    assert readers == set(), f"these modules read the process settings instead of receiving them: {sorted(readers)}"
