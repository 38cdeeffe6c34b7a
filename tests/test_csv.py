"""CSV round trip and spreadsheet-style imports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from imgtui.cli import main
from imgtui.csvio import KINDS, export_csv
from imgtui.planner import Planner
from imgtui.records import Inquiry, Letter, UsceSite, ValidationErrors
from imgtui.store import Store


@pytest.mark.parametrize("kind", ["sites", "exams", "qbank", "letters"])
def test_round_trip_into_an_empty_database(tmp_path: Path, demo_store: Store, kind: str) -> None:
    first = tmp_path / f"{kind}-1.csv"
    export_csv(demo_store, kind, first)
    empty = Store(tmp_path / "empty.json")
    if kind == "letters":  # letters name their site: bring the sites first
        export_csv(demo_store, "sites", tmp_path / "s.csv")
        import_csv(empty, "sites", tmp_path / "s.csv")
    report = import_csv(empty, kind, first)
    assert not report.problems and report.written
    second = tmp_path / f"{kind}-2.csv"
    export_csv(empty, kind, second)
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")


def test_inquiries_round_trip(tmp_path: Path, demo_store: Store) -> None:
    export_csv(demo_store, "sites", tmp_path / "s.csv")
    export_csv(demo_store, "inquiries", tmp_path / "i.csv")
    empty = Store(tmp_path / "empty.json")
    import_csv(empty, "sites", tmp_path / "s.csv")
    assert import_csv(empty, "inquiries", tmp_path / "i.csv").added == len(demo_store.inquiries())
    export_csv(empty, "inquiries", tmp_path / "i2.csv")
    assert (tmp_path / "i.csv").read_text() == (tmp_path / "i2.csv").read_text()


def test_reimport_updates_instead_of_duplicating(tmp_path: Path, demo_store: Store) -> None:
    path = tmp_path / "sites.csv"
    export_csv(demo_store, "sites", path)
    count = len(demo_store.sites())
    report = import_csv(demo_store, "sites", path)
    assert report.added == 0 and report.updated == count
    assert len(demo_store.sites()) == count


EXCEL_SEMICOLON = (
    "\ufeffHospital;City/State;Type;Start date;Duration;Fee;Hands on;Status;Rating\n"
    "Mercy General;Chicago, IL;Externship;March 1, 2027;4 weeks;$2,500;Yes;Emailed;5 stars\n"
    ";;;;;;;;\n"
    "St. Mary [Main];Newark, NJ;Observership;04/05/2027;1 month;2500 USD;no;idea;\n"
)


def test_spreadsheet_quirks_are_read(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(EXCEL_SEMICOLON.encode("utf-8"))
    report = import_csv(store, "sites", path)
    assert not report.problems, report.lines()
    assert report.added == 2 and report.skipped_blank == 1
    assert report.lines()[0] == "sites: 2 added, 0 updated, 1 blank row skipped"
    assert report.unknown_columns == ["Rating"] and report.unknown_handling == "kept in notes"
    sites = {s.name: s for s in store.sites()}
    mercy = sites["Mercy General"]
    assert (mercy.usce_type, str(mercy.start), mercy.weeks, mercy.cost, mercy.hands_on, mercy.status) == (
        "externship",
        "2027-03-01",
        4,
        2500,
        True,
        "contacted",
    )
    assert mercy.notes == "Rating: 5 stars"
    mary = sites["St. Mary [Main]"]
    assert (str(mary.start), mary.weeks, mary.cost) == ("2027-04-05", 4, 2500)


def test_google_sheets_comma_file_with_true_false(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "gsheet.csv"
    path.write_text(
        'NAME,WEEKS,COST,LETTER,DOCS,start\n"Lakeside Hospital, Main",6,"1,200",TRUE,false,2027-05-03\n',
        encoding="utf-8",
    )
    report = import_csv(store, "sites", path)
    assert not report.problems
    site = store.sites()[0]
    assert (site.name, site.weeks, site.cost, site.letter_potential, site.documentation) == (
        "Lakeside Hospital, Main",
        6,
        1200,
        True,
        False,
    )


BAD = (
    "name,weeks,cost,start\n"
    "Good One,4,100,2027-01-04\n"
    "Bad Weeks,0,100,2027-01-04\n"
    "Bad Date,4,100,2027-02-30\n"
    ",4,100,2027-01-04\n"
)


def test_bad_rows_are_reported_and_nothing_is_imported(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD)
    report = import_csv(store, "sites", path)
    assert [(p.line, p.column) for p in report.problems] == [(3, "weeks"), (4, "start"), (5, "name")]
    assert "1 to 52" in report.problems[0].reason
    assert not report.written and store.sites() == []


def test_skip_bad_imports_the_good_rows(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD)
    report = import_csv(store, "sites", path, skip_bad=True)
    assert report.written and [s.name for s in store.sites()] == ["Good One"]


def test_dry_run_writes_nothing(tmp_path: Path, store: Store, db_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("name\nA\nB\n")
    before = db_path.read_bytes()
    report = import_csv(store, "sites", path, dry_run=True)
    assert report.added == 2 and "dry run" in report.lines()[-1]
    assert db_path.read_bytes() == before


def test_missing_required_column(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Date,Questions\n2026-11-01,40\n")
    report = import_csv(store, "qbank", path)
    assert "missing column(s) correct" in str(report.problems[0])


def test_exam_and_qbank_imports(tmp_path: Path, store: Store) -> None:
    (tmp_path / "e.csv").write_text("Exam,Date,Score\nnbme12,11/01/2026,231\nFree 120,Nov 5 2026,71%\n")
    (tmp_path / "q.csv").write_text("date;questions;correct;mode\n2026-11-01;1,000;600;Timed\n")
    assert import_csv(store, "exams", tmp_path / "e.csv").added == 2
    assert import_csv(store, "qbank", tmp_path / "q.csv").added == 1
    assert [(e.form, e.score) for e in store.exams()] == [("NBME 12", 231), ("Free 120", 71)]
    assert store.qbank_days()[0].done == 1000


def test_cli_import_bad_file_exits_2(tmp_path: Path, db_path: Path, capsys) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD)
    assert main(["import-csv", "sites", str(path), "--db", str(db_path)]) == 2
    out, err = capsys.readouterr()
    assert "line 3, column weeks" in out and "nothing was imported" in err
    assert main(["import-csv", "sites", str(path), "--skip-bad", "--db", str(db_path)]) == 0


def test_all_kinds_export_with_header(tmp_path: Path, demo_store: Store) -> None:
    for kind in KINDS:
        path = tmp_path / f"{kind}.csv"
        export_csv(demo_store, kind, path)
        assert path.read_text().splitlines()[0]


def import_csv(store, kind, path, **options):
    return Planner(store).import_csv(kind, path, **options)


def _two_stores(tmp_path: Path) -> tuple[Planner, Planner]:
    planners = []
    for name in ("app", "csv"):
        planner = Planner(Store(tmp_path / f"{name}.json"), today=date(2026, 11, 23))
        planner.add_site(UsceSite.from_input({"name": "Mercy Hospital", "city": "Chicago, IL", "start": "2027-03-01"}))
        planners.append(planner)
    return planners[0], planners[1]


def test_an_inquiry_logged_in_the_app_or_imported_moves_its_site_the_same_way(tmp_path: Path) -> None:
    by_app, by_csv = _two_stores(tmp_path)
    site = by_app.store.sites()[0]
    by_app.log_inquiry(
        Inquiry.from_input(
            {"site_id": site.doc_id, "sent": "2026-11-10", "contact": "Dr. Lee", "replied": "2026-11-12"}
        )
    )
    path = tmp_path / "inquiries.csv"
    path.write_text("site,sent,contact,replied\nMercy Hospital,2026-11-10,Dr. Lee,2026-11-12\n")
    report = by_csv.import_csv("inquiries", path)
    assert report.written and report.added == 1
    assert [s.status for s in by_app.store.sites()] == [s.status for s in by_csv.store.sites()] == ["replied"]


def test_a_rotation_entered_twice_is_refused_in_the_app_and_merged_on_import(tmp_path: Path) -> None:
    by_app, by_csv = _two_stores(tmp_path)
    again = {"name": "mercy  hospital", "city": "Chicago, IL", "start": "2027-03-01", "cost": "900"}
    with pytest.raises(ValidationErrors, match="already in the tracker"):
        by_app.add_site(UsceSite.from_input(again))
    path = tmp_path / "sites.csv"
    path.write_text('name,city,start,cost\nMercy Hospital,"Chicago, IL",2027-03-01,900\n')
    report = by_csv.import_csv("sites", path)
    assert report.updated == 1 and report.added == 0
    assert len(by_app.store.sites()) == len(by_csv.store.sites()) == 1


def test_a_partial_reimport_changes_only_the_columns_it_has(tmp_path: Path) -> None:
    _, planner = _two_stores(tmp_path)
    site = planner.store.sites()[0]
    planner.store.save(site.replace(status="booked", notes="guaranteed interview", contact_email="im@mercy.org"))
    path = tmp_path / "sites.csv"
    path.write_text('name,city,start,cost,notes\nMercy Hospital,"Chicago, IL",2027-03-01,1200,\n')
    assert planner.import_csv("sites", path).updated == 1
    after = planner.store.sites()[0]
    assert (after.status, after.notes, after.contact_email, after.cost) == (
        "booked",
        "guaranteed interview",
        "im@mercy.org",
        1200,
    )
    planner.import_csv("sites", path, clear_blanks=True)  # asked for: the blank note clears it
    assert planner.store.sites()[0].notes == ""


# ---------------------------------------------------------------- keys that tell real records apart


def test_two_blocks_of_one_day_two_letters_of_one_writer_and_two_inquiries_round_trip_exactly(
    tmp_path: Path,
) -> None:
    source = Planner(Store(tmp_path / "a.json"), today=date(2026, 11, 23))
    site = source.add_site(UsceSite.from_input({"name": "Mercy", "city": "Tampa, FL"})).record
    other = source.add_site(UsceSite.from_input({"name": "Lakeside", "city": "Tampa, FL"})).record
    for done in (40, 40, 25):  # two identical blocks and a third, one day
        source.log_qbank({"day": "2026-11-20", "done": done, "correct": 30 if done == 40 else 20})
    for site_id in (site.doc_id, other.doc_id):
        source.save_record(Letter.from_input({"writer": "Dr. Gomez", "site_id": site_id, "asked": "2026-10-01"}), "Add")
    for contact in ("Dr. Lee", "Office manager"):
        source.log_inquiry(Inquiry.from_input({"site_id": site.doc_id, "sent": "2026-11-02", "contact": contact}))
    target = Planner(Store(tmp_path / "b.json"), today=date(2026, 11, 23))
    for kind in ("sites", "qbank", "letters", "inquiries"):
        path = tmp_path / f"{kind}.csv"
        export_csv(source.store, kind, path)
        assert target.import_csv(kind, path).written
        again = target.import_csv(kind, path)  # a second import changes nothing: every row is found
        assert again.added == 0, kind
        export_csv(target.store, kind, tmp_path / f"{kind}-2.csv")
        assert (tmp_path / f"{kind}-2.csv").read_text() == path.read_text(), kind
    assert sorted(d.done for d in target.store.qbank_days()) == [25, 40, 40]
    assert len(target.store.letters()) == 2 and len(target.store.inquiries()) == 2


# ---------------------------------------------------------------- files as spreadsheets write them


def test_an_unterminated_quote_is_an_error_with_its_line(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text('name,city\nMercy,Tampa\n"Lakeside,Miami\nHope,Dallas\n')
    report = import_csv(store, "sites", path)
    assert not report.written and store.sites() == []
    assert report.problems[0].line == 3 and "never closed" in report.problems[0].reason


def test_utf16_with_bom_is_read(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_bytes("name\tcity\nSão Paulo Clinic\tMiami, FL\n".encode("utf-16"))  # Excel's "Unicode Text"
    assert import_csv(store, "sites", path).written
    assert [s.name for s in store.sites()] == ["São Paulo Clinic"]


def test_a_file_mixing_encodings_is_refused_with_the_line_of_the_first_bad_byte(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes("name,city\nSão Paulo Clinic,Miami\n".encode() + "Hôpital Laval,Québec\n".encode("cp1252"))
    report = import_csv(store, "sites", path)
    assert not report.written and store.sites() == []
    assert report.problems[0].line == 3 and "not UTF-8" in report.problems[0].reason


def test_a_windows_file_in_one_encoding_is_still_read(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes("name,city\nHôpital Laval,Québec\n".encode("cp1252"))
    assert import_csv(store, "sites", path).written and store.sites()[0].name == "Hôpital Laval"


def test_the_labels_the_app_shows_are_read_as_headers(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("Name,Contact e-mail,Hands-on\nMercy,im@mercy.org,yes\n")
    report = import_csv(store, "sites", path)
    assert report.written and not report.unknown_columns, report.lines()
    assert store.sites()[0].contact_email == "im@mercy.org" and store.sites()[0].notes == ""


def test_line_breaks_and_nuls_in_a_one_line_field_become_spaces(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(b'name,notes\n"Mercy\nGeneral\x00",line one\n')
    assert import_csv(store, "sites", path).written
    assert store.sites()[0].name == "Mercy General"
