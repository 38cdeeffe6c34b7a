"""Validation at the boundary: each field's bad values are refused with a clear message."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import strategies as st

from imgtui.records import (
    Inquiry,
    Letter,
    PracticeExam,
    Profile,
    QbankDay,
    UsceSite,
    ValidationError,
    ValidationErrors,
    normalise_form,
    parse_date,
)


def errors(cls, values) -> dict[str, str]:
    with pytest.raises(ValidationErrors) as info:
        cls.from_input(values)
    return {e.field: e.message for e in info.value.errors}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-03-05", date(2026, 3, 5)),
        ("5 Mar 2026", date(2026, 3, 5)),
        ("March 5, 2026", date(2026, 3, 5)),
        ("03/05/2026", date(2026, 3, 5)),  # all-number dates are month first
        ("25/12/2026", date(2026, 12, 25)),  # unless the first number cannot be a month
        ("2026/03/05", date(2026, 3, 5)),
    ],
)
def test_dates_in_common_forms(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2026-02-30", "31/31/2026", "tomorrow-ish", "12", ""])
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_date(text)


@pytest.mark.parametrize(
    "raw, form",
    [
        ("nbme12", "NBME 12"),
        ("NBME 12", "NBME 12"),
        ("uwsa2", "UWSA 2"),
        ("UWSA 1", "UWSA 1"),
        ("free120", "Free 120"),
        ("Free 120", "Free 120"),
        ("amboss sa", "AMBOSS SA"),
        ("AMBOSS", "AMBOSS SA"),
    ],
)
def test_form_names_are_normalised(raw: str, form: str) -> None:
    assert normalise_form(raw) == form


def test_three_digit_scores_and_free120_percentages() -> None:
    assert PracticeExam.from_input({"form": "NBME 12", "taken": "2026-11-01", "score": "300"}).score == 300
    assert "1 to 300" in errors(PracticeExam, {"form": "NBME 12", "taken": "2026-11-01", "score": "301"})["score"]
    assert "1 to 300" in errors(PracticeExam, {"form": "NBME 12", "taken": "2026-11-01", "score": "0"})["score"]
    assert "whole" in errors(PracticeExam, {"form": "NBME 12", "taken": "2026-11-01", "score": "230.5"})["score"]
    assert PracticeExam.from_input({"form": "free 120", "taken": "2026-11-01", "score": "71.5"}).score == 71.5
    assert "percentage" in errors(PracticeExam, {"form": "Free 120", "taken": "2026-11-01", "score": "101"})["score"]
    assert "required" in errors(PracticeExam, {"form": "", "taken": "2026-11-01", "score": "230"})["form"]


def test_question_counts() -> None:
    assert "from 0 to 1000" in errors(QbankDay, {"day": "2026-11-01", "done": "-1", "correct": "0"})["done"]
    assert "more than" in errors(QbankDay, {"day": "2026-11-01", "done": "40", "correct": "41"})["correct"]
    assert "whole number" in errors(QbankDay, {"day": "2026-11-01", "done": "forty", "correct": "1"})["done"]
    assert QbankDay.from_input({"day": "2026-11-01", "done": "40", "correct": "40", "mode": "Tutor"}).mode == "tutor"
    assert (
        "timed_random" in errors(QbankDay, {"day": "2026-11-01", "done": "4", "correct": "1", "mode": "fast"})["mode"]
    )


def test_site_fields() -> None:
    ok = UsceSite.from_input(
        {
            "name": "St. Mary [Main]",
            "cost": "$2,500",
            "weeks": "4",
            "usce_type": "Sub-I",
            "status": "Emailed",
            "hands_on": "Y",
            "contact_email": "gme@stmary.org",
        }
    )
    assert (ok.cost, ok.weeks, ok.usce_type, ok.status, ok.hands_on) == (2500, 4, "sub_internship", "contacted", True)
    assert UsceSite.from_input({"name": "x", "cost": "2500 USD"}).cost == 2500
    assert "1 to 52" in errors(UsceSite, {"name": "x", "weeks": "0"})["weeks"]
    assert "from 0 to" in errors(UsceSite, {"name": "x", "cost": "-5"})["cost"]
    assert "e-mail" in errors(UsceSite, {"name": "x", "contact_email": "not-an-address"})["contact_email"]
    assert "yes or no" in errors(UsceSite, {"name": "x", "hands_on": "maybe"})["hands_on"]
    assert "one of" in errors(UsceSite, {"name": "x", "status": "pondering"})["status"]
    assert "required" in errors(UsceSite, {"name": "  "})["name"]


def test_profile_enumerations_accept_obvious_spellings() -> None:
    p = Profile.from_input(
        {
            "specialty": "Internal Medicine",
            "program_tier": "mid-tier academic",
            "visa": "H-1B",
            "step1_status": "Passed",
            "step2_status": "pending",
        }
    )
    assert (p.specialty, p.program_tier, p.visa, p.step1_status) == (
        "internal_medicine",
        "university_affiliated",
        "h1b",
        "pass",
    )
    assert Profile.from_input({"specialty": "IM"}).specialty == "internal_medicine"


def test_profile_cross_field_rules() -> None:
    assert (
        "after the study start"
        in errors(Profile, {"study_start": "2026-12-01", "exam_date": "2026-11-01"})["exam_date"]
    )
    assert "required" in errors(Profile, {"step1_status": "numeric"})["step1_score"]
    assert "1 to 300" in errors(Profile, {"target_score": "400"})["target_score"]
    assert "not a field" in errors(Profile, {"nonsense": "1"})["nonsense"]


def test_inquiry_and_letter_dates() -> None:
    assert "before" in errors(Inquiry, {"site_id": 1, "sent": "2026-11-10", "replied": "2026-11-01"})["replied"]
    assert Letter.from_input({"writer": "Dr. X", "us_faculty": "no"}).us_faculty is False


def test_stored_documents_roundtrip() -> None:
    site = UsceSite.from_input({"name": "Mercy", "start": "2027-03-01", "weeks": 4})
    again = UsceSite.from_doc(site.to_doc(), 3)
    assert again == site and again.doc_id == 3


def test_days_off_list() -> None:
    p = Profile.from_input({"days_off": "2026-12-25, 2026-12-24, 2026-12-25"})
    assert [d.isoformat() for d in p.days_off] == ["2026-12-24", "2026-12-25"]
    assert Profile.from_doc(p.to_doc()).days_off == p.days_off
    assert "not a real calendar date" in errors(Profile, {"days_off": "2026-12-24, 2026-13-01"})["days_off"]


@pytest.mark.parametrize(
    "typed",
    [
        "Dec 24, 2026, Dec 25, 2026",  # US written dates hold commas themselves
        "December 24, 2026; December 25, 2026",
        "2026-12-24, Dec 25 2026; 2026-12-24",  # separators mixed
        "12/24/2026,12/25/2026",
    ],
)
def test_days_off_written_as_people_write_dates(typed: str) -> None:
    assert [d.isoformat() for d in Profile.from_input({"days_off": typed}).days_off] == ["2026-12-24", "2026-12-25"]


STORED_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", " x", "x ", "2026-02-30", "internal_medicine", "a@b.org", "yes", "NBME 12", "12.0"]),
    st.text(max_size=8),
)


# ---------------------------------------------------------------- practice forms (data/practice_forms.json)


@pytest.mark.parametrize(
    "typed, label, scale, predicts",
    [
        ("nbme12", "NBME 12", "three_digit", True),
        ("CCSSA 11", "NBME 11", "three_digit", True),
        ("uwsa2", "UWSA 2", "three_digit", True),
        ("Free120", "Free 120", "percent", False),
        ("AMBOSS SA", "AMBOSS SA", "three_digit", True),
        ("CMS medicine 3", "CMS MEDICINE3", "percent", False),
    ],
)
def test_known_forms_bring_their_scale_and_role(typed: str, label: str, scale: str, predicts: bool) -> None:
    score = 62 if scale == "percent" else 231
    exam = PracticeExam.from_input({"form": typed, "taken": "2026-11-01", "score": score})
    assert (exam.form, exam.scale, exam.predicts) == (label, scale, predicts)


def test_an_unknown_form_needs_a_stated_scale_and_never_feeds_the_prediction() -> None:
    """'Kaplan 3' = 68 was read as 68 on the Step scale ('Projected 1 +/- 1234')."""
    with pytest.raises(ValidationErrors, match="not a form imgtui knows: say its scale"):
        PracticeExam.from_input({"form": "Kaplan 3", "taken": "2026-11-01", "score": 68})
    kaplan = PracticeExam.from_input({"form": "Kaplan 3", "taken": "2026-11-01", "score": 68, "scale": "percent"})
    assert kaplan.is_percentage and not kaplan.predicts
    with pytest.raises(ValidationErrors, match="400 is out of range; expected a whole three-digit score"):
        PracticeExam.from_input({"form": "Kaplan 3", "taken": "2026-11-01", "score": 400, "scale": "three digit"})
    with pytest.raises(ValidationErrors, match="is a percentage from 0 to 100"):
        PracticeExam.from_input({"form": "Free 120", "taken": "2026-11-01", "score": 231})


def test_a_stored_unknown_form_is_migrated_to_a_scale(tmp_path) -> None:
    import json

    from imgtui.store import Store

    db = tmp_path / "db.json"
    exam = {"form": "Kaplan 3", "taken": "2026-11-01", "score": 68, "notes": ""}
    db.write_text(json.dumps({"meta": {"1": {"schema_version": 3}}, "practice_exams": {"1": exam}}))
    stored = Store(db).exams()
    assert [(e.form, e.scale, e.predicts) for e in stored] == [("Kaplan 3", "percent", False)]


def test_a_date_without_its_year_takes_the_nearest_one() -> None:
    """'Nov 28' was refused for want of a year: the closest such day to today is meant."""
    from datetime import date as real_date

    from imgtui.fields import _nearest_year

    today = real_date(2026, 12, 3)
    assert _nearest_year(11, 28, today) == real_date(2026, 11, 28)
    assert _nearest_year(1, 10, today) == real_date(2027, 1, 10)  # early January, seen in December
    assert _nearest_year(8, 1, today) == real_date(2026, 8, 1)
    assert _nearest_year(2, 29, real_date(2027, 3, 1)) == real_date(2028, 2, 29)
    assert parse_date("Nov 28").month == 11


def test_days_off_take_ranges() -> None:
    profile = Profile.from_input({"days_off": "Dec 24-26, 2026; 2027-01-01 to 2027-01-02"})
    assert [str(d) for d in profile.days_off] == ["2026-12-24", "2026-12-25", "2026-12-26", "2027-01-01", "2027-01-02"]
    with pytest.raises(ValidationErrors, match="a range of days off runs forward"):
        Profile.from_input({"days_off": "2027-01-05 to 2026-12-01"})
