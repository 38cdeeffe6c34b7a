"""Today's lines kept beside the database, so the next start can draw them at once.

Saying what today asks for reads every record and runs the planning core: on
years of records that is most of a start-up. The lines are saved by date with
everything else they depend on -- the database file's signature (mtime, ctime,
size, inode) and the stamp (size, mtime) of every file of imgtui's code and
rules -- and are shown only when all of it is unchanged. The app then opens the
database right after the first frame and computes the lines again anyway. It
also saves the lines of the coming week once idle, so the first start of a day,
or of a day up to a week later, is quick too.

When the lines are not there (the first start after more than a week away, after an
upgrade, or after another program wrote the file), a child process forked before
the UI is imported computes them, on another CPU, while this one imports
Textual; the first frame then draws them as if they had been cached.

The cache is a hidden file beside the database (``.imgtui.json.today``, private
like it). It holds nothing that is not in the database; deleting it only makes
the next start slower.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import zlib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .core.today_item import TodayItem
from .paths import Signature, file_signature

if TYPE_CHECKING:
    from .core.overview import Overview
    from .core.rules import Rules
    from .store import Store

CACHE_FORMAT = 1
PACKAGE = Path(__file__).resolve().parent


def cache_path(db: Path) -> Path:
    return db.with_name(f".{db.name}.today")


@functools.cache  # the code does not change under a running app
def code_stamp() -> int:
    """A checksum of the size and mtime of imgtui's code and rules: an upgrade or an edit changes it."""
    from .core.rules import data_dir

    stamps = []
    folders = [str(PACKAGE)]
    while folders:  # os.scandir: the stat comes with the listing, cheaper than Path.rglob
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir() and entry.name != "__pycache__":
                    folders.append(entry.path)
                elif entry.name.endswith(".py"):
                    st = entry.stat()
                    stamps.append(f"{entry.path}:{st.st_size}:{st.st_mtime_ns}")
    rules = data_dir() / "rules.json"
    st = rules.stat()
    stamps.append(f"{rules}:{st.st_size}:{st.st_mtime_ns}")
    return zlib.crc32("\n".join(sorted(stamps)).encode())


def _key(db: Path, signature: Signature) -> dict[str, Any]:
    return {
        "format": CACHE_FORMAT,
        "imgtui": __version__,
        "database": str(db.resolve()),
        "signature": list(signature),  # as JSON reads it back
        "code": code_stamp(),
    }


def _kept_days(db: Path, key: dict[str, Any]) -> dict[str, Any]:
    """The days kept in the cache when it was made under ``key``; none when it is
    missing, stale or damaged."""
    try:
        saved = json.loads(cache_path(db).read_bytes())
        days = saved["days"] if saved["key"] == key else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return days if isinstance(days, dict) else {}


def read(db: Path, today: date) -> list[TodayItem] | None:
    """The cached lines for ``today`` when they were made from this very file, code and rules."""
    signature = file_signature(db)
    if signature is None:
        return None
    lines = _kept_days(db, _key(db, signature)).get(today.isoformat())
    try:
        return None if lines is None else [TodayItem(**item) for item in lines]
    except TypeError:
        return None  # damaged: the start computes the lines


def write(db: Path, signature: Signature | None, days: dict[date, tuple[TodayItem, ...]]) -> None:
    """Save the lines of each day, computed from the file with ``signature`` (taken before reading it).

    Days already kept for the same file, code and rules stay (``imgtui today`` in a
    shell keeps the week the app saved), unless they come before these; anything
    kept for another version of the file goes.
    """
    if signature is None or file_signature(db) != signature:
        return  # the file changed while the lines were computed: they may describe neither
    key = _key(db, signature)
    fresh = {day.isoformat(): [item.to_json() for item in items] for day, items in days.items()}
    first = min(fresh, default="")
    kept = {day: lines for day, lines in _kept_days(db, key).items() if day >= first}  # not days gone by
    kept.update(fresh)
    payload = json.dumps({"key": key, "days": kept})
    # A name the store sweeps if we die mid-write (``.<name>.tmp-*``).
    tmp = db.with_name(f".{db.name}.tmp-today-{os.getpid()}")
    try:
        # Private like the database (0600): the lines name sites and contacts.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        os.replace(tmp, cache_path(db))
    except OSError:  # a read-only folder: the cache is only a speed-up
        tmp.unlink(missing_ok=True)


def compute_and_keep(store: Store, today: date, rules: Rules) -> tuple[Overview, Signature | None]:
    """Today's overview from the store, its lines kept for the next start; with the
    signature of the file it was read from (taken before reading it)."""
    from .core.overview import build_overview, snapshot_from_store

    seen = store.disk_signature()  # before reading: lines from a file that changed meanwhile are not kept
    overview = build_overview(snapshot_from_store(store), today, rules)
    write(store.path, seen, {overview.today: overview.items})
    return overview, seen


PREPARE_TIMEOUT_S = 5.0  # a child still busy after this is stopped; the start computes the lines itself


class Preparing:
    """Today's lines being computed by a child process (see ``prepare_elsewhere``)."""

    def __init__(self, pid: int, done_fd: int) -> None:
        self.pid, self.done_fd = pid, done_fd

    def wait(self, timeout: float = PREPARE_TIMEOUT_S) -> bool:
        """Wait for the child (stopping it after ``timeout``); True when it kept the lines."""
        import select
        import signal

        if self.pid == 0:
            return False
        try:
            finished, _, _ = select.select([self.done_fd], [], [], timeout)
            if not finished:
                os.kill(self.pid, signal.SIGKILL)
            _, status = os.waitpid(self.pid, 0)
        finally:
            os.close(self.done_fd)
            self.pid = 0
        return bool(finished) and os.waitstatus_to_exitcode(status) == 0


def _spare_cpu() -> bool:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) > 1
    return (os.cpu_count() or 1) > 1


def prepare_elsewhere(db: Path, today: date) -> Preparing | None:
    """Start computing today's lines in a child process when they are not cached.

    Call it before importing the UI: the ~200 ms this process spends importing
    Textual are then spent in parallel on reading the records and planning. With
    one CPU, or where fork is missing, nothing is started (it would only compete).
    The child opens the file read-only: a file that needs repair or an upgrade is
    left to the normal open, which tells the user.
    """
    if not hasattr(os, "fork") or not _spare_cpu() or not db.is_file() or read(db, today) is not None:
        return None  # no fork, one CPU, no file to read (a first start, a folder), or the lines are there
    done_read, done_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, keep, and leave without running the parent's exit handlers
        os.close(done_read)
        # A short life that ends in os._exit: no cyclic garbage worth collecting, and a
        # collection would write to every object shared with the parent (copy-on-write)
        # and take CPU from it. About 15 ms less.
        gc.disable()
        code = 1
        try:
            from .core.rules import default_rules
            from .store import Store

            compute_and_keep(Store(db, read_only=True), today, default_rules())
            code = 0
        except BaseException:
            pass
        finally:
            os._exit(code)
    os.close(done_write)  # the child's end closes when it exits: select() then wakes
    return Preparing(pid, done_read)
