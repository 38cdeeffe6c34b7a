"""Snapshot tests guard the layout: every pane, form and screen at 80x24 and 100x32, on the demo
(and a new user's empty file) at a fixed date."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from imgtui.core.rules import data_dir
from imgtui.store import Store
from imgtui.ui.app import ImgtuiApp

from .conftest import DEMO_DAY, loaded


@pytest.fixture
def demo_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # A relative path keeps the header (which names the file) identical between runs.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("IMGTUI_CONFIG", str(tmp_path / "config"))  # the shipped templates only
    shutil.copy(data_dir() / "demo.json", tmp_path / "demo.json")
    store = Store(Path("demo.json"))
    yield ImgtuiApp(store, today=DEMO_DAY, poll_seconds=0)
    store.close()


def test_today_80x24(snap_compare, demo_app) -> None:
    assert snap_compare(demo_app, run_before=loaded, terminal_size=(80, 24))


def test_today_100x32(snap_compare, demo_app) -> None:
    assert snap_compare(demo_app, run_before=loaded, terminal_size=(100, 32))


def test_profile_100x32(snap_compare, demo_app) -> None:
    assert snap_compare(demo_app, run_before=loaded, press=["2"], terminal_size=(100, 32))


def test_profile_80x24(snap_compare, demo_app) -> None:
    """On a small terminal the sheet scrolls and the lines about the field stay in view."""
    assert snap_compare(demo_app, run_before=loaded, press=["2"], terminal_size=(80, 24))


def test_profile_value_editor_100x32(snap_compare, demo_app) -> None:
    """The one-field editor opens on top of the value it changes."""
    assert snap_compare(
        demo_app, run_before=loaded, press=["2", "down", "down", "down", "enter"], terminal_size=(100, 32)
    )


def test_schedule_100x32(snap_compare, demo_app) -> None:
    assert snap_compare(demo_app, run_before=loaded, press=["3"], terminal_size=(100, 32))


def test_schedule_80x24(snap_compare, demo_app) -> None:
    assert snap_compare(demo_app, run_before=loaded, press=["3"], terminal_size=(80, 24))


@pytest.mark.parametrize("size", [(80, 24), (100, 32)], ids=["80x24", "100x32"])
def test_help(snap_compare, demo_app, size) -> None:
    """What GO, BORDERLINE and DELAY mean comes first, before the keys."""
    assert snap_compare(demo_app, run_before=loaded, press=["question_mark"], terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (100, 32)], ids=["80x24", "100x32"])
def test_first_start(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size) -> None:
    """A new user's empty file: the checklist, and no target before a specialty is chosen."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("IMGTUI_CONFIG", str(tmp_path / "config"))
    store = Store(Path("new.json"))
    try:
        assert snap_compare(ImgtuiApp(store, today=DEMO_DAY, poll_seconds=0), run_before=loaded, terminal_size=size)
    finally:
        store.close()


def test_usce_100x32(snap_compare, demo_app) -> None:
    assert snap_compare(demo_app, run_before=loaded, press=["4"], terminal_size=(100, 32))


def test_log_exam_form_100x32(snap_compare, demo_app) -> None:
    assert snap_compare(demo_app, run_before=loaded, press=["3", "a"], terminal_size=(100, 32))


@pytest.mark.parametrize("size", [(80, 24), (100, 32)], ids=["80x24", "100x32"])
@pytest.mark.parametrize(
    "keys",
    [["4"], ["4", "m"], ["4", "D"], ["4", "v"], ["4", "o"], ["4", "e"], ["4", "a"], ["4", "tab", "enter"]],
    ids=["usce", "draft", "documents", "site-detail", "outreach-list", "site-form", "new-site", "inquiry-form"],
)
def test_usce_and_outreach_screens(snap_compare, demo_app, keys, size) -> None:
    """The tracker, and each screen it opens on its first site: e-mail draft, documents,
    detail, outreach list, the site's form, a new site, an inquiry."""
    assert snap_compare(demo_app, run_before=loaded, press=keys, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (100, 32)], ids=["80x24", "100x32"])
def test_programs_pane(snap_compare, demo_app, size) -> None:
    """The program list with its verdicts, what is missing and what it costs."""
    assert snap_compare(demo_app, run_before=loaded, press=["5"], terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (100, 32)], ids=["80x24", "100x32"])
@pytest.mark.parametrize(
    "keys",
    [
        ["3", "a"],
        ["1", "l"],
        ["4", "i"],
        ["4", "L"],
        ["4", "z"],
        ["5", "a"],
        ["5", "e"],
        ["2", "enter"],
        ["4", "x"],
        ["4", "down", "down", "down", "down", "r"],
        ["4", "d"],
    ],
    ids=[
        "exam-form",
        "qbank-form",
        "inquiry-log-form",
        "letter-form",
        "snooze-form",
        "new-program",
        "program-form",
        "profile-editor",
        "retire-choice",
        "reply-choice",
        "delete-confirm",
    ],
)
def test_every_form(snap_compare, demo_app, keys, size) -> None:
    """Every form and choice a key opens, at both sizes: nothing hidden, the hint in view."""
    assert snap_compare(demo_app, run_before=loaded, press=keys, terminal_size=size)
