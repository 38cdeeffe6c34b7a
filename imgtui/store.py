"""The one module that owns the TinyDB file.

Guarantees, in order of importance:

* every change is written when it is made, atomically (temp file, fsync,
  ``os.replace``, fsync of the folder) with the previous good version kept as
  ``<name>.bak``;
* a damaged file is never overwritten: it is moved aside and the backup is
  restored when it is good;
* two processes (the app and a quick-log command) serialise their writes with
  a file lock and re-read the file before each change, so neither loses the
  other's work;
* the file stays plain TinyDB JSON that ``tinydb.TinyDB(path)`` reads.

In memory each document is kept as the bytes of its JSON (a third of the
memory of parsed dicts, and a save copies them instead of serialising every
record again). The file is written one document per line, so a read splits it
without parsing it whole; a file laid out otherwise (written by another
program) is parsed whole. Every document is checked to be a JSON object when
the file is read, so a damaged one is found at open, not later.

Callers get typed records from ``imgtui.records``; raw documents never leave
this module.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage

from .paths import Signature, default_db_path, file_signature
from .records import (
    Inquiry,
    Letter,
    PracticeExam,
    Profile,
    QbankDay,
    Record,
    UsceSite,
    ValidationError,
    ValidationErrors,
)
from .writer_lock import LockTimeout, WriterLock

SCHEMA_VERSION = 2
DATA_TABLES = ("profile", "practice_exams", "qbank_days", "usce_sites", "inquiries", "letters")
ALL_TABLES = (*DATA_TABLES, "meta")
UNDO_DEPTH = 50
LOCK_TIMEOUT_S = 15.0

R = TypeVar("R", bound=Record)
_UNREAD: Any = object()  # a document whose record is not built yet


class StoreError(Exception):
    """A problem with the database file, worded for the user."""


class SchemaTooNew(StoreError):
    pass


# ---------------------------------------------------------------- file helpers


def _fsync_dir(folder: Path) -> None:
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


def _token(size: int) -> str:
    """Random hex for file names and calendar ids (secrets.token_hex, without importing
    secrets and OpenSSL's hashes into the process that computes a first frame)."""
    return os.urandom(size).hex()


def _temp_prefix(path: Path) -> str:
    return f".{path.name}.tmp-"


# A document: its JSON as read from the file (bytes), or a dict written in the current change.
Doc = dict[str, Any] | bytes
Tables = dict[str, dict[str, Doc]]


def expand(doc: Doc) -> dict[str, Any]:
    """A document as a dict (bytes are checked JSON objects, see parse_database_bytes)."""
    if isinstance(doc, bytes):
        parsed: dict[str, Any] = orjson.loads(doc)
        return parsed
    return doc


def pack(data: Tables) -> bytes:
    """The file's bytes, one document per line; turns the dicts of ``data`` into bytes in place.

    {
    "meta":{
    "1":{"schema_version":2}
    },
    "practice_exams":{
    "1":{"form":"NBME 13",...},
    "2":{...}
    }
    }
    """
    parts = [b"{"]
    for t, (name, docs) in enumerate(data.items()):
        parts.append(b"\n" + orjson.dumps(name) + b":{" if t == 0 else b"\n},\n" + orjson.dumps(name) + b":{")
        separator = b'\n"'
        for key, doc in docs.items():
            if not isinstance(doc, bytes):
                doc = docs[key] = orjson.dumps(doc)
            # Keys are digit strings (checked when read, str(int) when made), so nothing to
            # escape; anything else is escaped all the same. Pieces are joined once: a third
            # of the time of building each line (9,400 lines: ~1.5 ms).
            text = str(key)
            key_bytes = text.encode() if text.isdigit() else orjson.dumps(text)[1:-1]
            parts += (separator, key_bytes, b'":', doc)
            separator = b',\n"'
    parts.append(b"\n}\n}" if data else b"}")
    return b"".join(parts)


# A document's line: "<id>":{...} with a comma unless it is the table's last.
_DOC_LINE = re.compile(rb'"(\d+)":(\{.*\})(,?)')


def _line_spans(raw: bytes) -> Iterator[tuple[int, int]]:
    start, size = 0, len(raw)
    while start <= size:
        end = raw.find(b"\n", start)
        if end < 0:
            end = size
        yield start, end
        start = end + 1


def _split_lines(raw: bytes, check_documents: bool = True) -> Tables | None:
    """The documents of a file laid out by ``pack``, each checked to be a JSON object
    (unless ``check_documents`` is False); None when the file is laid out otherwise
    or anything in it does not fit."""
    spans = _line_spans(raw)
    if raw[slice(*next(spans))] != b"{":
        return None
    tables: Tables = {}
    last_table = False
    for start, end in spans:
        if last_table:  # only the final "}" may follow the last table (an editor may add a newline)
            return tables if raw[start:].rstrip() == b"}" else None
        header = raw[start:end]
        if not header.endswith(b":{"):
            return None
        try:
            name = orjson.loads(header[:-2])
        except orjson.JSONDecodeError:
            return None
        if not isinstance(name, str):
            return None
        docs: dict[str, Doc] = {}
        tables[name] = docs
        comma: bool | None = None  # did the table's previous document line end with a comma?
        for start, end in spans:  # the same iterator: the table's lines, up to its closer
            line = _DOC_LINE.fullmatch(raw, start, end)
            if line is None:
                break
            if comma is False:
                return None
            body = line.group(2)
            if check_documents:
                try:
                    orjson.loads(body)  # a damaged document is found now, not when it is shown
                except orjson.JSONDecodeError:
                    return None
            docs[line.group(1).decode()] = body
            comma = line.group(3) == b","
        else:
            return None  # the file ends inside a table
        closer = raw[start:end]
        if comma or closer not in (b"}", b"},"):
            return None
        last_table = closer == b"}"
    return None


def _blank(raw: bytes) -> bool:
    """Empty or only whitespace (without copying a large file, as strip() would)."""
    return not raw or raw.isspace()


def parse_database_bytes(raw: bytes, check_documents: bool = True) -> Tables:
    """Read and shape-check a TinyDB file; raise ValueError saying what is wrong.

    ``check_documents=False`` leaves the documents of a file laid out by ``pack``
    unchecked: a damaged one then raises orjson.JSONDecodeError when it is read.
    Only for a reader that gives up on any error (the read-only open)."""
    if _blank(raw):
        raise ValueError("the file is empty")
    split = _split_lines(raw, check_documents)
    if split is not None:
        return split
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"the file is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError("the file is JSON but not a TinyDB database (top level is not an object)")
    for table, docs in data.items():
        if not isinstance(docs, dict):
            raise ValueError(f"table {table!r} is not an object of documents")
        for doc_id, doc in docs.items():
            if not str(doc_id).isdigit() or not isinstance(doc, dict):
                raise ValueError(f"table {table!r} has a malformed document {doc_id!r}")
            docs[doc_id] = orjson.dumps(doc)  # kept as bytes like the rest
    return data


def salvage_documents(raw: bytes) -> tuple[Tables, int]:
    """From a damaged file laid out by ``pack``: every document whose line still reads as a
    JSON object under its table's header, and the number of other lines that were lost."""
    tables: Tables = {}
    table: dict[str, Doc] | None = None
    lost = 0
    for start, end in _line_spans(raw):
        line = raw[start:end]
        if line in (b"{", b"}", b"},", b""):
            table = None  # after a table's closer, documents need a header again
            continue
        document = _DOC_LINE.fullmatch(raw, start, end)
        if document is not None and table is not None:
            try:
                if isinstance(orjson.loads(document.group(2)), dict):
                    table[document.group(1).decode()] = document.group(2)
                    continue
            except orjson.JSONDecodeError:
                pass
        elif line.endswith(b":{"):
            try:
                name = orjson.loads(line[:-2])
            except orjson.JSONDecodeError:
                name = None
            if isinstance(name, str) and not name.isdigit():  # '"12":{' is a document cut short
                table = tables.setdefault(name, {})
                continue
        lost += 1
    return tables, lost


def _read_file(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file.

    Inside ``batch()`` the reads and writes of several operations go to one
    in-memory copy, written once at the end: a change is all or nothing.

    The parsed file is kept and handed out again while the file's signature
    (mtime, ctime, size, inode) is unchanged, so reads after the first cost
    nothing. Readers must not edit it; a batch edits it in place and either
    writes it or, on failure, forgets it so the next read goes to disk.
    """

    def __init__(self, path: str | Path, **_: Any) -> None:
        self.path = Path(path)
        self.backup = self.path.with_name(self.path.name + ".bak")
        self._pending: Tables | None = None
        self._dirty = False
        self._batch_depth = 0
        self._cache_signature: Signature | None = None
        self._cache_data: Tables | None = None
        self.last_written_signature: Signature | None = None
        self.read_only = False

    # -- reading
    def signature(self) -> Signature | None:
        return file_signature(self.path)

    def prime(self, data: Tables, signature: Signature | None) -> None:
        """Adopt data already parsed (and shape-checked) from the file with this signature."""
        self._cache_signature, self._cache_data = signature, data

    def forget(self) -> None:
        self._cache_signature, self._cache_data = None, None

    def _read_disk(self) -> Tables | None:
        signature = self.signature()
        if signature is None:
            return None
        if signature == self._cache_signature and self._cache_data is not None:
            return self._cache_data
        raw = _read_file(self.path)
        if raw is None or _blank(raw):
            return None
        try:
            data = parse_database_bytes(raw)
        except ValueError as exc:
            raise StoreError(
                f"{self.path} was damaged by another program while imgtui was open ({exc}). "
                "Restart imgtui to recover it from the backup."
            ) from None
        self.prime(data, signature)
        return data

    def current(self) -> Tables | None:
        """The data as it is now (the batch's, else the file's): documents as bytes or dicts.
        Readers must not edit it."""
        if self._pending is not None:
            return self._pending
        return self._read_disk()

    def read(self) -> dict[str, Any] | None:
        """TinyDB's view: a parsed copy (imgtui itself reads ``current()``)."""
        data = self.current()
        if data is None:
            return None
        return {name: {key: expand(doc) for key, doc in docs.items()} for name, docs in data.items()}

    # -- writing
    def write(self, data: dict[str, Any]) -> None:
        if self._batch_depth:
            self._pending = data
            self._dirty = True
            return
        self.write_atomic(data)

    def pending_table(self, name: str) -> dict[str, Doc]:
        """A table of the batch's data, to edit in place (then call ``mark_dirty``).

        TinyDB's Table rebuilds the whole table on every insert or update; inside a
        batch the data is already in memory, so imports of thousands of rows stay linear.
        """
        assert self._pending is not None, "edits happen inside batch()"
        table: dict[str, Doc] = self._pending.setdefault(name, {})
        return table

    def mark_dirty(self) -> None:
        self._dirty = True

    def write_atomic(self, data: Tables) -> None:
        if self.read_only:
            raise StoreError(f"{self.path} was opened for reading only")
        payload = pack(data)
        folder = self.path.parent
        tmp = folder / f"{_temp_prefix(self.path)}{os.getpid()}-{_token(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            if self.path.exists():
                # Keep the previous good version: a hard link costs no copy and
                # the main file is never absent.
                bak_tmp = folder / f"{_temp_prefix(self.path)}bak-{_token(4)}"
                try:
                    os.link(self.path, bak_tmp)
                except OSError:
                    import shutil  # here: it imports the compression modules

                    shutil.copy2(self.path, bak_tmp)
                os.replace(bak_tmp, self.backup)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            self.forget()  # ``data`` may be an edited cache that never reached the disk
            raise
        _fsync_dir(folder)
        self.last_written_signature = self.signature()
        self.prime(data, self.last_written_signature)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group operations into one atomic write, starting from the file as it is now."""
        if self._batch_depth == 0:
            # The signature check re-reads the file when another process has written it.
            self._pending = self._read_disk() or {}
            self._dirty = False
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._pending = None
                self.forget()  # the cache may hold half of the failed change
            raise
        self._batch_depth -= 1
        if self._batch_depth == 0:
            data, self._pending = self._pending, None
            if data is not None and self._dirty:  # a change that changed nothing writes nothing
                self.write_atomic(data)

    def close(self) -> None:
        pass


# ---------------------------------------------------------------- migrations


def _migrate_1_to_2(data: dict[str, Any]) -> None:
    """v1 (pre-release) named the exam form ``name`` and dates ``date``; qbank days had no mode."""
    for doc in data.get("practice_exams", {}).values():
        if "name" in doc and "form" not in doc:
            doc["form"] = doc.pop("name")
        if "date" in doc and "taken" not in doc:
            doc["taken"] = doc.pop("date")
    for doc in data.get("qbank_days", {}).values():
        if "date" in doc and "day" not in doc:
            doc["day"] = doc.pop("date")
        doc.setdefault("mode", "timed_random")


MIGRATIONS: dict[int, Callable[[dict[str, Any]], None]] = {1: _migrate_1_to_2}


def schema_version_of(data: dict[str, Any]) -> int:
    meta = data.get("meta") or {}
    for doc in meta.values():
        version = expand(doc).get("schema_version")
        if isinstance(version, int):
            return version
    has_data = any(data.get(table) for table in DATA_TABLES)
    return 1 if has_data else SCHEMA_VERSION


# ---------------------------------------------------------------- undo


@dataclass
class _Op:
    """Inverse of one document change: restore ``before`` (None = remove)."""

    table: str
    doc_id: int
    before: Doc | None


@dataclass
class Change:
    label: str
    ops: list[_Op] = field(default_factory=list)


# ---------------------------------------------------------------- store


class Store:
    """Typed access to the imgtui database file."""

    def __init__(
        self, path: str | Path | None = None, *, lock_timeout: float = LOCK_TIMEOUT_S, read_only: bool = False
    ) -> None:
        """Open (and if need be create, repair or upgrade) the database.

        ``read_only`` opens it as it is, for reading: no lock, no sweep, no repair,
        no upgrade, no writes. A file that would need any of them raises StoreError
        (a damaged document, when its records are read); the normal open deals with
        it (and tells the user).
        """
        self.path = Path(path).expanduser() if path else default_db_path()
        self.read_only = read_only
        self.notices: list[str] = []
        self.problems: list[str] = []
        self._undo: list[Change] = []
        self._current: Change | None = None
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder; give a file name such as {self.path / 'imgtui.json'}")
        self._lock_timeout = lock_timeout
        self._lock: WriterLock | None = None
        # Parsed records by table and document id (None: invalid), with the data they
        # were read from; reused while that data is the one in memory, except for the
        # documents this store changed since (``_changed``). Data read from disk again
        # (another process wrote) is another object: every record is read again.
        self._typed: dict[str, tuple[Tables, dict[str, Record | None]]] = {}
        self._changed: dict[str, set[str]] = {}
        self._next_ids: dict[str, int] = {}
        # Each table's records as last listed, valid while the data object and the
        # table's edit count are the same (a save elsewhere leaves this table's list).
        self._edits: dict[str, int] = {}
        self._listed: dict[str, tuple[Tables, int, list[Any]]] = {}
        if read_only:
            self._open_read_only()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for {self.path}: {exc.strerror}") from None
        with self._locked():
            self._sweep_leftovers()
            good = self._recover_if_damaged()
            self.db = TinyDB(self.path, storage=AtomicJSONStorage)
            self.storage: AtomicJSONStorage = self.db.storage  # type: ignore[assignment]
            if good is not None:  # the lock is held: nobody wrote since it was read
                self.storage.prime(good, self.storage.signature())
            self._migrate()

    # -- lifecycle
    @property
    def lock(self) -> WriterLock:
        """The lock that serialises writers (a read-only open, which computes a first frame, never locks)."""
        if self._lock is None:
            self._lock = WriterLock(str(self.path) + ".lock", timeout=self._lock_timeout)
        return self._lock

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        lock = self.lock
        try:
            lock.acquire()
        except LockTimeout:
            raise StoreError(
                f"{self.path} is locked by another imgtui process for more than "
                f"{lock.timeout:g}s; close it or remove {lock.lock_file} if no imgtui runs."
            ) from None
        try:
            yield
        finally:
            lock.release()

    def _open_read_only(self) -> None:
        signature = file_signature(self.path)
        raw = _read_file(self.path)
        if raw is None:
            raise StoreError(f"{self.path} does not exist yet")
        try:
            # Documents are checked as they are read (records() says a damaged one):
            # the child computing a first frame gives up on any error anyway.
            data = parse_database_bytes(raw, check_documents=False)
            version = schema_version_of(data)
        except ValueError as exc:
            raise StoreError(f"{self.path} needs repair ({exc})") from None
        if version != SCHEMA_VERSION or not data.get("meta"):
            raise StoreError(f"{self.path} needs an upgrade or set-up (schema version {version})")
        self.db = TinyDB(self.path, storage=AtomicJSONStorage)
        self.storage = self.db.storage  # type: ignore[assignment]
        self.storage.read_only = True
        self.storage.prime(data, signature)

    def close(self) -> None:
        self.db.close()

    def _sweep_leftovers(self) -> None:
        prefix = _temp_prefix(self.path)
        for leftover in self.path.parent.glob(prefix + "*"):
            with contextlib.suppress(OSError):
                leftover.unlink()

    def _recover_if_damaged(self) -> Tables | None:
        """Check the file; returns its parsed data when it is good (so it is parsed once)."""
        raw = _read_file(self.path)
        backup = self.path.with_name(self.path.name + ".bak")
        if raw is None:
            return None
        if _blank(raw) and not backup.exists():
            return None  # a brand-new empty file: nothing to lose
        try:
            return parse_database_bytes(raw)
        except ValueError as exc:
            problem = str(exc)
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        os.replace(self.path, aside)
        _fsync_dir(self.path.parent)
        good_backup = False
        backup_raw = _read_file(backup)
        if backup_raw is not None:
            try:
                parse_database_bytes(backup_raw)
                good_backup = True
            except ValueError:
                pass
        if good_backup:
            import shutil

            shutil.copy2(backup, self.path)
            saved = datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
            self.notices.append(
                f"The database {self.path} was damaged ({problem}). It was moved aside to "
                f"{aside.name} and the last good version (saved {saved}) was restored from "
                f"{backup.name}. The latest change may be missing; nothing else was lost."
            )
            return None
        rescued, lost = salvage_documents(raw)
        kept = sum(len(rescued.get(name, {})) for name in DATA_TABLES)
        if kept and rescued.get("meta"):  # without its schema version the documents cannot be read safely
            from .core.advice import counted  # a rare path: kept off the store's import

            AtomicJSONStorage(self.path).write_atomic(rescued)
            self.notices.append(
                f"The database {self.path} was damaged ({problem}) and no good backup exists. "
                f"It was moved aside to {aside}. imgtui read back {kept} records from it"
                + (f"; {counted(lost, 'damaged line')} could not be read" if lost else "")
                + ". Check your latest entries (the damaged file can be opened in a text editor)."
            )
            return rescued
        self.notices.append(
            f"The database {self.path} was damaged ({problem}) and no good backup exists. "
            f"It was moved aside to {aside} (open it in a text editor to rescue what you can). "
            "imgtui starts with an empty database."
        )
        return None

    def _migrate(self) -> None:
        data: dict[str, Any] = self.storage.current() or {}
        version = schema_version_of(data)
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"{self.path} was written by a newer imgtui (schema version {version}; this one knows "
                f"up to {SCHEMA_VERSION}). Upgrade imgtui to open it; the file was not changed."
            )
        if version < SCHEMA_VERSION and data:
            stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
            copy = self.path.with_name(f"{self.path.name}.schema-v{version}-{stamp}")
            import shutil

            shutil.copy2(self.path, copy)
            data = self.storage.read() or {}  # parsed, for the migrations to edit
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](data)
                version += 1
            self.notices.append(
                f"The database was upgraded to schema version {SCHEMA_VERSION}; "
                f"the file before the upgrade is kept as {copy.name}."
            )
        if schema_version_of(data) != SCHEMA_VERSION or "meta" not in data or not data["meta"]:
            data["meta"] = {"1": {"schema_version": SCHEMA_VERSION, "calendar_id": _token(6)}}
            for table in ALL_TABLES:
                data.setdefault(table, {})
            self.storage.write_atomic(data)

    # -- change tracking
    @contextlib.contextmanager
    def change(self, label: str) -> Iterator[Change]:
        """One user-visible change: locked, re-read, written once, undoable."""
        if self._current is not None:  # nested: part of the outer change
            yield self._current
            return
        if self.read_only:
            raise StoreError(f"{self.path} was opened for reading only")
        self._current = Change(label)
        self._next_ids = {}
        try:
            with self._locked(), self.storage.batch():
                yield self._current
        finally:
            done, self._current = self._current, None
        if done.ops:
            self._undo.append(done)
            del self._undo[:-UNDO_DEPTH]

    def _doc(self, table: str, doc_id: int) -> dict[str, Any] | None:
        doc = ((self.storage.current() or {}).get(table) or {}).get(str(doc_id))
        return None if doc is None else expand(doc)

    def _edited(self, table: str, doc_id: int) -> None:
        self.storage.mark_dirty()
        self._edits[table] = self._edits.get(table, 0) + 1
        self._changed.setdefault(table, set()).add(str(doc_id))

    def _allocate_id(self, table: str, docs: dict[str, Doc]) -> int:
        # Counted once per change from the freshly read data, then incremented.
        next_id = self._next_ids.get(table)
        if next_id is None:
            next_id = max((int(key) for key in docs), default=0) + 1
        self._next_ids[table] = next_id + 1
        return next_id

    def _put(self, table: str, doc_id: int | None, doc: dict[str, Any]) -> int:
        assert self._current is not None, "writes happen inside Store.change()"
        docs = self.storage.pending_table(table)
        if doc_id is None:
            doc_id = self._allocate_id(table, docs)
            before = None
        else:
            before = docs.get(str(doc_id))
            if before is not None and expand(before) == doc:
                return doc_id  # unchanged: no write, nothing to undo
        docs[str(doc_id)] = doc  # a new object, never an edit of the old one
        self._edited(table, doc_id)
        self._current.ops.append(_Op(table, doc_id, before))
        return doc_id

    def _remove(self, table: str, doc_id: int) -> None:
        assert self._current is not None
        docs = self.storage.pending_table(table)
        before = docs.pop(str(doc_id), None)
        if before is None:
            return
        self._edited(table, doc_id)
        self._current.ops.append(_Op(table, doc_id, before))

    # -- undo
    def undo(self) -> str | None:
        """Undo the most recent change made through this store; returns its label."""
        if not self._undo:
            return None
        last = self._undo.pop()
        with self._locked(), self.storage.batch():
            for op in reversed(last.ops):
                docs = self.storage.pending_table(op.table)
                if op.before is None:
                    docs.pop(str(op.doc_id), None)
                else:
                    docs[str(op.doc_id)] = op.before
                self._edited(op.table, op.doc_id)
        return last.label

    def calendar_id(self) -> str:
        """A random id for this database, so calendar UIDs never clash with another file's."""
        calendar_id = (self._doc("meta", 1) or {}).get("calendar_id")
        if not calendar_id:
            calendar_id = _token(6)
            with self._locked(), self.storage.batch():
                meta = self.storage.pending_table("meta")
                if "1" in meta:
                    meta["1"] = {**expand(meta["1"]), "calendar_id": calendar_id}
                    self.storage.mark_dirty()
        return str(calendar_id)

    # -- polling for other processes
    def disk_signature(self) -> Signature | None:
        return self.storage.signature()

    def changed_elsewhere(self, seen: Signature | None) -> bool:
        now = self.disk_signature()
        return now != seen and now != self.storage.last_written_signature

    # -- typed API
    def records(self, cls: type[R]) -> list[R]:
        """Every valid record of a kind, in storage order (invalid ones go to ``problems``).

        Records are shared between calls until their document changes: treat them as
        read-only and make changed copies with ``replace()``.
        """
        data = self.storage.current() or {}
        edits = self._edits.get(cls.TABLE, 0)
        listed = self._listed.get(cls.TABLE)
        if listed is not None and listed[0] is data and listed[1] == edits:
            return list(listed[2])
        docs: dict[str, Doc] = data.get(cls.TABLE) or {}
        built = self._typed.get(cls.TABLE)
        changed = self._changed.pop(cls.TABLE, set())
        known = built[1] if built is not None and built[0] is data else {}
        fresh: dict[str, Record | None] = {}
        records: list[R] = []
        for key, doc in docs.items():
            record = known.get(key, _UNREAD) if key not in changed else _UNREAD
            if record is _UNREAD:
                try:
                    parsed = expand(doc)
                except orjson.JSONDecodeError:  # only unchecked documents (read-only open)
                    raise StoreError(f"{self.path} needs repair ({cls.TABLE} #{key} is not valid JSON)") from None
                try:
                    record = cls.from_doc(parsed, int(key))
                except (ValidationError, ValidationErrors) as exc:
                    record = None
                    message = f"{cls.TABLE} #{key} skipped: {exc}"
                    if message not in self.problems:
                        self.problems.append(message)
            fresh[key] = record
            if record is not None:
                records.append(record)
        self._typed[cls.TABLE] = (data, fresh)
        self._listed[cls.TABLE] = (data, edits, records)
        return list(records)

    def profile(self) -> Profile:
        doc = self._doc("profile", 1)
        if doc is None:
            return Profile()
        try:
            profile: Profile = Profile.from_doc(doc, 1)
        except (ValidationError, ValidationErrors) as exc:
            self.problems.append(f"profile has invalid values and was reset to defaults where needed: {exc}")
            clean = {}
            for spec in Profile.FIELDS:
                with contextlib.suppress(ValidationError):
                    clean[spec.name] = spec.parse(doc.get(spec.name))
            try:
                profile = Profile.from_input(clean)
            except ValidationErrors:
                profile = Profile()
            profile.doc_id = 1
        return profile

    def update_profile(self, values: dict[str, Any], label: str = "Edit profile") -> Profile:
        """Validate ``values`` (all or nothing) and save; counts exam postponements."""
        with self.change(label):
            current = self.profile()
            new: Profile = Profile.from_input(values, base=current)
            if (
                "exam_delays" not in values
                and current.exam_date
                and new.exam_date
                and new.exam_date > current.exam_date
            ):
                new.exam_delays = current.exam_delays + 1
            self._put("profile", 1, new.to_doc())
        new.doc_id = 1
        return new

    def exams(self) -> list[PracticeExam]:
        return sorted(self.records(PracticeExam), key=lambda e: (e.taken, e.doc_id or 0))

    def qbank_days(self) -> list[QbankDay]:
        return sorted(self.records(QbankDay), key=lambda d: (d.day, d.doc_id or 0))

    def sites(self) -> list[UsceSite]:
        return self.records(UsceSite)

    def inquiries(self, site_id: int | None = None) -> list[Inquiry]:
        found = self.records(Inquiry)
        if site_id is not None:
            found = [inq for inq in found if inq.site_id == site_id]
        return sorted(found, key=lambda i: (i.sent, i.doc_id or 0))

    def letters(self) -> list[Letter]:
        return self.records(Letter)

    def get(self, cls: type[R], doc_id: int) -> R | None:
        doc = self._doc(cls.TABLE, doc_id)
        return cls.from_doc(doc, doc_id) if doc is not None else None

    def save(self, record: R, label: str | None = None) -> R:
        """Insert (no doc_id) or replace a record; returns it with its doc_id."""
        self._check_links(record)
        kind = type(record).__name__
        with self.change(label or (f"Edit {kind}" if record.doc_id else f"Add {kind}")):
            doc_id = self._put(record.TABLE, record.doc_id, record.to_doc())
        record.doc_id = doc_id
        return record

    def _check_links(self, record: Record) -> None:
        site_id = getattr(record, "site_id", None)
        linked = isinstance(record, (Inquiry, Letter)) and isinstance(site_id, int)
        if linked and self._doc("usce_sites", int(site_id or 0)) is None:
            raise ValidationErrors([ValidationError("site_id", f"no USCE site #{site_id}")])

    def delete(self, cls: type[Record], doc_id: int, label: str | None = None) -> None:
        """Delete a record; a site takes its inquiries with it and unlinks its letters."""
        with self.change(label or f"Delete {cls.__name__} #{doc_id}"):
            if cls is UsceSite:
                for inquiry in self.inquiries(doc_id):
                    assert inquiry.doc_id is not None
                    self._remove("inquiries", inquiry.doc_id)
                for letter in self.letters():
                    if letter.site_id == doc_id:
                        self._put("letters", letter.doc_id, letter.replace(site_id=None).to_doc())
            self._remove(cls.TABLE, doc_id)

    def save_many(self, records: Sequence[Record], label: str) -> Sequence[Record]:
        """All records in one atomic, undoable change (imports)."""
        with self.change(label):
            for record in records:
                self._check_links(record)
                saved: Any = record  # each record class declares doc_id in its own slots
                saved.doc_id = self._put(record.TABLE, record.doc_id, record.to_doc())
        return records
