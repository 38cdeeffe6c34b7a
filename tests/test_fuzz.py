"""Bad input of any shape is answered with a validation message, never a crash or a partial write."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
