"""Where the database lives, and how to tell that it changed (kept light: the app's
first frame needs both before the store is imported)."""

from __future__ import annotations

import os
from pathlib import Path


def default_db_path() -> Path:
    """``IMGTUI_DB`` if set, else the per-user data directory."""
    env = os.environ.get("IMGTUI_DB", "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path("imgtui") / "imgtui.json"


# A file's identity and last change: every imgtui write replaces the file (a new
# inode); the times also catch programs that write in place.
Signature = tuple[int, int, int, int]


def stat_signature(st: os.stat_result) -> Signature:
    """(mtime, ctime, size, inode) in nanoseconds and bytes, of a stat (or an open file's fstat)."""
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def file_signature(path: Path) -> Signature | None:
    """The signature of the file at ``path``; None when there is no file."""
    try:
        return stat_signature(path.stat())
    except FileNotFoundError:
        return None
