"""Where the database lives, how to tell that it changed, and how a file is written safely."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def find_data_dir() -> Path | None:
    """``data/`` beside the package in a checkout, ``imgtui/_data`` in a wheel (None: missing)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "data", here / "_data"):
        if (candidate / "rules.json").exists():
            return candidate
    return None


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


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically through a private (0600) temp file in the same
    folder; the temp file is removed when anything fails. Exports use it too."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)
