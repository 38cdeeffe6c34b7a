"""The one module that owns the database: ``Store``, typed records over TinyDB.

The database is ``TinyDB(path, storage=LineStorage)`` (storage.py: atomic
writes, a backup, one document per line); records are read through its tables.
``Store`` adds a writer lock so the app and the quick-log commands never write
at once, recovery of a damaged file, schema migrations (with a copy kept),
undo/redo that never reverts another program's change, optimistic checks on
saves (``expected``), and ids that are never reused.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from filelock import FileLock, Timeout
from tinydb import TinyDB, where
from tinydb.queries import QueryLike
from tinydb.table import Document, Table

from .paths import Signature, default_db_path, file_signature, fsync_dir, write_private
from .records import (
    Inquiry,
    Letter,
    PracticeExam,
    Profile,
    Program,
    QbankDay,
    Record,
    SiteDocument,
    UsceSite,
    ValidationError,
    ValidationErrors,
)
from .storage import (
    ALL_TABLES,
    DATA_TABLES,
    META_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    Conflict,
    LineStorage,
    SchemaTooNew,
    StoreError,
    Tables,
    pack,
    parse_database,
    private_copy,
    salvage_documents,
    schema_version_of,
)

__all__ = ["Conflict", "SchemaTooNew", "Store", "StoreError", "default_db_path"]

UNDO_DEPTH = 50
LOCK_TIMEOUT_S = 15.0

R = TypeVar("R", bound=Record)


# ---------------------------------------------------------------- undo


@dataclass
class _Op:
    """One document change: ``before`` and ``after`` (None: absent)."""

    table: str
    doc_id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass
class Change:
    label: str
    ops: list[_Op] = field(default_factory=list)


def _replace_with(doc: dict[str, Any]) -> Callable[[MutableMapping[str, Any]], None]:
    def replace(stored: MutableMapping[str, Any]) -> None:
        stored.clear()
        stored.update(doc)

    return replace


def changed_fields(a: dict[str, Any] | None, b: dict[str, Any] | None) -> list[str]:
    a, b = a or {}, b or {}
    return [name for name in dict.fromkeys([*a, *b]) if a.get(name) != b.get(name)]


# ---------------------------------------------------------------- store


class Store:
    """Typed access to the imgtui database file."""

    def __init__(self, path: str | Path | None = None, *, lock_timeout: float = LOCK_TIMEOUT_S) -> None:
        """Open (and if need be create, repair or upgrade) the database.

        A symlinked database is followed: its target is the file that changes. A file
        or folder this user cannot write is opened for reading only (``read_only``):
        reports and exports work, every change is refused with a message."""
        given = Path(path).expanduser() if path else default_db_path()
        self.path = given.resolve() if given.is_symlink() else given
        self.notices: list[str] = []
        self.problems: list[str] = []
        self._undo: list[Change] = []
        self._redo: list[Change] = []
        self._current: Change | None = None
        self._next_ids: dict[str, int] = {}  # ids handed out in the current change, by table
        self.after_change: list[Callable[[], None]] = []  # run after each change is written
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder; give a file name such as {self.path / 'imgtui.json'}")
        self.read_only = self._cannot_write()
        self.lock = FileLock(str(self.path) + ".lock", timeout=lock_timeout, mode=0o600)
        if self.read_only:
            self._open()
            return
        with self._locked():
            self._sweep_leftovers()
            checked = self._recover_if_damaged()
            self._open()
            if checked is not None:  # parsed once: the check's reading is the storage's first
                self.storage.keep(*checked)
            self._migrate()

    def _cannot_write(self) -> bool:
        """A file or folder this user cannot write, or a file its owner made read-only (0444:
        root could still replace it, and would undo the owner's choice)."""
        if self.path.exists():
            owner_writable = bool(self.path.stat().st_mode & stat.S_IWUSR)
            return not (owner_writable and os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for {self.path}: {exc.strerror}") from None
        return not os.access(self.path.parent, os.W_OK)

    def _open(self) -> None:
        self.db = TinyDB(self.path, storage=LineStorage, read_only=self.read_only)
        self.storage: LineStorage = self.db.storage  # type: ignore[assignment]
        if self.read_only:
            data = self._read_all()
            if schema_version_of(data) > SCHEMA_VERSION:
                raise SchemaTooNew(self._too_new(schema_version_of(data)))
            if schema_version_of(data) < SCHEMA_VERSION:  # upgraded in memory only
                self._upgrade(data)

    def table(self, name: str) -> Table:
        return self.db.table(name, cache_size=0)  # another program may change the file: no query cache

    def close(self) -> None:
        self.db.close()

    def _read_all(self) -> Tables:
        try:
            return self.storage.read() or {}
        except StoreError:
            raise
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror}") from None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.lock.acquire()
        except Timeout:
            raise StoreError(
                f"{self.path} is being changed by another imgtui process, which held it for more than "
                f"{self.lock.timeout:g}s; nothing was written. Try again when it has finished."
            ) from None
        except OSError as exc:
            raise StoreError(f"cannot lock {self.path}: {exc.strerror}; nothing was written") from None
        try:
            yield
        finally:
            self.lock.release()

    def _sweep_leftovers(self) -> None:
        """Temp files of a write that was killed half-way (the lock is held: none is in use)."""
        for leftover in self.path.parent.glob(f".{self.path.name}*.tmp-*"):
            with contextlib.suppress(OSError):
                leftover.unlink()

    def _recover_if_damaged(self) -> tuple[Tables, Signature | None] | None:
        """Move a damaged file aside and restore or salvage what can be; a good file's
        parsed content (with its signature) is returned for the storage to keep."""
        backup = self.path.with_name(self.path.name + ".bak")
        signature = file_signature(self.path)
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror}") from None
        try:
            return parse_database(raw), signature
        except ValueError as exc:
            if not raw.strip() and not backup.exists():
                return None  # a brand-new empty file: nothing to lose
            problem = str(exc)
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        os.replace(self.path, aside)
        with contextlib.suppress(OSError):
            os.chmod(aside, 0o600)
        fsync_dir(self.path.parent)
        try:
            parse_database(backup.read_bytes())
            good_backup = True
        except (OSError, ValueError):
            good_backup = False
        if good_backup:
            private_copy(backup, self.path)
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
            write_private(self.path, pack(rescued))
            damaged = f"; {lost} damaged line{'s' if lost != 1 else ''} could not be read" if lost else ""
            self.notices.append(
                f"The database {self.path} was damaged ({problem}) and no good backup exists. "
                f"It was moved aside to {aside}. imgtui read back {kept} records from it{damaged}. "
                "Check your latest entries (the damaged file can be opened in a text editor)."
            )
            return None
        self.notices.append(
            f"The database {self.path} was damaged ({problem}) and no good backup exists. "
            f"It was moved aside to {aside} (open it in a text editor to rescue what you can). "
            "imgtui starts with an empty database."
        )
        return None

    def _too_new(self, version: int) -> str:
        return (
            f"{self.path} was written by a newer imgtui (schema version {version}; this one knows "
            f"up to {SCHEMA_VERSION}). Upgrade imgtui to open it; the file was not changed."
        )

    def _upgrade(self, data: Tables) -> None:
        version = schema_version_of(data)
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](data)
            version += 1
        meta = data.setdefault("meta", {}).setdefault(str(META_ID), {})
        meta["schema_version"] = SCHEMA_VERSION

    def _migrate(self) -> None:
        data = self._read_all()
        version = schema_version_of(data)
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(self._too_new(version))
        if version == SCHEMA_VERSION and data.get("meta") and all(t in data for t in ALL_TABLES):
            return
        if version < SCHEMA_VERSION and data:
            stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
            copy = self.path.with_name(f"{self.path.name}.schema-v{version}-{stamp}")
            private_copy(self.path, copy)
            self.notices.append(
                f"The database was upgraded to schema version {SCHEMA_VERSION}; "
                f"the file before the upgrade is kept as {copy.name}."
            )
        with self.storage.batch():
            pending = self.storage.read() or {}
            self._upgrade(pending)
            meta: dict[str, Any] = pending["meta"][str(META_ID)]
            meta.setdefault("calendar_id", os.urandom(6).hex())
            for table in ALL_TABLES:
                pending.setdefault(table, {})
            self.storage.write(pending)

    # -- changes
    @contextlib.contextmanager
    def change(self, label: str) -> Iterator[Change]:
        """One user-visible change: locked, re-read, written once, undoable."""
        if self._current is not None:  # nested: part of the outer change
            yield self._current
            return
        if self.read_only:
            raise StoreError(f"{self.path} cannot be written here (read-only); nothing was written")
        self._current = Change(label)
        self._next_ids = {}
        try:
            with self._locked(), self.storage.batch():
                yield self._current
                self._keep_id_counters()
        finally:
            done, self._current = self._current, None
        if done.ops:
            self._undo.append(done)
            del self._undo[:-UNDO_DEPTH]
            self._redo.clear()
            self._changed()

    def _changed(self) -> None:
        for hook in self.after_change:
            hook()

    def _stored(self, table: str, doc_id: int) -> dict[str, Any] | None:
        doc = self.table(table).get(doc_id=doc_id)
        return dict(doc) if isinstance(doc, dict) else None

    def _new_id(self, table: str) -> int:
        """The next id of ``table``, never used before in this file: a counter in meta,
        kept past the highest id (stock TinyDB's max + 1 would reuse a deleted one)."""
        if table not in self._next_ids:
            counters = (self._stored("meta", META_ID) or {}).get("next_ids") or {}
            highest = max(map(int, (self.storage.read() or {}).get(table, {})), default=0)
            self._next_ids[table] = max(int(counters.get(table, 1)), highest + 1)
        doc_id = self._next_ids[table]
        self._next_ids[table] = doc_id + 1
        return doc_id

    def _keep_id_counters(self) -> None:
        if self._next_ids:
            meta = self._stored("meta", META_ID) or {}
            counters = {**(meta.get("next_ids") or {}), **self._next_ids}
            if counters != meta.get("next_ids"):
                self.table("meta").update({"next_ids": counters}, doc_ids=[META_ID])

    def _write_doc(self, table: str, doc_id: int | None, doc: dict[str, Any] | None) -> int:
        """Put ``doc`` (None: remove) as the document ``doc_id`` (None: a new one)."""
        assert self._current is not None, "writes happen inside Store.change()"
        if doc_id is None:
            doc_id = self._new_id(table)
        before = self._stored(table, doc_id)
        if before == doc:
            return doc_id  # unchanged: no write, nothing to undo
        self._apply(table, doc_id, before, doc)
        self._current.ops.append(_Op(table, doc_id, before, None if doc is None else dict(doc)))
        return doc_id

    def _apply(self, table: str, doc_id: int, before: dict[str, Any] | None, doc: dict[str, Any] | None) -> None:
        docs = self.table(table)
        if doc is None:
            if before is not None:
                docs.remove(doc_ids=[doc_id])
        elif before is None:
            docs.insert(Document(doc, doc_id=doc_id))
        else:
            docs.update(_replace_with(doc), doc_ids=[doc_id])

    # -- undo and redo
    def undo(self) -> str | None:
        """Undo the latest change made through this store; returns its label (None: nothing
        to undo). Raises Conflict, undoing nothing, when another program changed one of
        its records since."""
        return self._step(self._undo, self._redo, "undo")

    def redo(self) -> str | None:
        return self._step(self._redo, self._undo, "redo")

    def _step(self, source: list[Change], target: list[Change], verb: str) -> str | None:
        if not source:
            return None
        last = source[-1]
        forward = verb == "redo"
        with self._locked(), self.storage.batch():
            for op in last.ops:
                expected = op.before if forward else op.after
                now = self._stored(op.table, op.doc_id)
                if now != expected:
                    source.pop()  # it can never be undone now: do not offer it again
                    what = f"{op.table.replace('_', ' ')} #{op.doc_id}"
                    fields = changed_fields(expected, now)
                    raise Conflict(
                        f"Cannot {verb} '{last.label}': {what} was changed by another program since "
                        f"({', '.join(fields) or 'removed'}); nothing was changed.",
                        fields,
                    )
            for op in last.ops if forward else reversed(last.ops):
                if forward:
                    self._apply(op.table, op.doc_id, op.before, op.after)
                else:
                    self._apply(op.table, op.doc_id, op.after, op.before)
        source.pop()
        target.append(last)
        self._changed()
        return last.label

    def calendar_id(self) -> str:
        """A random id for this database, so calendar UIDs never clash with another file's."""
        meta = self._stored("meta", META_ID) or {}
        return str(meta.get("calendar_id") or "imgtui")

    # -- another program's changes
    def disk_signature(self) -> Signature | None:
        return file_signature(self.path)

    def changed_elsewhere(self, seen: Signature | None) -> bool:
        now = self.disk_signature()
        return now != seen and now != self.storage.last_written

    # -- typed API
    def records(self, cls: type[R], where: QueryLike | None = None) -> list[R]:
        """Every valid record of a kind, or those ``where`` matches (a TinyDB query), in storage
        order (invalid ones go to ``problems``)."""
        self._read_all()  # a damaged file says so as a StoreError
        found: list[R] = []
        table = self.table(cls.TABLE)
        for doc in table.all() if where is None else table.search(where):
            try:
                found.append(cls.from_doc(doc, doc.doc_id))
            except (ValidationError, ValidationErrors) as exc:
                message = f"{cls.TABLE} #{doc.doc_id} skipped: {exc}"
                if message not in self.problems:
                    self.problems.append(message)
        return found

    def profile(self) -> Profile:
        doc = self._stored("profile", 1)
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
            profile = profile.replace(doc_id=1)
        return profile

    def exams(self) -> list[PracticeExam]:
        return sorted(self.records(PracticeExam), key=lambda e: (e.taken, e.doc_id or 0))

    def qbank_days(self) -> list[QbankDay]:
        return sorted(self.records(QbankDay), key=lambda d: (d.day, d.doc_id or 0))

    def sites(self) -> list[UsceSite]:
        return self.records(UsceSite)

    def inquiries(self, site_id: int | None = None) -> list[Inquiry]:
        found = self.records(Inquiry, None if site_id is None else where("site_id") == site_id)
        return sorted(found, key=lambda i: (i.sent, i.doc_id or 0))

    def letters(self, site_id: int | None = None) -> list[Letter]:
        return self.records(Letter, None if site_id is None else where("site_id") == site_id)

    def documents(self, site_id: int | None = None) -> list[SiteDocument]:
        return self.records(SiteDocument, None if site_id is None else where("site_id") == site_id)

    def programs(self) -> list[Program]:
        return self.records(Program)

    def get(self, cls: type[R], doc_id: int) -> R | None:
        doc = self._stored(cls.TABLE, doc_id)
        return cls.from_doc(doc, doc_id) if doc is not None else None

    def save(self, record: R, label: str | None = None, *, expected: Record | None = None) -> R:
        """Insert (no doc_id) or replace a record; returns it with its doc_id.

        ``expected`` is the record as the caller read it: when the stored one differs
        (another program changed it since), Conflict is raised and nothing is written."""
        self._check_links(record)
        kind = type(record).__name__
        with self.change(label or (f"Edit {kind}" if record.doc_id else f"Add {kind}")):
            if expected is not None and record.doc_id is not None:
                self._check_unchanged(expected)
            doc_id = self._write_doc(record.TABLE, record.doc_id, record.to_doc())
        saved: R = record.replace(doc_id=doc_id)
        return saved

    def _check_unchanged(self, expected: Record) -> None:
        assert expected.doc_id is not None
        stored = self._stored(expected.TABLE, expected.doc_id)
        what = expected.describe()
        if stored is None:
            raise Conflict(f"{what} was deleted by another program meanwhile; nothing was saved.")
        # Compared as records: a document written before a field existed reads with its default.
        try:
            now = type(expected).from_doc(stored, expected.doc_id).to_doc()
        except (ValidationError, ValidationErrors):
            now = stored
        if now != expected.to_doc():
            fields = changed_fields(expected.to_doc(), now)
            labels = ", ".join(type(expected).spec(name).label for name in fields if name in expected.field_names())
            raise Conflict(f"{what} was changed by another program meanwhile ({labels}); nothing was saved.", fields)

    def _check_links(self, record: Record) -> None:
        site_id = getattr(record, "site_id", None)
        linked = isinstance(record, (Inquiry, Letter, SiteDocument)) and isinstance(site_id, int)
        if linked and self._stored("usce_sites", int(site_id or 0)) is None:
            raise ValidationErrors([ValidationError("site_id", f"no USCE site #{site_id}")])

    def update_profile(self, values: dict[str, Any], label: str = "Edit profile") -> Profile:
        """Validate ``values`` (all or nothing) and save; counts exam postponements."""
        with self.change(label):
            current = self.profile()
            new: Profile = Profile.from_input(values, base=current)
            later = current.exam_date and new.exam_date and new.exam_date > current.exam_date
            if "exam_delays" not in values and later:
                new = new.replace(exam_delays=current.exam_delays + 1)
            self._write_doc("profile", 1, new.to_doc())
        saved: Profile = new.replace(doc_id=1)
        return saved

    def delete(
        self, cls: type[Record], doc_id: int, label: str | None = None, *, expected: Record | None = None
    ) -> None:
        """Delete a record; a site takes its inquiries and documents with it and unlinks its letters."""
        with self.change(label or f"Delete {cls.__name__} #{doc_id}"):
            if expected is not None:
                self._check_unchanged(expected)
            if cls is UsceSite:
                for inquiry in self.inquiries(doc_id):
                    self._write_doc("inquiries", inquiry.doc_id, None)
                for document in self.documents(doc_id):
                    self._write_doc("documents", document.doc_id, None)
                for letter in self.letters(doc_id):
                    self._write_doc("letters", letter.doc_id, letter.replace(site_id=None).to_doc())
            self._write_doc(cls.TABLE, doc_id, None)

    def save_many(self, records: Sequence[Record], label: str) -> Sequence[Record]:
        """All records in one atomic, undoable change (imports). New records go in with one
        insert per table: TinyDB rewrites a table on every operation."""
        saved: list[Record] = list(records)  # each with its doc_id, in the order given
        with self.change(label) as change:
            new: dict[str, list[int]] = {}  # table: positions of the new records
            for position, record in enumerate(records):
                self._check_links(record)
                if record.doc_id is None:
                    new.setdefault(record.TABLE, []).append(position)
                else:
                    self._write_doc(record.TABLE, record.doc_id, record.to_doc())
            for table, positions in new.items():
                docs = [Document(records[p].to_doc(), doc_id=self._new_id(table)) for p in positions]
                self.table(table).insert_multiple(docs)
                for position, doc in zip(positions, docs, strict=True):
                    saved[position] = records[position].replace(doc_id=doc.doc_id)
                    change.ops.append(_Op(table, doc.doc_id, None, dict(doc)))
        return saved
