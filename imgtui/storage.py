"""The database file as TinyDB sees it: ``LineStorage``, and the file's format.

What it adds to stock TinyDB: every write is atomic (temp file, fsync,
``os.replace``, fsync of the folder) with the previous version kept as
``<name>.bak``; the file is one document per line (a diff shows what changed)
and stays plain TinyDB JSON that ``tinydb.TinyDB(path)`` reads; the parsed file
is kept while the file on disk is unchanged and read again when another program
replaced it. Also here: salvage of a damaged file, and the schema migrations.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from .paths import Signature, file_signature, write_private
from .records import form_info

SCHEMA_VERSION = 5
DATA_TABLES = ("profile", "practice_exams", "qbank_days", "usce_sites", "inquiries", "letters", "documents", "programs")
ALL_TABLES = (*DATA_TABLES, "meta")
META_ID = 1

Tables = dict[str, dict[str, dict[str, Any]]]


class StoreError(Exception):
    """A problem with the database file, worded for the user."""


class SchemaTooNew(StoreError):
    pass


class Conflict(StoreError):
    """A record changed on disk since the caller read it: nothing was written."""

    def __init__(self, message: str, fields: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.fields = tuple(fields)


# ---------------------------------------------------------------- the file format


def pack(data: Tables) -> bytes:
    """The file's bytes: plain JSON with one document per line.

    {
    "meta":{
    "1":{"schema_version":3}
    },
    "practice_exams":{
    "1":{"form":"NBME 13",...},
    "2":{...}
    }
    }
    """
    lines = [b"{"]
    names = list(data)
    for t, name in enumerate(names):
        lines.append(orjson.dumps(name) + b":{")
        docs = list(data[name].items())
        for d, (key, doc) in enumerate(docs):
            comma = b"," if d < len(docs) - 1 else b""
            lines.append(orjson.dumps(str(key)) + b":" + orjson.dumps(doc) + comma)
        lines.append(b"}," if t < len(names) - 1 else b"}")
    lines.append(b"}")
    return b"\n".join(lines) + b"\n"


def parse_database(raw: bytes) -> Tables:
    """Read and shape-check a TinyDB file; raise ValueError saying what is wrong."""
    if not raw.strip():
        raise ValueError("the file is empty")
    try:  # the standard parser: orjson's peaks at about 15 times the file's size in memory
        data = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"the file is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError("the file is JSON but not a TinyDB database (top level is not an object)")
    for table, docs in data.items():
        if not isinstance(docs, dict):
            raise ValueError(f"table {table!r} is not an object of documents")
        for doc_id, doc in docs.items():
            if not str(doc_id).isdigit() or not isinstance(doc, dict):
                raise ValueError(f"table {table!r} has a malformed document {doc_id!r}")
    return data


# A document's line: "<id>":{...} with a comma unless it is the table's last.
_DOC_LINE = re.compile(rb'"(\d+)":(\{.*\}),?')


def salvage_documents(raw: bytes) -> tuple[Tables, int]:
    """From a damaged file laid out by ``pack``: every document whose line still reads as a
    JSON object under its table's header, and the number of other lines that were lost."""
    tables: Tables = {}
    table: dict[str, dict[str, Any]] | None = None
    lost = 0
    for line in raw.split(b"\n"):
        if line in (b"{", b"}", b"},", b""):
            table = None  # after a table's closer, documents need a header again
            continue
        document = _DOC_LINE.fullmatch(line)
        if document is not None and table is not None:
            try:
                doc = orjson.loads(document.group(2))
            except orjson.JSONDecodeError:
                doc = None
            if isinstance(doc, dict):
                table[document.group(1).decode()] = doc
                continue
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


def private_copy(source: Path, target: Path) -> None:
    """A real copy (never a link) readable only by its owner: it holds personal data."""
    write_private(target, source.read_bytes())


class LineStorage(Storage):
    """TinyDB storage: atomic writes, a backup, one document per line, and a parsed
    copy kept while the file on disk is unchanged.

    Inside ``batch()`` the writes of several TinyDB operations go to memory and reach
    the file once, at the end: a change is all or nothing."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.backup = self.path.with_name(self.path.name + ".bak")
        self.read_only = read_only
        self._data: Tables | None = None
        self._signature: Signature | None = None
        self._pending: Tables | None = None
        self._dirty = False
        self.last_written: Signature | None = None

    def read(self) -> dict[str, Any] | None:
        if self._pending is not None:
            return self._pending
        signature = file_signature(self.path)
        if signature is None:
            return None
        if signature != self._signature or self._data is None:
            try:
                raw = self.path.read_bytes()
                data = parse_database(raw) if raw.strip() else None
            except ValueError as exc:
                raise StoreError(
                    f"{self.path} was damaged by another program while imgtui was open ({exc}). "
                    "Restart imgtui to recover it from the backup."
                ) from None
            self._data, self._signature = data, signature
        return self._data

    def keep(self, data: Tables, signature: Signature | None) -> None:
        """Take ``data`` as the file's parsed content (read by the caller, with the file's
        ``signature`` taken before reading): the next read does not parse it again."""
        self._data, self._signature = data, signature

    def write(self, data: dict[str, Any]) -> None:
        if self._pending is not None:
            self._pending, self._dirty = data, True
            return
        self.write_file(data)

    def forget(self) -> None:
        self._data, self._signature = None, None

    def write_file(self, data: Tables) -> None:
        if self.read_only:
            raise StoreError(f"{self.path} cannot be written here (read-only); nothing was written")
        try:
            if self.path.exists():
                private_copy(self.path, self.backup)
            write_private(self.path, pack(data))
            with contextlib.suppress(OSError):  # keep the user's own permissions, never wider
                os.chmod(self.path, 0o600)
        except OSError as exc:
            self.forget()
            raise StoreError(f"cannot save {self.path}: {exc.strerror}; nothing was changed") from None
        self._data, self._signature = data, file_signature(self.path)
        self.last_written = self._signature

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group operations into one atomic write, starting from the file as it is now."""
        if self._pending is not None:  # nested: part of the outer batch
            yield
            return
        current = self.read() or {}
        self._pending, self._dirty = {name: dict(docs) for name, docs in current.items()}, False
        try:
            yield
        except BaseException:
            self._pending = None
            self.forget()  # documents may have been edited in place
            raise
        data, self._pending = self._pending, None
        if self._dirty:  # a change that changed nothing writes nothing
            self.write_file(data)

    def close(self) -> None:
        pass


# ---------------------------------------------------------------- migrations


def _migrate_1_to_2(data: Tables) -> None:
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


def _migrate_2_to_3(data: Tables) -> None:
    """The attempts fields counted attempts; they now count failed attempts: a pass on
    the first try was stored as 1 attempt and is 0 failures."""
    for doc in data.get("profile", {}).values():
        for step, passed in (("step1", ("pass", "numeric", "pass_after_fail")), ("step2", ("passed",))):
            attempts = doc.get(f"{step}_attempts")
            if isinstance(attempts, int) and attempts > 0 and doc.get(f"{step}_status") in passed:
                doc[f"{step}_attempts"] = attempts - 1


def _migrate_3_to_4(data: Tables) -> None:
    """Practice exams gained a scale, needed for forms imgtui does not know. A stored one of
    those ('Kaplan 3', 68) was read as a Step score: up to 100 it is taken as a percentage."""
    for doc in data.get("practice_exams", {}).values():
        form, score = str(doc.get("form", "")), doc.get("score")
        if doc.get("scale") is None and form_info(form) is None and isinstance(score, (int, float)):
            doc["scale"] = "percent" if score <= 100 else "three_digit"


def _migrate_4_to_5(data: Tables) -> None:
    """Sites gained a document checklist and the user a program list (tables of their own); inquiries their template and
    snooze, the profile the sender's details (all with defaults). The version moves so that
    an older imgtui, which would drop those fields on save, refuses the file instead."""
    data.setdefault("documents", {})
    data.setdefault("programs", {})


MIGRATIONS: dict[int, Callable[[Tables], None]] = {
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
    4: _migrate_4_to_5,
}


def schema_version_of(data: Tables) -> int:
    for doc in (data.get("meta") or {}).values():
        version = doc.get("schema_version")
        if isinstance(version, int):
            return version
    has_data = any(data.get(table) for table in DATA_TABLES)
    return 1 if has_data else SCHEMA_VERSION
