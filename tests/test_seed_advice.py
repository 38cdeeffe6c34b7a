"""Advice the articles give that imgtui had no counterpart for, each with an applicant from them."""

from __future__ import annotations

from datetime import date, timedelta

from imgtui.core.decision import decide
from imgtui.core.overview import Snapshot, build_overview
from imgtui.core.rules import default_rules
from imgtui.core.target import suggest_target
from imgtui.core.usce_summary import summarise_usce
from imgtui.records import PracticeExam, Profile, UsceSite

RULES = default_rules()
TODAY = date(2026, 11, 22)


def profile(**values) -> Profile:
    return Profile.from_input({"specialty": "IM", "program_tier": "community", **values})


def messages(advice) -> str:
    return " | ".join(a.message for a in advice)


def test_a_legacy_numeric_step1_sets_the_aim() -> None:
    """[001]: with a numeric Step 1 (say 258), aim Step 2 CK close to or above it."""
    t = suggest_target(profile(step1_status="numeric", step1_score=258), TODAY, RULES)
    assert (
        t.score == 258
        and "Step 1 258: with a legacy numeric Step 1, aim Step 2 CK close to or above it" in messages(t.reasons)
    )


def test_step1_pending_says_pass_it_first() -> None:
    """[001, 003]: pass Step 1 first, on the first attempt, before serious USCE."""
    t = suggest_target(profile(step1_status="pending"), TODAY, RULES)
    line = next(r for r in t.reasons if r.rule == "step1_guidance")
    assert line.severity == "caution" and "on the first attempt" in line.message


def test_an_h1b_seeker_hears_of_step3_and_sponsoring_programs() -> None:
    """[001]: some programs like Step 3 done early for visas; [003]: H-1B vs J-1 changes the pool."""
    t = suggest_target(profile(visa="H-1B"), TODAY, RULES)
    line = next(r for r in t.reasons if r.rule == "visa_advice")
    assert "Step 3 done early" in line.message and "[001]" in line.message and "[003]" in line.message


def test_after_a_fail_the_failure_narrative() -> None:
    """[001]: a compelling narrative explaining what changed; [003]: improvement and resilience."""
    for fail in ({"step1_status": "pass_after_fail"}, {"step2_status": "failed", "step2_attempts": 1}):
        t = suggest_target(profile(**fail), TODAY, RULES)
        assert any(r.rule == "failure_narrative" and "what changed" in r.message for r in t.reasons)
    assert not any(r.rule == "failure_narrative" for r in suggest_target(profile(), TODAY, RULES).reasons)


def test_under_220_gets_backup_options() -> None:
    """[000]: very broad applications and possibly a backup specialty; [003]: prelim IM, TY."""
    p = profile(exam_date="2027-03-01", study_start="2026-10-01", eras_year=2027)
    exams = [
        PracticeExam.from_input({"form": f, "taken": TODAY - timedelta(days=d), "score": s})
        for f, d, s in (("NBME 10", 30, 208), ("NBME 11", 10, 212))
    ]
    d = decide(p, exams, [], TODAY, suggest_target(p, TODAY, RULES), RULES)
    assert any(r.rule == "backup_options" and "backup specialty" in r.message for r in d.reasons)
    summary = summarise_usce(profile(), [], [], 214, TODAY, RULES)
    assert any(a.rule == "backup_options" for a in summary.advice)


def test_a_full_time_rotation_inside_the_study_window_is_a_caution() -> None:
    """[000]: don't try to do full-time intense USCE and serious Step 2 prep at once."""
    p = profile(study_start="2026-10-01", exam_date="2027-02-15")
    inside = UsceSite.from_input(
        {"name": "Mercy", "start": "2027-01-04", "weeks": 4, "full_time": True, "status": "booked"}
    )
    after = UsceSite.from_input(
        {"name": "Lakeside", "start": "2027-03-01", "weeks": 4, "full_time": True, "status": "booked"}
    )
    clash = summarise_usce(p, [inside, after], [], None, TODAY, RULES)
    line = next(a for a in clash.advice if a.rule == "full_time_usce")
    assert line.severity == "caution" and "Mercy" in line.message and "Lakeside" not in line.message
    assert not any(a.rule == "full_time_usce" for a in summarise_usce(p, [after], [], None, TODAY, RULES).advice)


def test_after_the_exam_the_band_is_the_real_score_and_the_target_lines_go() -> None:
    passed = profile(step2_status="passed", step2_score=226)
    ov = build_overview(Snapshot(passed), TODAY, RULES)
    assert ov.band.message.startswith("Your Step 2 CK 226 is below average for IMGs [000]")
    assert ov.target.reasons == ()
