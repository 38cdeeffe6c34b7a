"""The store: atomic writes, backups, recovery, migration, locking, undo, crash safety."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from imgtui.records import PracticeExam, QbankDay, UsceSite, ValidationErrors
from imgtui.storage import SCHEMA_VERSION, pack, parse_database
from imgtui.store import SchemaTooNew, Store, StoreError, default_db_path

HELPERS = Path(__file__).parent / "helpers"


def exam(score: int = 230, form: str = "NBME 12", taken: str = "2026-11-01") -> PracticeExam:
    return PracticeExam.from_input({"form": form, "taken": taken, "score": score})


def test_new_file_has_all_tables_and_opens_in_stock_tinydb(store: Store, db_path: Path) -> None:
    store.save(exam())
    db = TinyDB(db_path)
    assert {"profile", "practice_exams", "qbank_days", "usce_sites", "inquiries", "letters", "meta"} <= db.tables()
    assert db.table("meta").all()[0]["schema_version"] == SCHEMA_VERSION
    assert db.table("practice_exams").all()[0]["score"] == 230
    db.close()


def test_every_change_is_on_disk_at_once_and_previous_version_kept(store: Store, db_path: Path) -> None:
    first = store.save(exam(230))
    store.save(first.replace(score=241))
    on_disk = json.loads(db_path.read_text())
    assert on_disk["practice_exams"][str(first.doc_id)]["score"] == 241
    backup = json.loads(db_path.with_name(db_path.name + ".bak").read_text())
    assert backup["practice_exams"][str(first.doc_id)]["score"] == 230


def test_default_path_follows_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("IMGTUI_DB", str(tmp_path / "x.json"))
    assert default_db_path() == tmp_path / "x.json"
    monkeypatch.delenv("IMGTUI_DB")
    assert default_db_path().name == "imgtui.json" and "imgtui" in str(default_db_path().parent)


def test_invalid_record_is_refused_and_nothing_written(store: Store, db_path: Path) -> None:
    store.save(exam())
    before = db_path.read_bytes()
    with pytest.raises(ValidationErrors) as info:
        store.update_profile({"graduation_year": "20x4"})
    assert info.value.errors[0].field == "graduation_year"
    assert "1960" in info.value.errors[0].message
    assert db_path.read_bytes() == before


def test_profile_update_is_all_or_nothing(store: Store) -> None:
    store.update_profile({"specialty": "IM"})
    with pytest.raises(ValidationErrors) as info:
        store.update_profile({"specialty": "peds", "visa": "tourist"})
    assert [e.field for e in info.value.errors] == ["visa"]
    assert store.profile().specialty == "internal_medicine"


def test_exam_postponements_are_counted(store: Store) -> None:
    store.update_profile({"study_start": "2026-09-01", "exam_date": "2027-02-01"})
    store.update_profile({"exam_date": "2027-03-01"})
    store.update_profile({"exam_date": "2027-02-15"})
    store.update_profile({"exam_date": "2027-04-01"})
    assert store.profile().exam_delays == 2


def test_undo_restores_inserts_updates_and_deletes(store: Store) -> None:
    site = store.save(UsceSite.from_input({"name": "Mercy", "city": "Chicago, IL"}))
    store.save(site.replace(status="contacted"))
    store.delete(UsceSite, site.doc_id)
    assert store.sites() == []
    assert store.undo() is not None
    assert store.sites()[0].status == "contacted"
    store.undo()
    assert store.sites()[0].status == "idea"
    store.undo()
    assert store.sites() == []
    assert store.undo() is None


def test_undo_keeps_at_least_twenty_changes(store: Store) -> None:
    for n in range(25):
        store.save(exam(200 + n))
    for _ in range(20):
        assert store.undo() is not None
    assert len(store.exams()) == 5


def test_site_delete_takes_inquiries_and_undo_brings_them_back(store: Store) -> None:
    from imgtui.records import Inquiry

    site = store.save(UsceSite.from_input({"name": "Mercy"}))
    store.save(Inquiry.from_input({"site_id": site.doc_id, "sent": "2026-11-01"}))
    store.delete(UsceSite, site.doc_id)
    assert store.inquiries() == []
    store.undo()
    assert len(store.inquiries()) == 1 and len(store.sites()) == 1


def test_leftover_temp_files_are_swept_on_open(db_path: Path) -> None:
    Store(db_path).close()
    leftover = db_path.parent / f".{db_path.name}.tmp-999-deadbeef"
    leftover.write_text("{half a write")
    Store(db_path).close()
    assert not leftover.exists()


# ---------------------------------------------------------------- damaged files


def _good_store_with_backup(db_path: Path) -> None:
    s = Store(db_path)
    s.save(exam(230))
    s.save(exam(240, "NBME 13"))  # the .bak now holds the file with one exam
    s.close()


DAMAGE = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "garbage": lambda raw: b"\x00\xff garbage \x13" * 50,
    "empty": lambda raw: b"",
    "wrong shape": lambda raw: b'{"practice_exams": [1, 2, 3]}',
    "json list": lambda raw: b"[1, 2, 3]",
    # The file is read line by line: damage inside one document, or a line lost, is found at open too.
    "garbled document": lambda raw: raw.replace(b'"form":"NBME 12"', b'"form":"NBME\x0012"'),
    "lost line": lambda raw: b"\n".join(line for line in raw.split(b"\n") if line != b'"practice_exams":{'),
}


@pytest.mark.parametrize("kind", DAMAGE)
def test_damaged_file_is_moved_aside_and_backup_restored(db_path: Path, kind: str) -> None:
    _good_store_with_backup(db_path)
    damaged = DAMAGE[kind](db_path.read_bytes())
    db_path.write_bytes(damaged)
    s = Store(db_path)
    assert len(s.notices) == 1 and "restored" in s.notices[0]
    assert [e.score for e in s.exams()] == [230]  # the backup's content
    aside = list(db_path.parent.glob(db_path.name + ".corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged
    assert aside[0].name in s.notices[0]
    s.close()


@pytest.mark.parametrize("kind", [k for k in DAMAGE if k != "empty"])
def test_damaged_file_without_backup_starts_empty_after_saying_so(db_path: Path, kind: str) -> None:
    s = Store(db_path)
    s.save(exam())
    s.close()
    db_path.with_name(db_path.name + ".bak").unlink()
    damaged = DAMAGE[kind](db_path.read_bytes())
    db_path.write_bytes(damaged)
    s = Store(db_path)
    assert "no good backup" in s.notices[0] and "empty" in s.notices[0]
    assert s.exams() == []
    aside = list(db_path.parent.glob(db_path.name + ".corrupt-*"))
    assert aside[0].read_bytes() == damaged
    s.close()


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_a_damaged_file_without_backup_gives_back_every_record_still_readable(db_path: Path, cut: float) -> None:
    """No backup (a first save, or both files hit): the intact lines are read back, not dropped."""
    s = Store(db_path)
    for n in range(20):
        s.save(exam(200 + n, f"NBME {9 + n % 7}"))
    s.close()
    db_path.with_name(db_path.name + ".bak").unlink()
    raw = db_path.read_bytes()
    damaged = raw[: int(len(raw) * cut)]  # cut short mid-line: the rest of the records are gone
    db_path.write_bytes(damaged)
    whole_lines = [line for line in damaged.split(b"\n") if line.endswith((b"}", b"},"))]
    expected = [200 + n for n in range(20) if any(f'"score":{200 + n},'.encode() in line for line in whole_lines)]
    assert 0 < len(expected) < 20
    s = Store(db_path)
    assert "no good backup" in s.notices[0] and f"read back {len(expected)} records" in s.notices[0]
    last_line_lost = not damaged.split(b"\n")[-1].endswith((b"}", b"},"))  # unless cut right after a document
    assert ("1 damaged line could not be read" in s.notices[0]) == last_line_lost
    assert sorted(e.score for e in s.exams()) == expected
    aside = list(db_path.parent.glob(db_path.name + ".corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged
    s.save(exam(250, "UWSA 1"))  # and the store goes on as usual
    s.close()
    assert len(TinyDB(db_path).table("practice_exams")) == len(expected) + 1


def test_a_file_cut_in_its_closing_braces_loses_no_record(db_path: Path) -> None:
    s = Store(db_path)
    for n in range(5):
        s.save(exam(220 + n))
    s.close()
    db_path.with_name(db_path.name + ".bak").unlink()
    db_path.write_bytes(db_path.read_bytes()[:-2])
    s = Store(db_path)
    assert "read back 5 records from it. Check" in s.notices[0]
    assert sorted(e.score for e in s.exams()) == [220, 221, 222, 223, 224]
    s.close()


def test_salvage_keeps_only_documents_under_their_table() -> None:
    from imgtui.storage import salvage_documents

    raw = b'{\n"meta":{\n"1":{"schema_version":2}\n},\n"practice_exams":{\n"1":{"form":"NBME 9"},\n"2":{"fo\n'
    tables, lost = salvage_documents(raw)
    assert tables == {"meta": {"1": {"schema_version": 2}}, "practice_exams": {"1": {"form": "NBME 9"}}}
    assert lost == 1
    # a lost header: the documents after it are not put in the table before it
    headless = raw.replace(b'"practice_exams":{\n', b"")
    tables, lost = salvage_documents(headless)
    assert tables == {"meta": {"1": {"schema_version": 2}}} and lost == 2


def test_damaged_file_and_damaged_backup(db_path: Path) -> None:
    _good_store_with_backup(db_path)
    db_path.write_bytes(b"{")
    db_path.with_name(db_path.name + ".bak").write_bytes(b"nope")
    s = Store(db_path)
    assert "no good backup" in s.notices[0]
    assert s.exams() == []
    s.close()


def test_empty_new_file_without_backup_is_just_new(db_path: Path) -> None:
    db_path.write_bytes(b"")
    s = Store(db_path)
    assert s.notices == []
    s.close()


# ---------------------------------------------------------------- schema


def test_older_schema_is_migrated_with_a_copy_kept(db_path: Path) -> None:
    v1 = {
        "practice_exams": {"1": {"name": "NBME 10", "date": "2026-10-01", "score": 219, "notes": ""}},
        "qbank_days": {"1": {"date": "2026-10-02", "done": 40, "correct": 22}},
        "meta": {"1": {"schema_version": 1}},
    }
    raw = json.dumps(v1).encode()
    db_path.write_bytes(raw)
    s = Store(db_path)
    assert [(e.form, str(e.taken), e.score) for e in s.exams()] == [("NBME 10", "2026-10-01", 219)]
    assert s.qbank_days()[0].mode == "timed_random"
    copies = list(db_path.parent.glob(db_path.name + ".schema-v1-*"))
    assert len(copies) == 1 and copies[0].read_bytes() == raw
    assert TinyDB(db_path).table("meta").all()[0]["schema_version"] == SCHEMA_VERSION
    s.close()


def test_newer_schema_is_refused_and_never_rewritten(db_path: Path) -> None:
    raw = json.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}, "practice_exams": {}}).encode()
    db_path.write_bytes(raw)
    with pytest.raises(SchemaTooNew) as info:
        Store(db_path)
    assert "newer imgtui" in str(info.value)
    assert db_path.read_bytes() == raw


# ---------------------------------------------------------------- other processes


def test_changes_from_another_store_are_seen_and_kept(db_path: Path) -> None:
    app = Store(db_path)
    seen = app.disk_signature()
    other = Store(db_path)
    other.save(exam(222))
    assert app.changed_elsewhere(seen)
    app.save(exam(233, "NBME 13"))  # re-reads before writing: 222 survives
    assert sorted(e.score for e in Store(db_path).exams()) == [222, 233]
    app.close()
    other.close()


def test_two_processes_writing_200_changes_each(db_path: Path) -> None:
    Store(db_path).close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    procs = [
        subprocess.Popen([sys.executable, str(HELPERS / "two_writers.py"), str(db_path), tag, "200"], env=env)
        for tag in ("a", "b")
    ]
    for proc in procs:
        assert proc.wait(timeout=300) == 0
    notes = [e.notes for e in Store(db_path).exams()]
    assert len(notes) == 400
    assert set(notes) == {f"{t}-{n}" for t in "ab" for n in range(200)}


def test_lock_timeout_is_reported(db_path: Path) -> None:
    Store(db_path).close()
    holder = Store(db_path).lock  # another writer, holding the lock meanwhile
    holder.acquire()
    try:
        with pytest.raises(
            StoreError, match=r"being changed by another imgtui process, which held it for more than 0\.2s"
        ):
            Store(db_path, lock_timeout=0.2)
    finally:
        holder.release()
    Store(db_path, lock_timeout=0.2).close()  # released: the next open takes it


def test_the_lock_is_the_one_filelock_takes(db_path: Path) -> None:
    """Older imgtui versions (and other tools) lock the database with the filelock package."""
    pytest.importorskip("fcntl")
    filelock = pytest.importorskip("filelock")

    Store(db_path).close()
    holder = filelock.FileLock(str(db_path) + ".lock")
    holder.acquire()
    try:
        with pytest.raises(StoreError, match="being changed by another imgtui process"):
            Store(db_path, lock_timeout=0.2)
    finally:
        holder.release()
    mine = Store(db_path).lock
    mine.acquire()
    try:
        with pytest.raises(filelock.Timeout):
            filelock.FileLock(str(db_path) + ".lock", timeout=0.2).acquire()
    finally:
        mine.release()


# ---------------------------------------------------------------- crash safety


def _acks(path: Path) -> list[tuple[str, int, int]]:
    out = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 3:  # a torn last line is not an acknowledgement
            out.append((parts[0], int(parts[1]), int(parts[2])))
    return out


def test_sigkill_during_writes_never_loses_an_acknowledged_change(db_path: Path, tmp_path: Path) -> None:
    seed_store = Store(db_path)
    seed_store.save_many(
        [QbankDay.from_input({"day": "2026-01-01", "done": 1, "correct": 0}) for _ in range(3000)], "seed"
    )
    seed_store.close()
    expected = {n: 1 for n in range(1, 3001)}
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    rng = random.Random(7)
    kills = 0
    for run in range(50):
        ack = tmp_path / f"ack-{run}"
        ack.write_text("")
        proc = subprocess.Popen([sys.executable, str(HELPERS / "writer.py"), str(db_path), str(ack), str(run)], env=env)
        deadline = time.time() + 60
        while ack.stat().st_size == 0 and time.time() < deadline and proc.poll() is None:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        db = TinyDB(db_path)  # stock TinyDB must read it
        docs = {doc.doc_id: doc["done"] for doc in db.table("qbank_days").all()}
        db.close()
        for _op, doc_id, done in _acks(ack):
            expected[doc_id] = done
        missing = [d for d in expected if d not in docs]
        assert not missing, f"run {run}: acknowledged inserts lost: {missing[:5]}"
        mismatched = [d for d in expected if docs[d] != expected[d]]
        # The one write in flight at the kill may have landed without its acknowledgement.
        assert len(mismatched) <= 1, f"run {run}: acknowledged updates lost: {mismatched[:5]}"
        expected.update({d: docs[d] for d in mismatched})
        expected.update({d: v for d, v in docs.items() if d not in expected})
    assert kills == 50
    Store(db_path).close()
    assert not list(db_path.parent.glob(f".{db_path.name}.tmp-*"))


def test_a_hand_edited_invalid_record_is_skipped_and_reported(db_path: Path) -> None:
    s = Store(db_path)
    s.save(exam(230))
    s.close()
    data = json.loads(db_path.read_text())
    data["practice_exams"]["2"] = {"form": "NBME 13", "taken": "2026-11-02", "score": 999, "notes": ""}
    db_path.write_text(json.dumps(data))
    s = Store(db_path)
    assert [e.score for e in s.exams()] == [230]
    assert any("practice_exams #2 skipped" in p and "score" in p for p in s.problems)
    s.close()


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)


def test_a_change_that_changes_nothing_writes_nothing_and_is_not_undone(store: Store, db_path: Path) -> None:
    store.update_profile({"graduation_year": "2020"})
    stamp = db_path.stat().st_mtime_ns
    store.update_profile({"graduation_year": "2020"})
    assert db_path.stat().st_mtime_ns == stamp
    assert store.undo() is not None and store.profile().graduation_year is None
    assert store.undo() is None


def test_a_failed_write_leaves_the_file_as_it_was(store: Store, db_path: Path, monkeypatch) -> None:
    store.save(exam(230))
    before = db_path.read_bytes()
    real_replace = os.replace

    def failing_replace(src, dst):  # the final rename fails, e.g. disk trouble
        if Path(dst) == db_path:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(StoreError, match=f"cannot save {db_path}: No space left on device; nothing was changed"):
        store.save(exam(240, "NBME 13"))
    monkeypatch.setattr(os, "replace", real_replace)
    assert db_path.read_bytes() == before
    assert not list(db_path.parent.glob(f".{db_path.name}.tmp-*"))
    assert [e.score for e in store.exams()] == [230]


def test_a_change_that_fails_midway_leaves_the_view_as_the_file_is(store: Store, db_path: Path) -> None:
    store.save(exam(230))
    with pytest.raises(RuntimeError), store.change("half a change"):
        store.save(exam(240, "NBME 13"))
        raise RuntimeError("the second half failed")
    assert [e.score for e in store.exams()] == [230]
    assert [e.score for e in Store(db_path).exams()] == [230]
    assert store.undo() is not None and store.exams() == []


def test_an_import_of_thousands_of_rows_is_one_linear_change(store: Store, db_path: Path) -> None:
    sites = store.save_many([UsceSite.from_input({"name": f"Site {n}"}) for n in range(3000)], "import")
    assert [s.doc_id for s in sites] == list(range(1, 3001))
    assert len(TinyDB(db_path).table("usce_sites")) == 3000
    assert store.undo() == "import" and store.sites() == []


# -- the file's layout: one document per line, plain JSON

TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
DOCS = st.dictionaries(
    st.integers(1, 10_000).map(str),
    st.dictionaries(TEXT, st.one_of(TEXT, st.integers(-(2**53), 2**53), st.booleans(), st.none()), max_size=4),
    max_size=5,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(TEXT, DOCS, max_size=4))
def test_the_file_is_one_document_per_line_and_reads_back_the_same(data: dict) -> None:
    raw = pack({name: dict(docs) for name, docs in data.items()})
    assert orjson.loads(raw) == data == parse_database(raw)  # plain JSON: stock TinyDB reads it
    documents = sum(len(docs) for docs in data.values())
    assert raw.count(b"\n") == 2 + 2 * len(data) + documents  # braces, a header and a closer a table, a line a document


@pytest.mark.parametrize("indent", [None, 2])
def test_a_file_written_by_stock_tinydb_is_read_then_written_per_line(db_path: Path, indent) -> None:
    stock = TinyDB(db_path, indent=indent)  # another program, or an older imgtui
    stock.table("meta").insert({"schema_version": SCHEMA_VERSION})
    stock.table("practice_exams").insert({"form": "NBME 12", "taken": "2026-11-01", "score": 230})
    stock.close()
    s = Store(db_path)
    assert [e.score for e in s.exams()] == [230] and not s.notices
    s.save(exam(240, "NBME 13"))
    raw = db_path.read_bytes()
    assert b'\n"2":{"form":"NBME 13"' in raw
    assert [d["score"] for d in TinyDB(db_path).table("practice_exams").all()] == [230, 240]
    s.close()


def test_pack_escapes_a_key_that_is_not_a_number() -> None:
    data = {"t": {'a"b\n': {"x": 1}, "7": {"y": 2}}}  # not made by imgtui, but never broken JSON
    assert orjson.loads(pack(data)) == {"t": {'a"b\n': {"x": 1}, "7": {"y": 2}}}


def test_a_change_saved_while_a_table_is_unread_keeps_its_documents(store: Store, db_path: Path) -> None:
    store.save_many([UsceSite.from_input({"name": f"Site {n}", "city": "Tampa, FL"}) for n in range(5)], "sites")
    fresh = Store(db_path)  # nothing read yet: every table is only an index into the file
    fresh.save(exam(240))
    fresh.delete(UsceSite, 3)
    assert [s.name for s in Store(db_path).sites()] == ["Site 0", "Site 1", "Site 3", "Site 4"]
    restored = ["Site 0", "Site 1", "Site 3", "Site 4", "Site 2"]  # an undone delete comes back last, as in a dict
    assert fresh.undo() is not None and [s.name for s in fresh.sites()] == restored
    assert [s["name"] for s in TinyDB(db_path).table("usce_sites").all()] == restored
    assert [s.name for s in Store(db_path).sites()] == restored and fresh.get(UsceSite, 3).name == "Site 2"
    fresh.close()


# ---------------------------------------------------------------- another program's changes are never lost


def test_a_save_from_a_stale_copy_is_refused_and_names_the_fields(db_path: Path) -> None:
    from imgtui.store import Conflict

    app, other = Store(db_path), Store(db_path)
    site = app.save(UsceSite.from_input({"name": "Mercy", "weeks": 4}))
    opened = app.get(UsceSite, site.doc_id)  # an editor opens on it
    other.save(other.get(UsceSite, site.doc_id).replace(status="booked", notes="guaranteed interview"))
    before = db_path.read_bytes()
    with pytest.raises(Conflict, match=r"changed by another program meanwhile \(Status, Notes\)") as info:
        app.save(opened.replace(weeks=6), expected=opened)
    assert set(info.value.fields) == {"status", "notes"} and db_path.read_bytes() == before
    with pytest.raises(Conflict, match="deleted by another program"):
        other.delete(UsceSite, site.doc_id)
        app.delete(UsceSite, site.doc_id, expected=opened)


def test_undo_never_reverts_a_record_another_program_changed_since(db_path: Path) -> None:
    from imgtui.store import Conflict

    app, other = Store(db_path), Store(db_path)
    site = app.save(UsceSite.from_input({"name": "Mercy"}))
    app.save(site.replace(weeks=8))
    other.save(other.get(UsceSite, site.doc_id).replace(status="contacted"))
    with pytest.raises(Conflict, match="Cannot undo 'Edit UsceSite': usce sites #1 was changed by another program"):
        app.undo()
    assert app.get(UsceSite, site.doc_id).status == "contacted" and app.get(UsceSite, site.doc_id).weeks == 8
    with pytest.raises(Conflict, match="Cannot undo 'Add UsceSite'"):  # the older change touched it too
        app.undo()
    assert app.undo() is None and app.get(UsceSite, site.doc_id).status == "contacted"


def test_ids_are_never_reused_so_an_undone_delete_overwrites_nothing(db_path: Path) -> None:
    app, other = Store(db_path), Store(db_path)
    first = app.save(exam(230))
    app.delete(PracticeExam, first.doc_id)
    logged = other.save(exam(241, "NBME 13"))  # the command line logs meanwhile
    assert logged.doc_id != first.doc_id
    assert app.undo() is not None
    assert sorted((e.doc_id, e.score) for e in Store(db_path).exams()) == [(first.doc_id, 230), (logged.doc_id, 241)]


def test_redo_reapplies_what_undo_took_back(store: Store) -> None:
    saved = store.save(exam(230))
    store.save(saved.replace(score=240))
    assert store.undo() == "Edit PracticeExam" and store.exams()[0].score == 230
    assert store.redo() == "Edit PracticeExam" and store.exams()[0].score == 240
    assert store.redo() is None
    store.undo()
    store.save(exam(250, "NBME 13"))  # a new change: nothing is left to redo
    assert store.redo() is None


def test_a_symlinked_database_is_changed_in_place_of_its_target(tmp_path: Path) -> None:
    target = tmp_path / "synced" / "imgtui.json"
    target.parent.mkdir()
    link = tmp_path / "imgtui.json"
    link.symlink_to(target)
    store = Store(link)
    store.save(exam(230))
    store.save(exam(231))
    assert link.is_symlink() and target.is_file() and not target.with_name("imgtui.json.bak").is_symlink()
    assert [e.score for e in Store(target).exams()] == [230, 231]


def test_a_read_only_database_is_read_and_never_replaced(tmp_path: Path) -> None:
    db = tmp_path / "imgtui.json"
    Store(db).save(exam(230))
    db.chmod(0o444)
    before = db.read_bytes()
    try:
        store = Store(db)  # root too: the owner made it read-only
        assert store.read_only and [e.score for e in store.exams()] == [230]
        with pytest.raises(StoreError, match="read-only"):
            store.save(exam(240))
        assert db.read_bytes() == before and oct(db.stat().st_mode)[-3:] == "444"
    finally:
        db.chmod(0o600)


@pytest.fixture
def read_only_mount(tmp_path: Path):
    """A folder on a file system mounted read-only (a tmpfs), where the machine allows it."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("cannot mount a file system here (needs root in a namespace that allows it)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_reports_and_exports_work_on_a_read_only_file_system_and_changes_are_refused(
    read_only_mount: Path, demo_path: Path
) -> None:
    db = read_only_mount / "imgtui.json"
    db.write_bytes(demo_path.read_bytes())
    subprocess.run(["mount", "-o", "remount,ro", str(read_only_mount)], check=True)
    before = db.read_bytes()

    def imgtui(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "imgtui", *argv, "--db", str(db)], capture_output=True, text=True)

    for argv in (["today"], ["decision", "--json"], ["advice"], ["export-csv", "sites", "-"], ["profile"]):
        done = imgtui(*argv)
        assert done.returncode == 0 and done.stdout, (argv, done.stderr)
    refused = imgtui("log-qbank", "40", "30")
    assert refused.returncode == 2 and "read-only" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == before and not list(read_only_mount.glob("*.lock"))


def _check_kill(db_path: Path, acknowledged: dict[int, int], run: int) -> None:
    db = TinyDB(db_path)  # stock TinyDB must read the file after every kill
    docs = {doc.doc_id: doc["done"] for doc in db.table("qbank_days").all()}
    db.close()
    lost = {doc_id: done for doc_id, done in acknowledged.items() if docs.get(doc_id) != done}
    assert not lost, f"kill {run}: acknowledged saves lost: {list(lost.items())[:5]}"


@pytest.mark.slow
def test_sigkill_of_the_quick_log_commands_and_the_app_never_loses_an_acknowledged_save(
    db_path: Path, tmp_path: Path
) -> None:
    """260 kills: 200 of `imgtui log-qbank` at a random moment (an exit 0 is the acknowledgement)
    and 60 of the real app saving through its own write path. With the 50 kills of the store's
    writer above, over 300 in all."""
    Store(db_path).close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    rng = random.Random(11)
    acknowledged: dict[int, int] = {}
    kills = app_saves = 0
    for run in range(200):
        done = 1 + run
        proc = subprocess.Popen(
            [sys.executable, "-m", "imgtui", "log-qbank", str(done), "0", "--date", "2026-11-20", "--db", str(db_path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        kills += 1
        if proc.returncode == 0:  # it finished first: the save was acknowledged
            doc_id = int(out.split("(#")[1].split(")")[0])
            acknowledged[doc_id] = done
        _check_kill(db_path, acknowledged, run)
    for run in range(60):
        ack = tmp_path / f"app-ack-{run}"
        ack.write_text("")
        proc = subprocess.Popen(
            [sys.executable, str(HELPERS / "app_writer.py"), str(db_path), str(ack)],
            env={**env, "TERM": "dumb"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 30
        while ack.stat().st_size == 0 and time.time() < deadline and proc.poll() is None:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        for line in ack.read_text().splitlines():
            parts = line.split()
            if len(parts) == 2:  # a torn last line is not an acknowledgement
                acknowledged[int(parts[0])] = int(parts[1])
                app_saves += 1
        _check_kill(db_path, acknowledged, 200 + run)
    assert kills == 260 and len(acknowledged) > 100 and app_saves > 60
    Store(db_path).close()
    assert not list(db_path.parent.glob(f".{db_path.name}*.tmp-*"))


def test_a_record_stored_before_a_field_existed_is_not_a_conflict(db_path: Path) -> None:
    """A site written before 'full_time' existed reads with its default: saving an edit of it
    is not 'changed by another program'."""
    store = Store(db_path)
    site = store.save(UsceSite.from_input({"name": "Lakeside", "weeks": 4}))
    data = json.loads(db_path.read_text())
    del data["usce_sites"][str(site.doc_id)]["full_time"]  # as an older imgtui wrote it
    db_path.write_text(json.dumps(data))
    opened = store.get(UsceSite, site.doc_id)
    store.save(opened.replace(weeks=7), expected=opened)
    assert store.get(UsceSite, site.doc_id).weeks == 7


def test_opening_reads_and_parses_the_file_once(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The damage check's parse is the storage's first read: a start does not parse every
    document twice. A change on disk afterwards is still read."""
    import imgtui.storage
    import imgtui.store

    first = Store(db_path)
    first.save(PracticeExam.from_input({"form": "NBME 11", "taken": "2026-10-01", "score": 221}))
    first.close()
    calls: list[int] = []

    def counted(raw: bytes):
        calls.append(len(raw))
        return parse_database(raw)

    monkeypatch.setattr(imgtui.store, "parse_database", counted)
    monkeypatch.setattr(imgtui.storage, "parse_database", counted)
    reopened = Store(db_path)
    assert [e.score for e in reopened.exams()] == [221] and len(calls) == 1
    other = Store(db_path)
    other.save(PracticeExam.from_input({"form": "NBME 12", "taken": "2026-10-15", "score": 226}))
    assert [e.score for e in reopened.exams()] == [221, 226]  # another program's write is read
