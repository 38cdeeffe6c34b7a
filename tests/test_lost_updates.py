"""Another program's change is never lost: the app driven by keys while the command line
writes the same file (a second process, as a quick-log command or an import would)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from imgtui.planner import Planner
from imgtui.records import PracticeExam, UsceSite
from imgtui.store import Store
from imgtui.ui.app import ImgtuiApp
from imgtui.ui.screens.forms import ConflictScreen, RecordForm
from imgtui.ui.widgets.sheet import Sheet

from .conftest import DEMO_DAY, started

SIZE = (80, 24)
WEEKS = 6  # the Weeks column of the USCE sheet


def imgtui(db: Path, *argv: str, stdin: str | None = None) -> None:
    """The command line, in a process of its own, writing the app's file."""
    done = subprocess.run(
        [sys.executable, "-m", "imgtui", *argv, "--db", str(db)], input=stdin, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def set_status_from_a_sheet(db: Path, site: UsceSite, status: str) -> None:
    row = f'"{site.name}","{site.city}",{site.start or ""},{status}'
    imgtui(db, "import-csv", "sites", "-", stdin=f"name,city,start,status\n{row}\n")


def app_on(db: Path) -> tuple[ImgtuiApp, Store]:
    store = Store(db)
    return ImgtuiApp(Planner(store, today=DEMO_DAY), poll_seconds=0), store


async def edit_weeks_while_another_program_changes_the_site(pilot, app: ImgtuiApp, db: Path) -> UsceSite:
    await pilot.press("4")
    await pilot.pause()
    sites = app.pane_screen.query_one("#sites", Sheet)
    metro = next(s for s in app.store.sites() if s.name == "Metro General Hospital")
    sites.select_key(str(metro.doc_id))
    sites.move_cursor(column=WEEKS)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, RecordForm)
    set_status_from_a_sheet(db, metro, "booked")  # meanwhile, an import books the site
    await pilot.press("end", "ctrl+u", "1", "2", "enter")
    await pilot.pause()
    assert isinstance(app.screen, ConflictScreen)
    assert "changed by another program meanwhile (Status)" in app.screen.message
    return metro


async def test_an_editor_saved_after_another_program_changed_the_record_keeps_both_changes(demo_path: Path) -> None:
    app, _ = app_on(demo_path)
    async with started(app, SIZE) as pilot:
        metro = await edit_weeks_while_another_program_changes_the_site(pilot, app, demo_path)
        await pilot.press("m")  # keep mine, on top of theirs
        await pilot.pause()
    after = Store(demo_path).get(UsceSite, metro.doc_id)
    assert (after.weeks, after.status) == (12, "booked")


async def test_taking_theirs_leaves_the_other_programs_version(demo_path: Path) -> None:
    app, _ = app_on(demo_path)
    async with started(app, SIZE) as pilot:
        metro = await edit_weeks_while_another_program_changes_the_site(pilot, app, demo_path)
        await pilot.press("t")
        await pilot.pause()
        assert app.pane_screen.query_one("#sites", Sheet).get_row_at(
            app.pane_screen.query_one("#sites", Sheet).cursor_row
        )[WEEKS].plain == str(metro.weeks or "")
    after = Store(demo_path).get(UsceSite, metro.doc_id)
    assert (after.weeks, after.status) == (metro.weeks, "booked")


async def test_undo_after_another_program_changed_the_record_undoes_nothing(demo_path: Path) -> None:
    app, store = app_on(demo_path)
    async with started(app, SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        sites = app.pane_screen.query_one("#sites", Sheet)
        metro = next(s for s in store.sites() if s.name == "Metro General Hospital")
        sites.select_key(str(metro.doc_id))
        sites.move_cursor(column=WEEKS)
        await pilot.press("enter", "end", "ctrl+u", "9", "enter")
        await pilot.pause()
        assert store.get(UsceSite, metro.doc_id).weeks == 9
        set_status_from_a_sheet(demo_path, metro, "booked")
        await pilot.press("ctrl+z")
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any("Cannot undo 'Edited weeks'" in m and "status" in m for m in shown), shown
    after = Store(demo_path).get(UsceSite, metro.doc_id)
    assert (after.weeks, after.status) == (9, "booked")


async def test_undoing_a_delete_after_a_command_logged_overwrites_nothing(demo_path: Path) -> None:
    app, store = app_on(demo_path)
    async with started(app, SIZE) as pilot:
        exam = store.exams()[0]
        app.action_delete_record("exams", exam.doc_id)
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert store.get(PracticeExam, exam.doc_id) is None
        imgtui(demo_path, "log-exam", "NBME 15", "244", "--date", "2026-11-20")
        await pilot.press("ctrl+z")
        await pilot.pause()
    exams = {(e.form, e.score): e.doc_id for e in Store(demo_path).exams()}
    assert exams[(exam.form, exam.score)] == exam.doc_id and ("NBME 15", 244) in exams
    assert exams[("NBME 15", 244)] != exam.doc_id


async def test_undoing_an_add_that_another_program_updated_since_is_refused(demo_path: Path) -> None:
    app, store = app_on(demo_path)
    async with started(app, SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("a", *"Zed Clinic", "enter")
        await pilot.pause()
        zed = next(s for s in store.sites() if s.name == "Zed Clinic")
        imgtui(demo_path, "import-csv", "sites", "-", stdin="name,city,notes\nZed Clinic,,guaranteed interview\n")
        await pilot.press("ctrl+z")
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any("Cannot undo 'Add site'" in m for m in shown), shown
    assert Store(demo_path).get(UsceSite, zed.doc_id).notes == "guaranteed interview"
