"""The program list: eligibility at every edge, count and mix messages, the fee schedule,
the real cost of rotations, CSV from the sheets users already keep, and the pane."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from imgtui.cli import main
from imgtui.core.programs import (
    DOUBTFUL,
    ELIGIBLE,
    OUT,
    application_cost,
    check_program,
    eras_fee,
    program_list,
    rotation_costs,
)
from imgtui.core.rules import default_rules
from imgtui.core.usce import assess_site
from imgtui.planner import Planner
from imgtui.records import Profile, Program, UsceSite, ValidationErrors
from imgtui.store import Store
from imgtui.ui.app import ImgtuiApp
from imgtui.ui.widgets.sheet import Sheet

from .conftest import DEMO_DAY, started

RULES = default_rules()
TODAY = date(2026, 12, 3)


def profile(**values) -> Profile:
    base = {
        "specialty": "IM",
        "program_tier": "community",
        "graduation_year": 2022,
        "eras_year": 2027,
        "step1_status": "pass",
        "visa": "none",
    }
    return Profile.from_input({**base, **values})


def program(**values) -> Program:
    return Program.from_input({"name": "Mercy IM", **values})


def verdict(p: Program, who: Profile, score: int | None = 235, usce_weeks: int = 8, source: str = "projection"):
    return check_program(p, who, score, source, usce_weeks, TODAY)


# ---------------------------------------------------------------- eligibility


@pytest.mark.parametrize(
    ("need", "sponsors", "expected"),
    [
        ("none", "none", ELIGIBLE),
        ("j1", "none", OUT),
        ("j1", "j1", ELIGIBLE),
        ("j1", "j1_h1b", ELIGIBLE),
        ("h1b", "none", OUT),
        ("h1b", "j1", DOUBTFUL),
        ("h1b", "j1_h1b", ELIGIBLE),
    ],
)
def test_visa_need_against_what_the_program_sponsors(need, sponsors, expected) -> None:
    assert verdict(program(visa=sponsors), profile(visa=need)).verdict == expected


def test_h1b_with_step3_required_is_doubtful_and_says_why() -> None:
    check = verdict(program(visa="j1_h1b", step3_for_h1b=True), profile(visa="h1b"))
    assert check.verdict == DOUBTFUL and "Step 3" in check.reasons[0]


@pytest.mark.parametrize(
    ("cutoff", "graduated", "expected"),
    [
        ("5 years", 2022, ELIGIBLE),  # 2027 - 2022 = 5: within five years
        ("5 years", 2021, OUT),  # six years before the season
        ("within 5 yrs", 2022, ELIGIBLE),
        ("YOG 2022 or later", 2022, ELIGIBLE),
        ("2022", 2021, OUT),
        (None, 1990, ELIGIBLE),
    ],
)
def test_graduation_cut_off_as_years_or_a_year_at_its_edge(cutoff, graduated, expected) -> None:
    check = verdict(program(grad_cutoff=cutoff), profile(graduation_year=graduated))
    assert check.verdict == expected, check.reasons


def test_a_cut_off_without_a_graduation_year_is_doubtful() -> None:
    who = Profile.from_input({"specialty": "IM", "step1_status": "pass"})
    check = verdict(program(grad_cutoff="5 years"), who)
    assert check.verdict == DOUBTFUL and "graduation year" in check.reasons[0]


def test_score_minimum_real_score_out_projection_doubtful_at_the_edge() -> None:
    passed = profile(step2_status="passed", step2_score=229)
    assert verdict(program(step2_min=230), passed, 229, "Step 2 CK").verdict == OUT
    assert verdict(program(step2_min=229), passed, 229, "Step 2 CK").verdict == ELIGIBLE
    projected = verdict(program(step2_min=230), profile(), 229, source="projected score")
    assert projected.verdict == DOUBTFUL and "your projected score is 229" in projected.reasons[0]
    assert verdict(program(step2_min=230), profile(), None).verdict == DOUBTFUL


def test_attempts_accepted_counts_failed_attempts_only() -> None:
    clean = profile()
    once = profile(step1_status="pass_after_fail", step1_attempts=1)
    assert verdict(program(attempts_accepted=0), clean).verdict == ELIGIBLE
    check = verdict(program(attempts_accepted=0), once)
    assert check.verdict == OUT and "first-attempt passes only; you have 1 failed attempt" in check.reasons[0]
    assert verdict(program(attempts_accepted=1), once).verdict == ELIGIBLE


def test_usce_required_with_none_secured_is_doubtful() -> None:
    assert verdict(program(usce_required=True), profile(), usce_weeks=0).verdict == DOUBTFUL
    assert verdict(program(usce_required=True), profile(), usce_weeks=4).verdict == ELIGIBLE


def test_a_bad_cut_off_is_refused_with_what_is_accepted() -> None:
    with pytest.raises(ValidationErrors, match="years since graduation"):
        program(grad_cutoff="soon")
    with pytest.raises(ValidationErrors):
        program(grad_cutoff="between 2018 and 2020")
    assert program(grad_cutoff="1").grad_cutoff == "1 year"


# ---------------------------------------------------------------- count and mix


def test_count_and_mix_for_the_moderate_band_say_what_is_missing() -> None:
    programs = [program(name=f"C{n}", kind="community") for n in range(10)]
    programs += [program(name=f"U{n}", kind="university_affiliated") for n in range(5)]
    plist = program_list(programs, profile(), 238, "projection", 8, (80, 120), TODAY, RULES)
    assert plist.band == "moderate" and plist.recommended == (80, 120)
    assert plist.missing[0].startswith("65 more eligible programs to reach 80")
    assert any(m.startswith("19 more university-affiliated programs: 5 of 24") for m in plist.missing)
    assert any(m.startswith("22 more community programs: 10 of 32") for m in plist.missing)
    assert all("imgtui's reading" in m for m in plist.missing[1:])  # the shares are imgtui's own


def test_the_low_band_wants_img_friendly_community_programs_and_h1b_is_counted() -> None:
    who = profile(visa="h1b")
    programs = [program(name=f"P{n}", kind="community", visa="j1_h1b", img_share=50) for n in range(60)]
    programs += [program(name=f"R{n}", kind="community", visa="j1_h1b", img_share=10) for n in range(40)]
    programs += [program(name=f"Q{n}", kind="community", visa="j1", img_share=10) for n in range(30)]
    plist = program_list(programs, who, 225, "projection", 8, (120, 160), TODAY, RULES)
    assert plist.band == "low"
    assert any(m.startswith("20 more eligible programs") for m in plist.missing)
    assert any(m.startswith("24 more IMG-friendly programs") and "imgtui's own line" in m for m in plist.missing)
    assert "only 100 of your 130 programs sponsor H-1B" in plist.missing


def test_attempts_put_a_high_score_in_the_low_band_and_withdrawn_programs_do_not_count() -> None:
    who = profile(step1_status="pass_after_fail", step1_attempts=1)
    plist = program_list([program(status="withdrawn")], who, 250, "Step 2 CK", 8, (120, 160), TODAY, RULES)
    assert plist.band == "low" and plist.checks == ()


def test_other_specialties_get_no_count_and_are_told_so() -> None:
    who = profile(specialty="pediatrics")
    plist = program_list([program(specialty="pediatrics")], who, 240, "projection", 8, (0, None), TODAY, RULES)
    assert plist.recommended is None
    assert plist.missing == ("the articles give program counts for internal medicine only [003], none for pediatrics",)


# ---------------------------------------------------------------- fees and costs


@pytest.mark.parametrize(("count", "fee"), [(0, 0), (1, 11), (30, 330), (31, 360), (43, 720)])
def test_eras_fee_at_its_tier_boundaries(count, fee) -> None:
    assert eras_fee(count, RULES) == fee


def test_application_cost_per_specialty_with_token_transcript_and_nrmp() -> None:
    # AAMC's own example: 43 IM + 7 radiology programs = $797 in ERAS fees.
    programs = [program(name=f"IM{n}") for n in range(43)]
    programs += [program(name=f"R{n}", specialty="radiology") for n in range(7)]
    programs += [program(name=f"I{n}", status="interviewed") for n in range(22)]
    programs += [program(name="gone", status="withdrawn")]
    cost = application_cost(programs[:50], RULES)
    assert cost.eras == 797 and cost.token == 165 and cost.transcript == 80 and cost.nrmp == 75
    more = application_cost(programs, RULES)
    assert more.nrmp == 75 + 2 * 30  # 22 ranked: 2 beyond the 20 included
    assert application_cost([], RULES).total == 0
    # Exam fees: Step 2 CK until passed, Step 3 for an H-1B (approximate, dated rules).
    fees = RULES["application_fees"]
    assert application_cost([], RULES, profile()).exams == fees["step2_ck"]
    passed = profile(step2_status="passed", step2_score=240, visa="h1b")
    assert application_cost([], RULES, passed).exams == fees["step3"]


def test_site_costs_import_from_a_spreadsheet_with_dollar_amounts(capsys, demo_path: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "sites.csv"
    sheet.write_text(
        "Hospital,City,Fee,Housing,Travel,Insurance,Status\n"
        'Harbor Clinic,"Baltimore, MD","$1,500","$1,200 USD",$850,?,booked\n'
        ",,,,,,\n"
    )
    code, out, err = run(capsys, "import-csv", "sites", str(sheet), "--db", str(demo_path))
    assert code == 0 and "1 added" in out, err
    store = Store(demo_path)
    site = next(s for s in store.sites() if s.name == "Harbor Clinic")
    assert (site.cost, site.housing, site.travel, site.insurance) == (1500, 1200, 850, None)
    assert site.total_cost() == 3550
    store.close()


def test_rotation_costs_per_week_per_letter_and_budget() -> None:
    a = UsceSite.from_input(
        {
            "name": "A",
            "status": "booked",
            "weeks": 4,
            "cost": "$1,800",
            "housing": "1200",
            "travel": "$900",
            "letter_potential": True,
        }
    )
    b = UsceSite.from_input({"name": "B", "status": "completed", "weeks": 4, "cost": 500})
    idea = UsceSite.from_input({"name": "C", "status": "idea", "weeks": 4, "cost": 3000})
    gone = UsceSite.from_input({"name": "D", "status": "declined", "cost": 9000})
    costs = rotation_costs([a, b, idea, gone], profile(usce_budget="$5,000"))
    assert costs.secured == 4400 and costs.planned == 7400
    assert costs.per_week == 550 and costs.per_letter == 3900
    assert costs.fee_only == ("B",) and costs.over_budget() == 2400


def test_the_passive_observership_red_flag_reads_the_whole_cost() -> None:
    who = profile()
    cheap_fee = UsceSite.from_input(
        {"name": "X", "usce_type": "observership_outpatient", "cost": 500, "housing": 1500, "travel": 400}
    )
    assert any("for a passive observership" in f for f in assess_site(cheap_fee, who, RULES).red_flags)
    assert not assess_site(cheap_fee.replace(housing=None, travel=None), who, RULES).red_flags


# ---------------------------------------------------------------- CSV and JSON


HEADERS = "Program Name,City,State,Program Type,Visa Sponsorship,% IMG,YOG cutoff,Step 2 CK minimum,Attempts allowed"
SHARED_SHEET = f"""{HEADERS},USCE required,Notes
Mercy IM Residency,Chicago,IL,Community,J-1 and H-1B,65%,within 5 years,225,1,yes,
,,,,,,,,,,
University Hospital IM,Newark,NJ,University,J-1,20%,2019,240,0,yes,"=HYPERLINK(""x"")"
St. Elsewhere,Detroit,MI,University affiliated community,None,45%,3 years,,,no,
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_shared_program_sheet_imports_and_round_trips(capsys, demo_path: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "programs.csv"
    sheet.write_text(SHARED_SHEET)
    code, out, err = run(capsys, "import-csv", "programs", str(sheet), "--db", str(demo_path))
    assert code == 0 and "3 added" in out and "1 blank row skipped" in out, err
    store = Store(demo_path)
    mercy = next(p for p in store.programs() if p.name == "Mercy IM Residency")
    assert (mercy.kind, mercy.visa, mercy.img_share, mercy.grad_cutoff, mercy.step2_min) == (
        "community",
        "j1_h1b",
        65.0,
        "5 years",
        225,
    )
    store.close()
    exported = tmp_path / "out.csv"
    assert run(capsys, "export-csv", "programs", str(exported), "--db", str(demo_path))[0] == 0
    assert "'=HYPERLINK" in exported.read_text()  # a formula is not run by the spreadsheet
    before = demo_path.read_bytes()
    code, out, _ = run(capsys, "import-csv", "programs", str(exported), "--db", str(demo_path))
    assert code == 0 and out.startswith("programs: 0 added")
    assert demo_path.read_bytes() == before  # the same rows again: the file is unchanged


def test_a_bad_program_row_is_refused_with_its_line_and_nothing_is_written(capsys, demo_path: Path, tmp_path: Path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text("Program,Visa,YOG cutoff\nGood,J-1,5\nBad,maybe,soon\n")
    before = demo_path.read_bytes()
    code, _out, err = run(capsys, "import-csv", "programs", str(sheet), "--db", str(demo_path))
    assert code == 2 and "line 3" in err and demo_path.read_bytes() == before


def test_advice_json_has_the_program_list_and_costs(capsys, demo_path: Path) -> None:
    _code, out, _ = run(capsys, "advice", "--json", "--db", str(demo_path))
    data = json.loads(out)
    plist = data["program_list"]
    assert set(plist) >= {"eligible", "doubtful", "out", "recommended", "missing"}
    assert all(set(row) == {"name", "reasons"} for row in plist["out"]) and plist["out"]
    assert set(data["costs"]) >= {"usce_secured", "usce_planned", "application", "budget"}
    assert data["costs"]["application"]["total"] > 0


# ---------------------------------------------------------------- use cases and the pane


def test_a_program_is_not_listed_twice_and_its_status_moves_on(tmp_path: Path) -> None:
    planner = Planner(Store(tmp_path / "db.json"), RULES, TODAY)
    saved = planner.add_program(program(name="Mercy IM", state="IL")).record
    with pytest.raises(ValidationErrors, match="already on the list"):
        planner.add_program(program(name=" mercy  im", state="il"))
    planner.add_program(program(name="Mercy IM", state="NY"))  # another state: another program
    assert planner.next_program_status(saved.doc_id).record.status == "applied"


async def test_add_a_program_by_keys_and_see_its_verdict(demo_store: Store) -> None:
    app = ImgtuiApp(demo_store, today=DEMO_DAY, poll_seconds=0)
    async with started(app, (80, 24)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        await pilot.press("a", *"Harbor City IM", "tab", *"Baltimore", "tab", *"MD", "ctrl+s")
        await pilot.pause()
        await pilot.pause()
        added = next(p for p in demo_store.programs() if p.name == "Harbor City IM")
        sheet = app.pane_screen.query_one("#program-sheet", Sheet)
        assert sheet.current_key == str(added.doc_id)
        # The demo applicant needs a J-1: a program sponsoring none is out, and says why.
        check = next(c for c in app.overview.program_list.checks if c.program.doc_id == added.doc_id)
        assert check.verdict == OUT and "J-1" in check.reasons[0]
        await pilot.press("n")
        await pilot.pause()
        assert next(p for p in demo_store.programs() if p.doc_id == added.doc_id).status == "applied"


async def test_every_field_of_a_program_is_editable_by_keys(demo_store: Store) -> None:
    app = ImgtuiApp(demo_store, today=DEMO_DAY, poll_seconds=0)
    async with started(app, (80, 24)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        first = app.pane_screen.query_one("#program-sheet", Sheet).current_key
        await pilot.press("e")
        await pilot.pause()
        from imgtui.ui.screens.forms import RecordForm

        form = app.screen
        assert isinstance(form, RecordForm) and form.fields == Program.field_names()
        await pilot.press("escape")
        await pilot.pause()
        # Enter on the Why column says the reasons in full, and edits nothing.
        sheet = app.pane_screen.query_one("#program-sheet", Sheet)
        sheet.move_cursor(column=2)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, RecordForm) and first is not None


async def test_the_program_sheet_sorts_and_filters_as_the_tracker_does(demo_store: Store) -> None:
    from imgtui.ui.widgets.programs import ProgramsPane

    app = ImgtuiApp(demo_store, today=DEMO_DAY, poll_seconds=0)
    async with started(app, (80, 24)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        sheet = app.pane_screen.query_one("#program-sheet", Sheet)
        total = sheet.row_count
        await pilot.press("slash", *"lake", "enter")
        await pilot.pause()
        assert sheet.row_count == 1 and sheet.get_row_at(0)[0].plain == "Lakeside Community IM"
        assert app.focused is sheet
        await pilot.press("escape")
        await pilot.pause()
        assert sheet.row_count == total
        sheet.move_cursor(column=0)
        await pilot.press("s")
        await pilot.pause()
        names = [sheet.get_row_at(i)[0].plain for i in range(sheet.row_count)]
        assert names == sorted(names, key=str.lower) and app.pane_screen.query_one(ProgramsPane).sort_column == 0
        await pilot.press("s")  # again: descending
        await pilot.pause()
        assert [sheet.get_row_at(i)[0].plain for i in range(sheet.row_count)] == names[::-1]
