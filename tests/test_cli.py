"""Command line: good and bad input, exit codes, stderr, database unchanged on error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from imgtui.cli import main
from imgtui.store import Store


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_log_exam_prints_record_and_verdict(capsys, demo_path: Path) -> None:
    code, out, err = run(capsys, "--today", "2026-11-23", "log-exam", "uwsa2", "241", "--db", str(demo_path))
    assert code == 0, err
    assert out.startswith("Logged UWSA 2 241 on 2026-11-23") and "Verdict:" in out
    assert len(out.strip().splitlines()) == 1
    assert [e.score for e in Store(demo_path).exams() if e.form == "UWSA 2"] == [241]


def test_log_exam_accepts_free120_percentage_and_written_date(capsys, db_path: Path) -> None:
    code, out, _ = run(capsys, "log-exam", "Free 120", "72.5", "--date", "Nov 3 2026", "--db", str(db_path))
    assert code == 0 and "Free 120 72.5% on 2026-11-03" in out


def test_a_dash_is_standard_output_or_input(demo_path: Path, db_path: Path) -> None:
    """'imgtui export-csv sites - | ...' and back: no file named '-' is written."""

    def imgtui(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "imgtui", *argv], input=stdin, capture_output=True, text=True, cwd=db_path.parent
        )

    exported = imgtui("export-csv", "sites", "-", "--db", str(demo_path))
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("name,") and "St. Mary [Main] Campus" in exported.stdout
    count = len(Store(demo_path).sites())
    assert exported.stderr.strip() == f"Wrote {count} rows of sites to standard output"
    imported = imgtui("import-csv", "sites", "-", "--db", str(db_path), stdin=exported.stdout)
    assert imported.returncode == 0, imported.stderr
    assert sorted(s.name for s in Store(db_path).sites()) == sorted(s.name for s in Store(demo_path).sites())
    calendar = imgtui("export-ics", "-", "--db", str(demo_path))
    assert calendar.returncode == 0 and calendar.stdout.startswith("BEGIN:VCALENDAR"), calendar.stderr
    assert not (db_path.parent / "-").exists()


def test_dates_can_be_given_as_yesterday_today_or_tomorrow(capsys, db_path: Path) -> None:
    from datetime import date, timedelta

    code, out, err = run(capsys, "log-qbank", "40", "31", "--date", "Yesterday", "--db", str(db_path))
    assert code == 0, err
    assert [d.day for d in Store(db_path).qbank_days()] == [date.today() - timedelta(days=1)]
    # counted from a pretended today, itself a word
    code, out, err = run(
        capsys, "--today", "2026-12-01", "log-exam", "NBME 12", "231", "--date", "yesterday", "--db", str(db_path)
    )
    assert code == 0 and "on 2026-11-30" in out, err
    code, out, err = run(capsys, "--today", "tomorrow", "today", "--date", "today", "--db", str(db_path))
    assert code == 0 and f"today {date.today() + timedelta(days=1)}" in out, err
    # a future day is still refused for a logged block
    code, _, err = run(capsys, "log-qbank", "40", "31", "--date", "tomorrow", "--db", str(db_path))
    assert code == 2 and "is in the future" in err, err
    # and in profile fields, as in the app's editor
    code, out, err = run(
        capsys,
        "--today",
        "2026-12-01",
        "profile",
        "set",
        "study_start=Today",
        "exam_date=2027-04-01",
        "--db",
        str(db_path),
    )
    assert code == 0 and "study_start=2026-12-01" in out, err


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["log-exam", "NBME 12", "301"], "score: 301 is out of range"),
        (["log-exam", "NBME 12", "abc"], "score: 'abc' is not valid"),
        (["log-exam", "Free 120", "130"], "Free 120 is a percentage"),
        (["log-exam", "NBME 12", "230", "--date", "2026-02-30"], "not a real calendar date"),
        (["log-qbank", "40", "41"], "correct: 41 is more than the 40"),
        (["log-qbank", "40", "20", "--mode", "sleepy"], "mode: 'sleepy' is not accepted"),
        (["profile", "set", "visa=tourist"], "visa: 'tourist' is not accepted; expected one of: none, j1, h1b"),
        (["profile", "set", "exam_date"], "is not FIELD=VALUE"),
        (["profile", "set", "shoe_size=9"], "shoe_size: is not a field"),
        (["import-csv", "sites", "/nonexistent.csv"], "does not exist"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(capsys, demo_path: Path, argv, fragment) -> None:
    before = demo_path.read_bytes()
    code, _out, err = run(capsys, *argv, "--db", str(demo_path))
    assert code == 2
    assert fragment in err and len(err.strip().splitlines()) == 1, err
    assert demo_path.read_bytes() == before


def test_argparse_errors_also_exit_2(demo_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "imgtui", "log-exam", "--db", str(demo_path)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "imgtui: error: the following arguments are required: FORM, SCORE (see 'imgtui log-exam --help')"
    )


def test_log_qbank(capsys, db_path: Path) -> None:
    code, out, _ = run(capsys, "log-qbank", "40", "26", "--mode", "timed-system", "--db", str(db_path))
    assert code == 0 and "40 questions, 26 correct (65%), timed system" in out


def test_env_variable_selects_database(capsys, monkeypatch, db_path: Path) -> None:
    monkeypatch.setenv("IMGTUI_DB", str(db_path))
    assert run(capsys, "log-qbank", "10", "5")[0] == 0
    assert len(Store(db_path).qbank_days()) == 1


def test_today_text_and_json(capsys, demo_path: Path) -> None:
    code, out, _ = run(capsys, "today", "--date", "2026-11-23", "--db", str(demo_path))
    assert code == 0 and "Core phase, week 12" in out and "Follow up with" in out
    code, out, _ = run(capsys, "today", "--date", "2026-11-23", "--json", "--db", str(demo_path))
    data = json.loads(out)
    assert data["phase"] == "core" and data["question_target"] > 0
    assert any(i["kind"] == "follow_up" and i["pane"] == "usce" for i in data["items"])


def test_decision_json_contract(capsys, demo_path: Path) -> None:
    _code, out, _ = run(capsys, "decision", "--date", "2026-11-23", "--json", "--db", str(demo_path))
    data = json.loads(out)
    assert data["verdict"] in ("GO", "BORDERLINE", "DELAY", "NOT_ENOUGH_DATA")
    assert all({"rule", "message"} <= set(r) for r in data["reasons"])
    assert data["projection"]["score"] > 0 and data["projection"]["band"] >= 8
    assert data["suggested_exam_date"] is None or len(data["suggested_exam_date"]) == 10


def test_decision_as_of_an_earlier_date_ignores_later_scores(capsys, demo_path: Path) -> None:
    out = run(capsys, "decision", "--date", "2026-10-20", "--json", "--db", str(demo_path))[1]
    assert json.loads(out)["projection"]["scores"] == 2


def test_decision_delay_offers_a_date(capsys, db_path: Path) -> None:
    db = str(db_path)
    run(
        capsys,
        "profile",
        "set",
        "specialty=IM",
        "program_tier=community",
        "eras_year=2027",
        "study_start=2026-08-01",
        "exam_date=2026-12-20",
        "--db",
        db,
    )
    for form, day, score in (
        ("NBME 9", "2026-09-01", 205),
        ("NBME 10", "2026-10-01", 212),
        ("UWSA 1", "2026-11-15", 219),
    ):
        run(capsys, "log-exam", form, str(score), "--date", day, "--db", db)
    data = json.loads(run(capsys, "decision", "--date", "2026-11-22", "--json", "--db", db)[1])
    assert data["verdict"] == "DELAY" and data["suggested_exam_date"] > "2026-12-20"


def test_advice_json_contract(capsys, demo_path: Path) -> None:
    data = json.loads(run(capsys, "advice", "--date", "2026-11-23", "--json", "--db", str(demo_path))[1])
    assert data["target_score"]["value"] == 235 and data["target_score"]["rules"][0]["rule"] == "target_im_tier"
    assert (data["usce_months"]["min"], data["usce_months"]["max"]) == (1, 2)
    assert data["usce_months"]["rule"]["rule"] == "usce_months"
    assert data["programs"]["min"] == 80 and data["programs"]["rule"]["rule"] == "programs"
    assert "max" in data["programs"]


def test_profile_show_set_and_fields(capsys, db_path: Path) -> None:
    db = str(db_path)
    code, _out, _ = run(
        capsys,
        "profile",
        "set",
        "specialty=internal medicine",
        "program_tier=Mid-tier academic",
        "visa=H-1B",
        "--db",
        db,
    )
    assert code == 0
    data = json.loads(run(capsys, "profile", "--json", "--db", db)[1])
    assert (data["specialty"], data["program_tier"], data["visa"]) == (
        "internal_medicine",
        "university_affiliated",
        "h1b",
    )
    fields = run(capsys, "profile", "fields")[1]
    for name in ("step1_status", "exam_date", "qbank_size", "study_days_per_week"):
        assert f"{name}:" in fields


def test_profile_set_is_all_or_nothing(capsys, db_path: Path) -> None:
    db = str(db_path)
    run(capsys, "profile", "set", "graduation_year=2020", "--db", db)
    code, _, err = run(capsys, "profile", "set", "graduation_year=2022", "eras_year=soon", "--db", db)
    assert code == 2 and "eras_year" in err
    assert json.loads(run(capsys, "profile", "--json", "--db", db)[1])["graduation_year"] == 2020


def test_damaged_database_is_reported_on_stderr(capsys, db_path: Path) -> None:
    run(capsys, "log-qbank", "10", "5", "--db", str(db_path))
    db_path.write_text("{not json")
    code, _, err = run(capsys, "today", "--db", str(db_path))
    assert code == 0 and "moved aside" in err


def test_newer_schema_exits_2(capsys, db_path: Path) -> None:
    db_path.write_text('{"meta": {"1": {"schema_version": 99}}}')
    code, _, err = run(capsys, "today", "--db", str(db_path))
    assert code == 2 and "newer imgtui" in err


def test_demo_never_touches_the_users_file(capsys, monkeypatch, db_path: Path) -> None:
    monkeypatch.setenv("IMGTUI_DB", str(db_path))
    code, out, _ = run(capsys, "--demo", "today", "--json")
    assert code == 0 and json.loads(out)["phase"] == "core"  # shifted to today: mid-core
    assert not db_path.exists()


def test_console_script_and_module_run() -> None:
    exe = Path(sys.executable).parent / "imgtui"
    assert subprocess.run([str(exe), "--version"], capture_output=True, text=True).stdout.startswith("imgtui ")
    assert subprocess.run([sys.executable, "-m", "imgtui", "profile", "fields"], capture_output=True).returncode == 0


def test_unwritable_paths_exit_2(capsys, tmp_path: Path, demo_path: Path) -> None:
    code, _, err = run(capsys, "today", "--db", str(tmp_path))
    assert code == 2 and "is a folder" in err
    code, _, err = run(capsys, "export-csv", "sites", str(tmp_path / "missing" / "x.csv"), "--db", str(demo_path))
    assert code == 2 and "No such file or directory" in err


def test_demo_copy_is_removed_afterwards(capsys, monkeypatch, tmp_path: Path) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert run(capsys, "--demo", "profile", "--json")[0] == 0
    assert not list(tmp_path.glob("imgtui-demo-*"))


@pytest.mark.parametrize("argv", [["log-exam", "NBME 12", "230"], ["log-qbank", "40", "20"]])
def test_logging_in_the_future_is_refused(capsys, db_path: Path, argv) -> None:
    Store(db_path).close()
    before = db_path.read_bytes()
    code, _, err = run(capsys, "--today", "2026-11-22", *argv, "--date", "2026-11-30", "--db", str(db_path))
    assert code == 2 and "2026-11-30 is in the future" in err
    assert db_path.read_bytes() == before


def test_csv_kinds_of_the_parser_are_the_record_kinds() -> None:
    from imgtui.cli import CSV_KINDS
    from imgtui.records import RECORD_KINDS

    assert tuple(RECORD_KINDS) == CSV_KINDS


def test_launch_options_parse_and_bad_ones_are_said_once(capsys) -> None:
    from datetime import date

    from imgtui.cli import cmd_app, parse

    argv = ["--db", "x.json", "--today", "2026-11-22", "--demo"]
    quick = parse(argv)
    assert quick.func is cmd_app and quick.today == date(2026, 11, 22) and quick.db == "x.json"
    assert main(["--today", "2026-13-45"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "not a real calendar date" in err


@pytest.mark.parametrize("command", ["today", "decision", "export-ics", "log-exam", "log-qbank"])
def test_help_names_the_date_option_date(capsys, command: str) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == 0 and "--date DATE" in out and "AS_OF" not in out


def test_the_app_refuses_a_folder_before_taking_the_screen(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "--db", str(tmp_path))
    assert code == 2 and "is a folder" in err and out == ""


def test_a_new_profile_has_no_target_until_the_specialty_is_chosen(capsys, db_path: Path) -> None:
    db = str(db_path)
    run(capsys, "profile", "set", "study_start=2026-08-01", "exam_date=2027-01-30", "--db", db)
    run(capsys, "log-exam", "NBME 11", "230", "--date", "2026-11-01", "--db", db)
    run(capsys, "log-exam", "NBME 12", "236", "--date", "2026-11-20", "--db", db)
    out = run(capsys, "decision", "--date", "2026-11-22", "--db", db)[1]
    assert "NOT ENOUGH DATA (no target yet," in out and "No target specialty chosen yet" in out
    data = json.loads(run(capsys, "decision", "--date", "2026-11-22", "--json", "--db", db)[1])
    assert data["target_score"] is None and [step["rule"] for step in data["to_go"]] == ["target"]
    assert data["pass_probability"] is not None
    advice = run(capsys, "advice", "--date", "2026-11-22", "--db", db)[1]
    assert "Target " not in advice and "Program count: choose your target specialty" in advice
    target = json.loads(run(capsys, "advice", "--date", "2026-11-22", "--json", "--db", db)[1])["target_score"]
    assert target["value"] is None and target["range"] is None and target["band"] is None
    assert [r["rule"] for r in target["rules"]].count("target_by_group") == 1
    run(capsys, "profile", "set", "specialty=IM", "program_tier=community", "--db", db)
    data = json.loads(run(capsys, "decision", "--date", "2026-11-22", "--json", "--db", db)[1])
    assert data["target_score"] == 235 and data["verdict"] != "NOT ENOUGH DATA"


def test_one_exported_row_is_one_row(capsys, db_path: Path, tmp_path: Path) -> None:
    run(capsys, "log-exam", "NBME 11", "221", "--date", "2026-11-01", "--db", str(db_path))
    out = run(capsys, "export-csv", "exams", str(tmp_path / "exams.csv"), "--db", str(db_path))[1]
    assert out.strip() == f"Wrote 1 row of exams to {tmp_path / 'exams.csv'}"
