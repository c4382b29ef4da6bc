"""What ``pip install barrierfree`` puts on disk, before and after the test kit left the wheel.

Run: ``.venv/bin/python benchmarks/install_size.py [--before REF] [--after REF] [--own-only]``

For each git revision it exports the tree (``git archive``), builds the wheel
(``pip wheel --no-deps``) and installs it twice into a temporary folder with
``pip install --target``: once with ``--no-deps`` (the package's own files) and
once with its dependencies (the total a bank's server gets). Only PyPI is
reachable; pip takes what it already has from its cache.

``--before`` defaults to the last revision that still shipped ``barrierfree/synth``
(the parent of the commit that moved it to ``testkit/``); ``--after`` to ``HEAD``.

Prints, per revision: the wheel's size and file count, the installed size of the
package alone, the installed size with every dependency and how many
distributions that is; then the distributions the "before" pulled in and the
"after" no longer does. Sizes are the sum of the files' sizes (MiB = 2^20 bytes).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024


@dataclass(frozen=True)
class Installed:
    """One revision's wheel and what installing it takes."""

    revision: str
    wheel_bytes: int
    wheel_files: int
    own_bytes: int
    total_bytes: int | None
    distributions: frozenset[str]


def _run(*command: str, cwd: Path | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    if done.returncode != 0:
        sys.exit(f"install_size: {' '.join(command[:4])} ... failed:\n{done.stderr[-2000:]}")
    return done.stdout


def _tree_bytes(folder: Path) -> int:
    return sum((Path(base) / name).lstat().st_size for base, _, names in os.walk(folder) for name in names)


def _distributions(folder: Path) -> frozenset[str]:
    return frozenset(path.name.split("-")[0].lower().replace("_", "-") for path in folder.glob("*.dist-info"))


def _before_revision() -> str:
    moved = _run("git", "rev-list", "-1", "HEAD", "--", "barrierfree/synth/__init__.py", cwd=ROOT).strip()
    if not moved:
        sys.exit("install_size: no commit touches barrierfree/synth; pass --before REF")
    return f"{moved}^"


def measure(revision: str, work: Path, with_deps: bool) -> Installed:
    """Build ``revision``'s wheel and install it into folders under ``work``."""
    source = work / "source"
    source.mkdir()
    archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    wheels = work / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(source))
    wheel = next(wheels.glob("barrierfree-*.whl"))
    with zipfile.ZipFile(wheel) as archive_file:
        wheel_files = len(archive_file.namelist())
    own = work / "own"
    _run(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile", "--target", str(own), str(wheel))
    total_bytes, distributions = None, frozenset[str]()
    if with_deps:
        full = work / "full"
        _run(sys.executable, "-m", "pip", "install", "--quiet", "--no-compile", "--target", str(full), str(wheel))
        total_bytes, distributions = _tree_bytes(full), _distributions(full)
    return Installed(revision, wheel.stat().st_size, wheel_files, _tree_bytes(own), total_bytes, distributions)


def _report(label: str, item: Installed) -> None:
    print(f"[{label}] {item.revision}")
    print(f"  wheel: {item.wheel_bytes / MIB:.2f} MiB, {item.wheel_files} files")
    print(f"  installed, package only (--no-deps): {item.own_bytes / MIB:.2f} MiB")
    if item.total_bytes is not None:
        print(f"  installed with dependencies: {item.total_bytes / MIB:.1f} MiB in {len(item.distributions)} distributions")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="git revision before the move (default: the parent of the commit that moved barrierfree/synth)")
    parser.add_argument("--after", default="HEAD", help="git revision after the move (default: HEAD)")
    parser.add_argument("--own-only", action="store_true", help="skip the installs with dependencies (minutes and ~1 GiB each)")
    args = parser.parse_args()
    before_ref = args.before or _before_revision()
    results = {}
    for label, revision in (("before", before_ref), ("after", args.after)):
        sha = _run("git", "rev-parse", "--short", revision, cwd=ROOT).strip()
        with tempfile.TemporaryDirectory(prefix="barrierfree-size-") as folder:
            results[label] = measure(sha, Path(folder), with_deps=not args.own_only)
        _report(label, results[label])
    before, after = results["before"], results["after"]
    print(f"package only: {before.own_bytes / MIB:.2f} -> {after.own_bytes / MIB:.2f} MiB "
          f"({(after.own_bytes - before.own_bytes) / MIB:+.2f} MiB)")
    if before.total_bytes is not None and after.total_bytes is not None:
        print(f"with dependencies: {before.total_bytes / MIB:.1f} -> {after.total_bytes / MIB:.1f} MiB "
              f"({(after.total_bytes - before.total_bytes) / MIB:+.1f} MiB)")
        gone, new = sorted(before.distributions - after.distributions), sorted(after.distributions - before.distributions)
        print(f"no longer installed ({len(gone)}): {', '.join(gone) or 'none'}")
        print(f"newly installed ({len(new)}): {', '.join(new) or 'none'}")


if __name__ == "__main__":
    main()
