"""Bad input of any shape is answered with a validation message, never a crash or a partial write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imgtui.core.rules import data_dir
from imgtui.csvio import KINDS
from imgtui.planner import Planner
from imgtui.records import RECORD_TYPES, Profile, ValidationError, ValidationErrors
from imgtui.store import Store

ALL_RECORDS = (*RECORD_TYPES, Profile)
cells = st.one_of(st.text(max_size=12), st.sampled_from(["", "0", "-1", "301", "yes", "2026-02-30", "$1,0", "nan"]))


@settings(max_examples=300, deadline=None)
@given(record=st.sampled_from(ALL_RECORDS), data=st.data())
def test_any_field_values_either_validate_or_raise_validation_errors(record, data) -> None:
    values = {name: data.draw(cells) for name in record.field_names()}
    try:
        record.from_input(values)
    except ValidationErrors as exc:
        assert exc.errors and all(isinstance(e, ValidationError) and e.message for e in exc.errors)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(KINDS),
    header=st.lists(
        st.sampled_from(
            ["name", "Hospital", "date", "score", "form", "done", "correct", "weeks", "writer", "site", "sent", "x", ""]
        ),
        min_size=1,
        max_size=6,
    ),
    rows=st.lists(st.lists(cells, max_size=7), max_size=6),
    sep=st.sampled_from([",", ";", "\t"]),
)
def test_any_csv_is_reported_not_crashed_and_bad_files_write_nothing(tmp_path: Path, kind, header, rows, sep) -> None:
    db = tmp_path / "fuzz.json"
    db.unlink(missing_ok=True)
    store = Store(db)
    store.update_profile({"graduation_year": "2020"})
    before = db.read_bytes()
    path = tmp_path / "in.csv"
    text = "\n".join(
        sep.join(c.replace(sep, " ").replace("\n", " ").replace('"', "") for c in row) for row in [header, *rows]
    )
    path.write_text(text, encoding="utf-8")
    report = import_csv(store, kind, path)
    assert report.lines()
    if report.problems:
        assert db.read_bytes() == before
    store.close()


def import_csv(store, kind, path, **options):
    return Planner(store).import_csv(kind, path, **options)


# ---------------------------------------------------------------- every command of the command line

# Values people (and scripts) type, good and bad: dates of every shape, numbers out of every
# range, huge integers, control characters, bytes that are not UTF-8.
ARGS = st.one_of(
    st.text(max_size=14),
    st.sampled_from(
        [
            "230",
            "72",
            "0",
            "-1",
            "301",
            "1" * 309,
            "1e309",
            "nan",
            "2026-11-20",
            "today",
            "yesterday",
            "tomorrow",
            "9999-12-31",
            "0026-11-01",
            "Nov 28",
            "NBME 12",
            "Free 120",
            "timed-random",
            "\x1b[2J",
            "a\x00b",
            b"\xff\xfe".decode("utf-8", "surrogateescape"),
        ]
    ),
)
FIELDS = [spec.name for spec in Profile.FIELDS]
COMMANDS = st.one_of(
    st.tuples(st.just("log-exam"), ARGS, ARGS).map(list),
    st.tuples(st.just("log-exam"), ARGS, ARGS, st.just("--date"), ARGS).map(list),
    st.tuples(st.just("log-qbank"), ARGS, ARGS).map(list),
    st.tuples(st.just("log-qbank"), ARGS, ARGS, st.just("--mode"), ARGS, st.just("--date"), ARGS).map(list),
    st.tuples(st.just("profile"), st.just("set"), st.tuples(st.sampled_from(FIELDS), ARGS).map("=".join)).map(list),
    st.tuples(st.sampled_from(["today", "decision", "advice"]), st.just("--date"), ARGS).map(list),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=COMMANDS)
def test_every_command_stores_and_exits_0_or_stores_nothing_and_says_why_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    import contextlib
    import io

    from imgtui.cli import main

    # A profile value may name a file (the calendar file): anything written lands here.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))

    db = tmp_path / "fuzz.json"
    if not db.exists():
        shutil.copy(data_dir() / "demo.json", db)
    before = db.read_bytes()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*argv, "--db", str(db)])
    assert code in (0, 2), (argv, code, err.getvalue())
    if code == 2:
        lines = err.getvalue().strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("imgtui: error: "), (argv, err.getvalue())
        assert db.read_bytes() == before, argv
    written = argv[0] in ("log-exam", "log-qbank") or argv[:2] == ["profile", "set"]
    if code == 0 and written:
        assert db.read_bytes() != before or argv[:2] == ["profile", "set"], argv  # the record is stored
    assert "\x1b" not in out.getvalue() + err.getvalue()
    assert main(["today", "--db", str(db)]) == 0  # and planning still works on what was stored
