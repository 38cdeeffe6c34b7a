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

The file is written one document per line, so a read splits it without
parsing it whole, and memory keeps no copy of the documents: each table is an
index of where its documents' lines are in the file (``FileTable``), and a
document is read back from the file when it is needed, while the file is still
the version that was indexed. Only the documents changed in the current change
are held in memory. A save copies unchanged tables from the file in one piece
instead of serialising every record again. A file laid out otherwise (written
by another program) is parsed whole and kept in memory until imgtui writes it
in its own layout. Every document is checked to be a JSON object when the file
is read, so a damaged one is found at open, not later.

Callers get typed records from ``imgtui.records``; raw documents never leave
this module.
"""

from __future__ import annotations

import contextlib
import os
import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage

from .paths import Signature, default_db_path, file_signature, stat_signature
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
    sharing_texts,
)
from .writer_lock import LockTimeout, WriterLock

SCHEMA_VERSION = 2
DATA_TABLES = ("profile", "practice_exams", "qbank_days", "usce_sites", "inquiries", "letters")
ALL_TABLES = (*DATA_TABLES, "meta")
UNDO_DEPTH = 50
READ_BUFFER = 1 << 16  # bytes a read or write of the file takes at a time
LOCK_TIMEOUT_S = 15.0

R = TypeVar("R", bound=Record)
T = TypeVar("T")


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
# A table: documents by id, a FileTable (read back from the file) or a dict (in memory).
Table = MutableMapping[str, Doc]
Tables = dict[str, Table]


class FileChanged(StoreError):
    """The file is no longer the version a table was indexed from (another program wrote it)."""


class FileVersion:
    """One version of the database file, named by its signature: reads give its bytes or fail.

    Every imgtui write replaces the file (a new inode), so while the signature is the
    same, the bytes at an offset are the ones that were indexed."""

    __slots__ = ("path", "signature")

    def __init__(self, path: Path, signature: Signature) -> None:
        self.path, self.signature = path, signature

    @contextlib.contextmanager
    def opened(self) -> Iterator[BinaryIO]:
        """The file, open for reading, when it is still this version (else FileChanged).
        An open file keeps reading the same bytes even if the file is replaced meanwhile."""
        try:
            handle = open(self.path, "rb", buffering=READ_BUFFER)  # noqa: SIM115 - closed below
        except FileNotFoundError:
            raise self._changed() from None
        with handle:
            if stat_signature(os.fstat(handle.fileno())) != self.signature:
                raise self._changed()
            yield handle

    def read(self, start: int, end: int) -> bytes:
        with self.opened() as handle:
            handle.seek(start)
            data = handle.read(end - start)
        if len(data) != end - start:
            raise self._changed()
        return data

    def chunks(self, start: int, end: int) -> Iterator[bytes]:
        """The bytes from ``start`` to ``end``, a buffer at a time (a copy without a buffer of its size)."""
        with self.opened() as handle:
            handle.seek(start)
            while start < end:
                chunk = handle.read(min(READ_BUFFER, end - start))
                if not chunk:
                    raise self._changed()
                start += len(chunk)
                yield chunk

    def _changed(self) -> FileChanged:
        return FileChanged(f"{self.path} was changed by another program while imgtui was reading it; try again.")


class FileTable(MutableMapping[str, Doc]):
    """A table whose documents stay in the file: their ids and where their lines are
    (about 24 bytes a document, against some 300 for the bytes and the key), with the
    documents set or removed in this process on top. Iterates in the order a dict of
    the same edits would (a replaced document keeps its place; a new one goes last).

    A line is ``"<id>":{...}``: ``starts`` holds where it begins (the quote), ``ends``
    where its document ends (before the comma), so the document starts at
    ``start + len(id) + 3``."""

    __slots__ = ("_gone", "_in_order", "_new", "_order", "_over", "ends", "ids", "starts", "version")

    def __init__(self, version: FileVersion, ids: array[int], starts: array[int], ends: array[int]) -> None:
        self.version, self.ids, self.starts, self.ends = version, ids, starts, ends
        self._over: dict[str, Doc] = {}  # documents of the file replaced in place
        self._gone: set[str] = set()  # documents of the file removed
        self._new: dict[str, Doc] = {}  # documents added (a removed one added again goes last, as in a dict)
        self._in_order: bool | None = None  # are the ids in increasing order? (found on the first look-up)
        self._order: array[int] | None = None  # else: positions sorted by id

    def unchanged(self) -> bool:
        return not (self._over or self._gone or self._new)

    def _position(self, key: str) -> int | None:
        """Where the file's document ``key`` is in the index (None: not one of the file's)."""
        if not _plain_id(key.encode()):
            return None  # the index holds only plain ids
        doc_id, ids = int(key), self.ids
        if self._in_order is None:  # found once: imgtui writes ids in order, unless an undo put one back
            in_order = all(a < b for a, b in pairwise(ids))
            self._order = None if in_order else array("q", sorted(range(len(ids)), key=ids.__getitem__))
            self._in_order = in_order
        if self._in_order:
            at = bisect_left(ids, doc_id)
            return at if at < len(ids) and ids[at] == doc_id else None
        assert self._order is not None
        at = bisect_left(self._order, doc_id, key=ids.__getitem__)
        return self._order[at] if at < len(self._order) and ids[self._order[at]] == doc_id else None

    def _document_span(self, position: int) -> tuple[int, int]:
        """Where the document of the line at ``position`` is: after ``"<id>":``, up to the comma."""
        return self.starts[position] + len(str(self.ids[position])) + 3, self.ends[position]

    def scan(self, wanted: Callable[[str], bool] | None = None) -> Iterator[tuple[str, Doc | None]]:
        """Each document by id in order, read one at a time from the file (opened once);
        None for those ``wanted`` says no to (they are not read)."""
        with contextlib.ExitStack() as stack:
            lines: Iterator[bytes] | None = None
            at = 0  # the position of the line ``lines`` gives next
            for position, doc_id in enumerate(self.ids):
                key = str(doc_id)
                if key in self._gone:
                    continue
                if wanted is not None and not wanted(key):
                    yield key, None
                    continue
                doc = self._over.get(key)
                if doc is None:
                    if lines is None:  # the table's lines follow each other: read in order from the first needed
                        handle = stack.enter_context(self.version.opened())
                        handle.seek(self.starts[position])
                        lines, at = iter(handle), position
                    for _ in range(position - at):  # the lines of documents not wanted here
                        next(lines)
                    line, at = next(lines), position + 1
                    start, end = self._document_span(position)
                    doc = line[start - self.starts[position] : end - self.starts[position]]
                yield key, doc
        for key, doc in list(self._new.items()):
            yield key, doc if wanted is None or wanted(key) else None

    def __getitem__(self, key: str) -> Doc:
        if key in self._new:
            return self._new[key]
        if key in self._gone:
            raise KeyError(key)
        if key in self._over:
            return self._over[key]
        position = self._position(key)
        if position is None:
            raise KeyError(key)
        return self.version.read(*self._document_span(position))

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        if key in self._new:
            return True
        return key not in self._gone and (key in self._over or self._position(key) is not None)

    def __setitem__(self, key: str, doc: Doc) -> None:
        if key in self._new or key in self._gone or self._position(key) is None:
            self._new[key] = doc
        else:
            self._over[key] = doc

    def __delitem__(self, key: str) -> None:
        if key in self._new:
            del self._new[key]
        elif key not in self._gone and self._position(key) is not None:
            self._gone.add(key)
            self._over.pop(key, None)
        else:
            raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        gone = self._gone
        for doc_id in self.ids:
            key = str(doc_id)
            if key not in gone:
                yield key
        yield from list(self._new)

    def __len__(self) -> int:
        return len(self.ids) - len(self._gone) + len(self._new)

    def items(self) -> Any:  # one open of the file, not one a document
        return [(key, doc) for key, doc in self.scan() if doc is not None]

    def values(self) -> Any:
        return [doc for _, doc in self.scan() if doc is not None]


def scan(docs: Table, wanted: Callable[[str], bool] | None = None) -> Iterator[tuple[str, Doc | None]]:
    """Each document of a table by id, in order (see FileTable.scan)."""
    if isinstance(docs, FileTable):
        return docs.scan(wanted)
    return ((key, doc if wanted is None or wanted(key) else None) for key, doc in list(docs.items()))


def expand(doc: Doc) -> dict[str, Any]:
    """A document as a dict (bytes are checked JSON objects, see parse_database_bytes)."""
    if isinstance(doc, bytes):
        parsed: dict[str, Any] = orjson.loads(doc)
        return parsed
    return doc


# Where each document's line went in a packed file (ids, line starts, document ends);
# None for a table with an id that is not a plain number (kept in memory).
Spans = tuple["array[int]", "array[int]", "array[int]"]


def pack(data: Tables) -> bytes:
    """The file's bytes, one document per line (see ``pack_pieces``)."""
    return b"".join(pack_pieces(data, {}))


def _plain_id(key: bytes) -> bool:
    """An id as str(int) writes it (ASCII digits, no leading zero, within 64 bits): FileTable can index it."""
    return key.isdigit() and len(key) <= 18 and (key[:1] != b"0" or key == b"0")


def pack_pieces(data: Tables, spans: dict[str, Spans | None]) -> Iterator[bytes]:
    """The file's bytes, one document per line, in pieces to write one after the other
    (no buffer of the whole file); fills ``spans`` with where each table's lines are in
    them, and turns the dicts of in-memory tables into bytes in place.

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
    yield b"{"
    at = 1  # the length of the pieces so far
    for t, (name, docs) in enumerate(data.items()):
        header = (b"\n" if t == 0 else b"\n},\n") + orjson.dumps(name) + b":{"
        yield header
        at += len(header)
        if isinstance(docs, FileTable) and docs.unchanged() and docs.ids:
            # Unchanged since it was read: its lines are copied from the file as they are.
            yield b"\n"
            at += 1
            shift = at - docs.starts[0]
            yield from docs.version.chunks(docs.starts[0], docs.ends[-1])
            at += docs.ends[-1] - docs.starts[0]
            spans[name] = (
                array("q", docs.ids),
                array("q", [start + shift for start in docs.starts]),
                array("q", [end + shift for end in docs.ends]),
            )
            continue
        ids, starts, ends = array("q"), array("q"), array("q")
        plain = True
        in_memory = not isinstance(docs, FileTable)
        separator = b'\n"'
        for key, doc in scan(docs):
            if not isinstance(doc, bytes):
                doc = orjson.dumps(doc)
                if in_memory:
                    docs[key] = doc
            # Keys are digit strings (checked when read, str(int) when made), so nothing to
            # escape; anything else is escaped all the same.
            text = str(key)
            key_bytes = text.encode() if text.isdigit() else orjson.dumps(text)[1:-1]
            line = b"".join((separator, key_bytes, b'":', doc))
            yield line
            if plain and _plain_id(key_bytes):
                ids.append(int(key_bytes))
                starts.append(at + len(separator) - 1)  # the line's opening quote
                ends.append(at + len(line))
            else:
                plain = False
            at += len(line)
            separator = b',\n"'
        spans[name] = (ids, starts, ends) if plain else None
    yield b"\n}\n}" if data else b"}"


def file_tables(version: FileVersion, spans: dict[str, Spans | None], data: Tables) -> None:
    """Replace the tables of ``data`` written as ``spans`` by their index into ``version``."""
    for name, table_spans in spans.items():
        if table_spans is not None:
            data[name] = FileTable(version, *table_spans)


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
    """The documents of a file laid out by ``pack``, as dicts of each document's bytes
    (see ``_split``); None when the file is laid out otherwise or anything does not fit."""
    return _split(((start, raw[start:end]) for start, end in _line_spans(raw)), check_documents, None)


def _file_lines(handle: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """Each line of a file with where it starts, without its newline (as _line_spans splits)."""
    at = 0
    line = b"\n"
    for line in handle:
        yield at, line[:-1] if line.endswith(b"\n") else line
        at += len(line)
    if line.endswith(b"\n"):
        yield at, b""


def _split(lines: Iterator[tuple[int, bytes]], check_documents: bool, version: FileVersion | None) -> Tables | None:
    """The documents of a file laid out by ``pack`` from its lines, each checked to be a
    JSON object (unless ``check_documents`` is False); None when the file is laid out
    otherwise or anything in it does not fit. With the ``version`` the lines are read
    from, the tables are FileTables into it (None for an id FileTable cannot hold:
    the caller reads the file whole); without, dicts of each document's bytes."""
    first = next(lines, None)
    if first is None or first[1] != b"{":
        return None
    tables: Tables = {}
    last_table = False
    for _, header in lines:
        if last_table:  # only the final "}" may follow the last table (an editor may add a newline)
            rest = header + b"\n".join(line for _, line in lines)
            return tables if rest.rstrip() == b"}" else None
        if not header.endswith(b":{"):
            return None
        try:
            name = orjson.loads(header[:-2])
        except orjson.JSONDecodeError:
            return None
        if not isinstance(name, str):
            return None
        ids, starts, ends = array("q"), array("q"), array("q")
        in_memory: dict[str, Doc] = {}
        comma: bool | None = None  # did the table's previous document line end with a comma?
        closer = b""
        for start, closer in lines:  # the same iterator: the table's lines, up to its closer
            line = _DOC_LINE.fullmatch(closer)
            if line is None:
                break
            if comma is False:
                return None
            if check_documents:
                try:
                    orjson.loads(line.group(2))  # a damaged document is found now, not when it is shown
                except orjson.JSONDecodeError:
                    return None
            key = line.group(1)
            if version is None:
                in_memory[key.decode()] = line.group(2)
            elif not _plain_id(key):
                return None
            else:
                ids.append(int(key))
                starts.append(start)
                ends.append(start + line.end(2))
            comma = line.group(3) == b","
        else:
            return None  # the file ends inside a table
        tables[name] = in_memory if version is None else FileTable(version, ids, starts, ends)
        if comma or closer not in (b"}", b"},"):
            return None
        last_table = closer == b"}"
    return None


def _blank(raw: bytes) -> bool:
    """Empty or only whitespace (without copying a large file, as strip() would)."""
    return not raw or raw.isspace()


def parse_database_bytes(raw: bytes, check_documents: bool = True) -> Tables:
    """Read and shape-check a TinyDB file; raise ValueError saying what is wrong.
    Every document is kept in memory as its bytes (``read_file_tables`` leaves them in the file).

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
    table: Table | None = None
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


def read_file_tables(path: Path, check_documents: bool = True) -> tuple[Tables | None, Signature] | None:
    """The file's tables with the signature of the version they were read from; None when
    there is no file, None for the tables when it is empty. Raises ValueError saying what
    is wrong with a damaged file.

    A file laid out by ``pack`` is read line by line and stays in the file (FileTables):
    no buffer of the whole file is made, so reading years of records leaves no hole of
    its size in the process's memory. A file laid out otherwise (another program's), or
    one that kept changing while it was read, is read whole and kept in memory."""
    for _ in range(3):
        try:
            with open(path, "rb", buffering=READ_BUFFER) as handle:
                signature = stat_signature(os.fstat(handle.fileno()))
                tables = _split(_file_lines(handle), check_documents, FileVersion(path, signature))
        except FileNotFoundError:
            return None
        if file_signature(path) != signature:
            continue  # written meanwhile: read it again
        if tables is not None:
            return tables, signature
        break  # another layout, or damaged: read whole
    now = file_signature(path)
    raw = _read_file(path)
    if raw is None or now is None:
        return None
    if _blank(raw):
        return None, now
    return parse_database_bytes(raw, check_documents), now


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
        try:
            read = read_file_tables(self.path)
        except ValueError as exc:
            raise StoreError(
                f"{self.path} was damaged by another program while imgtui was open ({exc}). "
                "Restart imgtui to recover it from the backup."
            ) from None
        if read is None:
            return None
        data, signature = read
        if data is None:  # emptied
            return None
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

    def pending_table(self, name: str) -> Table:
        """A table of the batch's data, to edit in place (then call ``mark_dirty``).

        TinyDB's Table rebuilds the whole table on every insert or update; inside a
        batch the data is already in memory, so imports of thousands of rows stay linear.
        """
        assert self._pending is not None, "edits happen inside batch()"
        table: Table = self._pending.setdefault(name, {})
        return table

    def mark_dirty(self) -> None:
        self._dirty = True

    def write_atomic(self, data: Tables) -> None:
        if self.read_only:
            raise StoreError(f"{self.path} was opened for reading only")
        spans: dict[str, Spans | None] = {}
        folder = self.path.parent
        tmp = folder / f"{_temp_prefix(self.path)}{os.getpid()}-{_token(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb", buffering=READ_BUFFER) as handle:
                handle.writelines(pack_pieces(data, spans))  # written as made: no buffer of the whole file
                size = handle.tell()
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
        self.last_written_signature = signature = self.signature()
        if signature is None or signature[2] != size:  # gone, or written over already
            self.forget()
            return
        # From now on the documents are read back from the file just written.
        file_tables(FileVersion(self.path, signature), spans, data)
        self.prime(data, signature)

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
        # Each table's records as last listed, with the data they were read from and the
        # table's edit count then: the list is handed out again while both are the same,
        # and its records are reused while that data is the one in memory, except for the
        # documents this store changed since (``_changed``). Data read from disk again
        # (another process wrote) is another object: every record is read again.
        self._edits: dict[str, int] = {}
        self._listed: dict[str, tuple[Tables, int, list[Any]]] = {}
        self._changed: dict[str, set[str]] = {}
        self._next_ids: dict[str, int] = {}
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
        try:
            # Documents are checked as they are read (records() says a damaged one):
            # the child computing a first frame gives up on any error anyway.
            read = read_file_tables(self.path, check_documents=False)
            if read is None:
                raise StoreError(f"{self.path} does not exist yet")
            data, signature = read
            if data is None:
                raise ValueError("the file is empty")
            schema = schema_version_of(data)
        except ValueError as exc:
            raise StoreError(f"{self.path} needs repair ({exc})") from None
        if schema != SCHEMA_VERSION or not data.get("meta"):
            raise StoreError(f"{self.path} needs an upgrade or set-up (schema version {schema})")
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
        backup = self.path.with_name(self.path.name + ".bak")
        try:
            read = read_file_tables(self.path)
            if read is None:
                return None
            if read[0] is not None:
                return read[0]
            if not backup.exists():
                return None  # a brand-new empty file: nothing to lose
            problem = "the file is empty"
        except ValueError as exc:
            problem = str(exc)
        raw = _read_file(self.path) or b""
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

    def _reading(self, read: Callable[[Tables], T]) -> T:
        """``read(data)`` on the data as it is now; again on the file as it is then when
        another program replaced the file under the read (outside a change only: inside
        one the lock is held and the change fails instead)."""
        try:
            return read(self.storage.current() or {})
        except FileChanged:
            if self._current is not None:
                raise
            self.storage.forget()
            return read(self.storage.current() or {})

    def _doc(self, table: str, doc_id: int) -> dict[str, Any] | None:
        doc = self._reading(lambda data: (data.get(table) or {}).get(str(doc_id)))
        return None if doc is None else expand(doc)

    def _edited(self, table: str, doc_id: int) -> None:
        self.storage.mark_dirty()
        self._edits[table] = self._edits.get(table, 0) + 1
        self._changed.setdefault(table, set()).add(str(doc_id))

    def _allocate_id(self, table: str, docs: Table) -> int:
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
        return self._reading(lambda data: self._records(cls, data))

    def _records(self, cls: type[R], data: Tables) -> list[R]:
        edits = self._edits.get(cls.TABLE, 0)
        listed = self._listed.get(cls.TABLE)
        if listed is not None and listed[0] is data and listed[1] == edits:
            return list(listed[2])
        docs: Table = data.get(cls.TABLE) or {}
        changed = self._changed.get(cls.TABLE, set())
        # The records built before from the same data, by id (a document that was invalid is read again).
        known: dict[int, R] = {}
        if listed is not None and listed[0] is data:
            known = {record.doc_id: record for record in listed[2] if str(record.doc_id) not in changed}
        records: list[R] = []
        read = cls.stored_reader()
        with sharing_texts():  # documents read one at a time: no buffer of the table, no hole after
            for key, doc in scan(docs, lambda key: int(key) not in known):
                if doc is None:
                    records.append(known[int(key)])
                    continue
                try:
                    parsed = expand(doc)
                except orjson.JSONDecodeError:  # only unchecked documents (read-only open)
                    raise StoreError(f"{self.path} needs repair ({cls.TABLE} #{key} is not valid JSON)") from None
                try:
                    records.append(read(parsed, int(key)))
                except (ValidationError, ValidationErrors) as exc:
                    message = f"{cls.TABLE} #{key} skipped: {exc}"
                    if message not in self.problems:
                        self.problems.append(message)
        self._changed.pop(cls.TABLE, None)
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
