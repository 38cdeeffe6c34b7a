"""Today's cached lines: used only for the very file, date, code and rules they came from."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from imgtui import first_frame
from imgtui.core.overview import build_overview, snapshot_from_store
from imgtui.core.today_item import TodayItem
from imgtui.records import PracticeExam
from imgtui.store import Store, StoreError
from imgtui.ui import app as app_module
from imgtui.ui.app import ImgtuiApp
from imgtui.ui.widgets.sheet import Sheet
from imgtui.ui.widgets.today import TodayPane

from .conftest import DEMO_DAY


def cache_lines(store: Store, rules, day=DEMO_DAY):
    signature = store.disk_signature()
    items = build_overview(snapshot_from_store(store), day, rules).items
    first_frame.write(store.path, signature, {day: items})
    return items


def test_lines_come_back_for_the_same_file_and_day(demo_store: Store, rules) -> None:
    items = cache_lines(demo_store, rules)
    assert items and first_frame.read(demo_store.path, DEMO_DAY) == list(items)
    assert first_frame.read(demo_store.path, DEMO_DAY + timedelta(days=1)) is None


def test_days_kept_for_the_same_file_stay_and_others_go(demo_store: Store, rules) -> None:
    """'imgtui today' in a shell keeps the week the app saved; a change to the file drops it."""
    tomorrow = DEMO_DAY + timedelta(days=1)
    later = cache_lines(demo_store, rules, tomorrow)
    items = cache_lines(demo_store, rules)  # what a CLI command keeps: today's lines only
    assert first_frame.read(demo_store.path, DEMO_DAY) == list(items)
    assert first_frame.read(demo_store.path, tomorrow) == list(later)
    cache_lines(demo_store, rules, tomorrow)  # the next day: the day before is not kept
    assert first_frame.read(demo_store.path, DEMO_DAY) is None
    cache_lines(demo_store, rules)
    demo_store.save(PracticeExam.from_input({"form": "NBME 13", "taken": "2026-11-20", "score": 231}))
    cache_lines(demo_store, rules)
    assert first_frame.read(demo_store.path, DEMO_DAY) is not None
    assert first_frame.read(demo_store.path, tomorrow) is None


def test_the_cache_is_private_like_the_database(demo_store: Store, rules) -> None:
    cache_lines(demo_store, rules)
    assert first_frame.cache_path(demo_store.path).stat().st_mode & 0o777 == 0o600


def test_any_change_to_the_file_makes_them_stale(demo_store: Store, rules) -> None:
    cache_lines(demo_store, rules)
    demo_store.save(PracticeExam.from_input({"form": "NBME 13", "taken": "2026-11-20", "score": 231}))
    assert first_frame.read(demo_store.path, DEMO_DAY) is None


def test_other_code_or_rules_make_them_stale(demo_store: Store, rules, monkeypatch) -> None:
    cache_lines(demo_store, rules)
    monkeypatch.setattr(first_frame, "code_stamp", lambda: 12345)
    assert first_frame.read(demo_store.path, DEMO_DAY) is None


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"key": 1}', b'{"key": {}, "days": []}'])
def test_a_damaged_cache_is_ignored(demo_store: Store, rules, content: bytes) -> None:
    cache_lines(demo_store, rules)
    first_frame.cache_path(demo_store.path).write_bytes(content)
    assert first_frame.read(demo_store.path, DEMO_DAY) is None


def test_lines_computed_while_the_file_changed_are_not_kept(demo_store: Store, rules) -> None:
    before = demo_store.disk_signature()
    items = build_overview(snapshot_from_store(demo_store), DEMO_DAY, rules).items
    demo_store.save(PracticeExam.from_input({"form": "NBME 13", "taken": "2026-11-20", "score": 231}))
    first_frame.write(demo_store.path, before, {DEMO_DAY: items})
    assert not first_frame.cache_path(demo_store.path).exists()


async def test_a_cached_start_draws_the_lines_then_opens_the_database(demo_path: Path, rules, monkeypatch) -> None:
    store = Store(demo_path)
    items = cache_lines(store, rules)
    store.close()
    cached = first_frame.read(demo_path, DEMO_DAY)
    assert cached is not None
    monkeypatch.setattr(app_module, "AHEAD_AFTER_SECONDS", 0.1)
    app = ImgtuiApp(None, today=DEMO_DAY, db_path=demo_path, first_items=cached, poll_seconds=0)
    assert not app.store_opened
    async with app.run_test(size=(100, 32)) as pilot:
        assert app.query_one(TodayPane).items == list(items)  # drawn before the records are read
        await pilot.pause()
        assert app.store_opened and app.overview is not None
        assert app.overview.items == items
        await pilot.press("4")
        await pilot.pause()
        assert app.query_one("#sites", Sheet).row_count == len(app.overview.sites)
        await pilot.pause(0.3 + 8 * app_module.DAY_AHEAD_PAUSE_SECONDS)  # the coming days, once idle
        for ahead in (1, 2, app_module.DAYS_AHEAD):
            later = DEMO_DAY + timedelta(days=ahead)
            expected = build_overview(app.overview.snapshot, later, rules).items
            assert first_frame.read(demo_path, later) == list(expected)
        assert first_frame.read(demo_path, DEMO_DAY + timedelta(days=app_module.DAYS_AHEAD + 1)) is None
    app.store.close()


class FinishedChild:
    """Stands in for first_frame.Preparing: a child that has kept the lines, or failed."""

    def __init__(self, kept: bool) -> None:
        self.kept, self.waited = kept, 0

    def wait(self) -> bool:
        self.waited += 1
        return self.kept


@pytest.mark.parametrize("kept", [True, False])
async def test_the_app_draws_what_the_child_kept_or_reads_the_file_itself(demo_path: Path, rules, kept) -> None:
    store = Store(demo_path)
    if kept:  # what the child leaves behind
        cache_lines(store, rules)
    store.close()
    child = FinishedChild(kept)

    class Watched(ImgtuiApp):
        def _load(self) -> bool:
            self.loaded_after_first_frame = self._first_frame_done
            return super()._load()

    app = Watched(None, today=DEMO_DAY, db_path=demo_path, preparing=child, poll_seconds=0)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert child.waited == 1
        # With the child's lines the first frame comes before the file is opened; without, after.
        assert app.loaded_after_first_frame is kept
        assert app.store_opened and app.overview is not None
        assert app.query_one(TodayPane).items == list(app.overview.items)
    app.store.close()


async def test_a_database_that_fails_to_open_after_a_cached_frame_ends_the_app(tmp_path: Path) -> None:
    folder = tmp_path / "imgtui.json"
    folder.mkdir()  # not a file: the store refuses it
    cached = [TodayItem("phase", "Core phase", "info", "phases", "schedule")]
    app = ImgtuiApp(None, today=DEMO_DAY, db_path=folder, first_items=cached, poll_seconds=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
    assert app.return_code == 2


async def test_enter_on_a_today_line_mounts_its_pane_and_arrives_once_it_is_composed(demo_path: Path) -> None:
    app = ImgtuiApp(Store(demo_path), today=DEMO_DAY, poll_seconds=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert app.overview is not None
        assert not app.query("#usce-pane")  # panes other than Today come when first shown
        item = next(line for line in app.overview.items if line.kind == "follow_up")
        app.query_one(TodayPane).post_message(TodayPane.Goto(item))
        await pilot.pause()
        await pilot.pause()
        assert app.active_pane == "usce"
        assert app.focused is not None and app.focused.id == "inquiries"
        assert app.query_one("#sites", Sheet).current_key == str(item.record_id)
    app.store.close()


# -- computing the lines in a child process while the UI is imported

PREPARE_SCRIPT = """
import sys
from datetime import date
from pathlib import Path
from imgtui import first_frame
preparing = first_frame.prepare_elsewhere(Path(sys.argv[1]), date.fromisoformat(sys.argv[2]))
print("none" if preparing is None else preparing.wait())
"""


def prepare_in_subprocess(db: Path, day=DEMO_DAY, cpus: str | None = None) -> str:
    """Run prepare_elsewhere in a fresh process: forking the test runner itself is not safe."""
    import subprocess
    import sys

    command = [sys.executable, "-c", PREPARE_SCRIPT, str(db), day.isoformat()]
    if cpus is not None:
        command = ["taskset", "-c", cpus, *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_child_process_computes_the_missing_lines(demo_store: Store, rules) -> None:
    expected = build_overview(snapshot_from_store(demo_store), DEMO_DAY, rules).items
    assert first_frame.read(demo_store.path, DEMO_DAY) is None
    assert prepare_in_subprocess(demo_store.path) == "True"
    assert first_frame.read(demo_store.path, DEMO_DAY) == list(expected)
    assert prepare_in_subprocess(demo_store.path) == "none"  # cached now: no child


def test_a_file_that_needs_repair_is_left_to_the_normal_open(demo_path: Path) -> None:
    demo_path.write_bytes(b'{"profile": {"1": {"graduation_year": 20')  # cut short
    assert prepare_in_subprocess(demo_path) == "False"
    assert demo_path.read_bytes() == b'{"profile": {"1": {"graduation_year": 20'
    assert not first_frame.cache_path(demo_path).exists()
    assert sorted(p.name for p in demo_path.parent.iterdir()) == ["demo.json"]  # nothing moved aside


def test_with_one_cpu_no_child_is_started(demo_store: Store) -> None:
    import shutil

    if shutil.which("taskset") is None:
        pytest.skip("taskset is not installed")
    assert prepare_in_subprocess(demo_store.path, cpus="0") == "none"
    assert first_frame.read(demo_store.path, DEMO_DAY) is None


def test_a_read_only_store_reads_and_refuses_to_write(demo_store: Store, rules) -> None:
    before = demo_store.path.read_bytes()
    reader = Store(demo_store.path, read_only=True)
    assert reader.sites() == demo_store.sites() and reader.profile() == demo_store.profile()
    exam = PracticeExam.from_input({"form": "NBME 13", "taken": "2026-11-20", "score": 231})
    with pytest.raises(StoreError, match="reading only"):
        reader.save(exam)
    with pytest.raises(StoreError, match="reading only"):
        reader.storage.write_atomic({})
    assert demo_store.path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (None, "does not exist"),
        (b"[1, 2]", "needs repair"),
        (b'{"meta": {"1": {"schema_version": 1}}, "practice_exams": {}}', "needs an upgrade"),
        (b'{"practice_exams": {}}', "needs an upgrade"),
    ],
)
def test_a_read_only_open_refuses_what_the_normal_open_would_change(tmp_path: Path, content, said) -> None:
    db = tmp_path / "imgtui.json"
    if content is not None:
        db.write_bytes(content)
    with pytest.raises(StoreError, match=said):
        Store(db, read_only=True)
    assert (db.read_bytes() if content is not None else None) == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if content is None else ["imgtui.json"])


def test_no_child_is_started_before_the_database_exists(tmp_path: Path) -> None:
    assert prepare_in_subprocess(tmp_path / "new.json") == "none"
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_open_finds_a_damaged_document_when_its_records_are_read(demo_store: Store) -> None:
    demo_store.save(PracticeExam.from_input({"form": "NBME 13", "taken": "2026-11-20", "score": 231}))
    raw = demo_store.path.read_bytes()  # written one document per line now
    line = next(line for line in raw.split(b"\n") if line.startswith(b'"1":{"name"'))  # a site
    demo_store.path.write_bytes(raw.replace(line, line.replace(b'"name"', b'"na\x00me"')))
    reader = Store(demo_store.path, read_only=True)  # documents are not checked one by one here
    assert reader.exams()  # other tables read fine
    with pytest.raises(StoreError, match=r"needs repair \(usce_sites #1 is not valid JSON\)"):
        reader.sites()
    assert prepare_in_subprocess(demo_store.path) == "False"  # the child gives up; the normal open repairs


def test_no_child_is_started_for_a_folder(tmp_path: Path) -> None:
    """Not a file: the normal open refuses it before the app takes the screen."""
    folder = tmp_path / "imgtui.json"
    folder.mkdir()
    assert prepare_in_subprocess(folder) == "none"


async def test_collections_started_off_come_back_on_at_the_first_frame(demo_path: Path) -> None:
    """cli.cmd_app starts the app with the cyclic collector off; the first frame turns it on."""
    import gc

    gc.disable()
    try:
        app = ImgtuiApp(Store(demo_path), today=DEMO_DAY, poll_seconds=0)
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            assert app.query_one(TodayPane).items  # the first frame with Today's lines
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0  # start-up's objects kept out of later passes
        app.store.close()
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_first_frame_stamp_that_cannot_be_written_ends_with_a_message(demo_path: Path, tmp_path: Path) -> None:
    """The benchmark's IMGTUI_FIRST_FRAME_STAMP naming a folder that is not there: status 2 and why."""
    import os
    import subprocess
    import sys

    env = {**os.environ, app_module.FIRST_FRAME_STAMP: str(tmp_path / "missing" / "stamp"), "HOME": str(tmp_path)}
    env[app_module.EXIT_AFTER_FIRST_FRAME] = "0"
    done = subprocess.run(
        [sys.executable, "-m", "imgtui", "--db", str(demo_path), "--today", DEMO_DAY.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "IMGTUI_FIRST_FRAME_STAMP" in done.stderr and "No such file or directory" in done.stderr
