"""Files created once and then only read: the demo's secret and encryption key.

Several gunicorn workers start at the same moment; each must end up with the
same value. The content is written to a private temporary file first and then
hard-linked into place, which either succeeds whole or fails because another
process won, in which case its value is read. A reader never sees a half-written file.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> create_once(folder / "secret", lambda: "first") == create_once(folder / "secret", lambda: "second") == "first"
True
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def create_once(path: Path, make_content: Callable[[], str]) -> str:
    """The file's content, creating it (mode 0600) with ``make_content()`` if it does not exist yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(make_content())
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process created it first; use theirs
        finally:
            os.unlink(temporary)
    return path.read_text().strip()
