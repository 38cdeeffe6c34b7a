"""Go / delay decision and the score trend, including the edges of each range."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imgtui.core.decision import BORDERLINE, DELAY, GO, NOT_ENOUGH_DATA, decide, eras_safe_date
from imgtui.core.rules import default_rules
from imgtui.core.target import suggest_target
from imgtui.core.trend import project
from imgtui.records import PracticeExam, Profile, QbankDay

RULES = default_rules()
TODAY = date(2026, 11, 22)


def profile(**values) -> Profile:
    base = {
        "specialty": "IM",
        "program_tier": "university_affiliated",
        "graduation_year": 2024,
        "eras_year": 2027,
        "study_start": "2026-08-01",
        "exam_date": "2027-01-30",
        "target_score": 240,
    }
    base.update(values)
    return Profile.from_input(base)


def exams(*scores: tuple[str, int, int]) -> list[PracticeExam]:
    """(form, days before TODAY, score)"""
    return [PracticeExam.from_input({"form": f, "taken": TODAY - timedelta(days=d), "score": s}) for f, d, s in scores]


def good_qbank(pct: float = 65, days: int = 10) -> list[QbankDay]:
    return [
        QbankDay.from_input({"day": TODAY - timedelta(days=i), "done": 100, "correct": round(pct), "mode": "timed"})
        for i in range(days)
    ]


FULL = ("UWSA 1", 3, 236)


def run(p: Profile, ex, qb=None):
    return decide(p, ex, good_qbank() if qb is None else qb, TODAY, suggest_target(p, TODAY, RULES), RULES)


def reason(decision, rule):
    return [r for r in decision.reasons if r.rule == rule]


def test_go_when_recent_scores_within_ten_and_everything_else_is_fine() -> None:
    d = run(profile(), exams(("NBME 11", 20, 228), FULL, ("NBME 12", 1, 232)))
    assert d.verdict == GO
    msg = reason(d, "go_score")[0].message
    assert "8 below the 240 target; GO needs within 10" in msg


@pytest.mark.parametrize("graduated", [2018, 2012])
def test_an_older_graduate_with_every_score_above_target_gets_go(graduated: int) -> None:
    """An IMG 8 or 14 years out with scores above the raised target [000, 003]: years since
    graduation argue against postponing, never against sitting."""
    p = profile(graduation_year=graduated)
    d = run(p, exams(("NBME 11", 20, 246), FULL, ("NBME 12", 1, 248)))
    assert d.verdict == GO
    years = reason(d, "older_graduate")[0]
    assert years.severity == "info" and "avoid postponing" in years.message


@pytest.mark.parametrize("latest, severity", [(230, "ok"), (229, "delay")])
def test_exactly_ten_below_target_is_the_edge(latest: int, severity: str) -> None:
    d = run(profile(), exams(("NBME 10", 30, latest), ("UWSA 1", 3, latest), ("NBME 12", 1, latest)))
    assert reason(d, "go_score")[0].severity == severity
    assert d.verdict == (GO if severity == "ok" else DELAY)


def test_message_names_form_numbers_and_rule() -> None:
    d = run(profile(), exams(("NBME 11", 30, 224), FULL, ("NBME 12", 1, 226)))
    r = reason(d, "go_score")[0]
    assert r.message.startswith("Latest NBME 12 226 is 14 below the 240 target; GO needs within 10")
    assert r.numbers == {"latest": 226, "target": 240, "gap": 14, "go_within": 10}
    assert r.sources == ("001",)


@pytest.mark.parametrize("score, flagged", [(219, True), (220, False)])
def test_scores_under_220_are_flagged(score: int, flagged: bool) -> None:
    d = run(profile(), exams(("NBME 11", 10, score), FULL, ("NBME 12", 1, 236)))
    assert bool(reason(d, "low_score")) == flagged


@pytest.mark.parametrize("pct, severity", [(54.9, "delay"), (55, "caution"), (59.9, "caution"), (60, "ok")])
def test_timed_mixed_percentage_edges(pct: float, severity: str) -> None:
    qb = [
        QbankDay.from_input(
            {"day": TODAY - timedelta(days=1), "done": 1000, "correct": round(pct * 10), "mode": "timed_random"}
        )
    ]
    d = run(profile(), exams(("NBME 11", 20, 236), FULL, ("NBME 12", 1, 238)), qb)
    assert reason(d, "qbank_percent")[0].severity == severity


def test_tutor_blocks_do_not_count_as_timed_mixed() -> None:
    qb = [QbankDay.from_input({"day": TODAY, "done": 100, "correct": 90, "mode": "tutor"})]
    d = run(profile(), exams(("NBME 11", 20, 236), FULL, ("NBME 12", 1, 238)), qb)
    assert reason(d, "qbank_percent")[0].numbers["done"] == 0
    assert reason(d, "qbank_percent")[0].message.startswith("No timed-mixed questions logged in the last 14 days")
    one = [QbankDay.from_input({"day": TODAY, "done": 1, "correct": 1, "mode": "timed"})]
    d = run(profile(), exams(("NBME 11", 20, 236), FULL, ("NBME 12", 1, 238)), one)
    assert reason(d, "qbank_percent")[0].message.startswith("Only 1 timed-mixed question logged")


def test_no_full_length_is_caution_far_out_and_delay_close_to_the_exam() -> None:
    far = run(profile(), exams(("NBME 11", 20, 236), ("NBME 12", 1, 238)))
    assert reason(far, "full_length")[0].severity == "caution" and far.verdict == BORDERLINE
    near = run(profile(exam_date=str(TODAY + timedelta(days=14))), exams(("NBME 11", 20, 236), ("NBME 12", 1, 238)))
    assert reason(near, "full_length")[0].severity == "delay" and near.verdict == DELAY


def test_not_enough_data() -> None:
    assert run(profile(), []).verdict == NOT_ENOUGH_DATA
    assert run(profile(), exams(FULL)).verdict == NOT_ENOUGH_DATA  # one score: no trend yet
    assert run(profile(exam_date=None), exams(FULL)).verdict == NOT_ENOUGH_DATA


def test_eras_safe_date_is_opening_minus_four_weeks() -> None:
    assert eras_safe_date(profile(), RULES) == date(2027, 9, 1) - timedelta(weeks=4)
    late = run(profile(exam_date="2027-08-20"), exams(("NBME 11", 20, 236), FULL, ("NBME 12", 1, 238)))
    assert reason(late, "eras_timing")[0].severity == "caution"


def test_delay_suggests_a_date_from_the_trend_limited_by_eras() -> None:
    ex = exams(("NBME 9", 60, 205), ("NBME 10", 40, 212), ("NBME 11", 20, 219), ("UWSA 1", 1, 226))
    d = run(profile(), ex)
    assert d.verdict == DELAY
    assert d.suggested_exam_date is not None and date(2027, 1, 30) < d.suggested_exam_date <= eras_safe_date(
        profile(), RULES
    )
    # trend of ~+2.4/week needs (230-226)/2.4 weeks past today; never before the old date + 2 weeks
    assert d.suggested_exam_date >= date(2027, 1, 30) + timedelta(weeks=2)


def test_weak_scores_are_never_pushed_toward_the_eras_date() -> None:
    """[003]: do not rush Step 2 CK for ERAS when scores are weak; a fail is much worse than
    a late score. Scores around 200 get the articles' three ways, never the ERAS-safe date."""
    ex = exams(("NBME 9", 60, 200), ("NBME 10", 30, 201), ("UWSA 1", 1, 202))
    d = run(profile(exam_date="2027-07-30"), ex)
    assert d.verdict == DELAY
    assert any("next cycle" in o for o in d.options) and any("Step 2 CK pending" in o for o in d.options)
    assert not any("ERAS-safe" in o or "broader program list" in o for o in d.options)
    assert d.suggested_exam_date is None or d.suggested_exam_date > date(2027, 7, 30)


@pytest.mark.parametrize("scores", [(205, 210, 215), (214, 212, 209), (219, 218, 219)])
def test_an_applicant_scoring_205_to_219_is_offered_no_earlier_or_eras_driven_date(scores) -> None:
    """The issue's applicant: practice scores of 205-215, ERAS in September, exam in June."""
    ex = exams(("NBME 10", 40, scores[0]), ("NBME 11", 20, scores[1]), ("UWSA 1", 2, scores[2]))
    p = profile(exam_date="2027-06-15", eras_year=2027)
    d = run(p, ex)
    assert d.verdict == DELAY
    assert d.suggested_exam_date is None or d.suggested_exam_date > p.exam_date
    note = next(r for r in reason(d, "low_score") if "Do not rush" in r.message)
    assert "a fail is much worse than a late score" in note.message and "[003]" in note.message


def test_two_scores_the_newest_130_days_old_never_give_go() -> None:
    """Stale data: good scores long ago say little about today (imgtui's own 28-day limit)."""
    ex = exams(("NBME 11", 160, 236), ("UWSA 1", 130, 244))
    d = run(profile(), ex)
    assert d.verdict != GO
    stale = next(r for r in reason(d, "trend") if "days old" in r.message)
    assert stale.severity == "caution" and "130 days old" in stale.message and "its own limit" in stale.message
    assert all(r.severity != "ok" for r in reason(d, "trend"))


def test_a_single_baseline_fifteen_weeks_out_is_too_early_to_judge() -> None:
    """A baseline of 221, 15 weeks before the exam, is where the plan starts, not a DELAY."""
    ex = exams(("NBME 9", 0, 221))
    p = profile(exam_date=(TODAY + timedelta(weeks=15)).isoformat())
    d = decide(p, ex, good_qbank(), TODAY, suggest_target(p, TODAY, RULES), RULES, None, date(2026, 12, 6))
    assert d.verdict == NOT_ENOUGH_DATA and d.suggested_exam_date is None
    early = next(r for r in reason(d, "go_score") if r.message.startswith("Too early to judge"))
    assert "next checkpoint is on 2026-12-06" in early.message and "its own rule" in early.message
    # six weeks out, the same single score is judged
    p = profile(exam_date=(TODAY + timedelta(weeks=5)).isoformat())
    assert run(p, ex).verdict == DELAY


def test_retake_needs_a_margin_over_the_pass_mark() -> None:
    p = profile(step2_status="failed", step2_attempts=1, target_score=225)
    d = run(p, exams(("NBME 11", 20, 224), FULL, ("NBME 12", 1, 225)))
    r = next(x for x in reason(d, "first_attempt") if "Retake" in x.message)
    assert r.severity == "delay" and r.numbers["needed"] == 218 + 8


def test_postponements_piling_up_are_warned() -> None:
    d = run(profile(exam_delays=2), exams(("NBME 11", 20, 236), FULL, ("NBME 12", 1, 238)))
    assert reason(d, "delay_guard")[0].severity == "caution"


def test_passed_step2_needs_no_decision() -> None:
    d = run(profile(step2_status="passed", step2_score=241), [])
    assert d.verdict == GO and "no retake" in d.reasons[0].message


# ---------------------------------------------------------------- trend


def test_band_never_narrower_than_measurement_error() -> None:
    ex = exams(*[(f"NBME {9 + i}", 60 - 10 * i, 220 + 2 * i) for i in range(6)])
    proj = project(ex, TODAY, TODAY, 240, RULES)
    assert proj is not None and proj.half_width(TODAY) >= 8


def test_band_is_wider_with_few_and_old_points() -> None:
    one = project(exams(("NBME 9", 1, 230)), TODAY, TODAY + timedelta(weeks=8), 240, RULES)
    many = project(
        exams(*[(f"NBME {9 + i}", 40 - 7 * i, 226 + i) for i in range(5)]),
        TODAY,
        TODAY + timedelta(weeks=8),
        240,
        RULES,
    )
    assert one.at_exam()[1] > many.at_exam()[1]
    assert one.half_width(TODAY + timedelta(weeks=8)) > one.half_width(TODAY)


def test_free120_stays_out_of_the_trend() -> None:
    ex = exams(("NBME 9", 20, 220), ("Free 120", 10, 70), ("NBME 10", 1, 226))
    proj = project(ex, TODAY, TODAY + timedelta(weeks=4), 240, RULES)
    assert [s for _, s in proj.points] == [220, 226]


def test_time_to_target() -> None:
    ex = exams(("NBME 9", 28, 220), ("NBME 10", 14, 224), ("NBME 11", 0, 228))
    proj = project(ex, TODAY, TODAY + timedelta(weeks=20), 240, RULES)
    assert proj.reaches(240, TODAY) == TODAY + timedelta(weeks=6)
    flat = project(exams(("NBME 9", 28, 228), ("NBME 10", 0, 226)), TODAY, TODAY, 240, RULES)
    assert flat.reaches(240, TODAY) is None


def test_a_past_exam_date_asks_for_the_result() -> None:
    d = run(profile(exam_date="2026-11-01"), exams(("NBME 11", 40, 236), FULL))
    assert d.verdict == NOT_ENOUGH_DATA and "has passed" in d.reasons[0].message


def test_after_a_postponement_to_a_date_the_trend_reaches_no_further_date_is_suggested() -> None:
    """Applying the suggested date must not lead to a new suggestion each time (the guard rail)."""
    ex = exams(("NBME 9", 60, 205), ("NBME 10", 40, 212), ("NBME 11", 20, 219), ("UWSA 1", 1, 226))
    first = run(profile(), ex)
    assert first.verdict == DELAY and first.suggested_exam_date is not None
    moved = profile(exam_date=first.suggested_exam_date.isoformat(), exam_delays=1)
    again = run(moved, ex)
    assert again.verdict == DELAY  # the recent 219 still fires its rule
    assert again.suggested_exam_date is None and again.options == ()
    note = reason(again, "delay_guard")[-1]
    assert note.message.startswith(f"No further postponement suggested: the exam on {first.suggested_exam_date}")
    assert note.numbers["projected"] >= 240 - 10
    # not postponed yet: a date is still suggested, as before
    assert run(profile(exam_date=first.suggested_exam_date.isoformat()), ex).suggested_exam_date is not None


@settings(max_examples=150, deadline=None)
@given(
    latest=st.integers(150, 219),
    earlier=st.lists(st.integers(150, 260), min_size=1, max_size=3),
    exam_in=st.integers(7, 300),
    eras_year=st.sampled_from([None, 2027, 2028]),
)
def test_no_one_under_220_is_offered_an_earlier_or_eras_driven_date(latest, earlier, exam_in, eras_year) -> None:
    ex = exams(*[("NBME 10", 60 - 10 * i, score) for i, score in enumerate(earlier)], ("NBME 12", 1, latest))
    p = profile(exam_date=(TODAY + timedelta(days=exam_in)).isoformat(), eras_year=eras_year)
    d = run(p, ex)
    assert d.suggested_exam_date is None or d.suggested_exam_date > p.exam_date
    assert not any("ERAS-safe" in option for option in d.options)


def test_no_verdict_before_a_target_but_the_pass_probability_still_shows() -> None:
    """Scores that would give GO against a target give no verdict while there is none:
    nothing to judge them against, and the one step is to choose it."""
    p = profile(specialty="", program_tier="", target_score="")
    assert p.specialty is None and p.target_score is None
    d = run(p, exams(("NBME 11", 20, 228), FULL, ("NBME 12", 1, 232)))
    assert d.verdict == NOT_ENOUGH_DATA
    assert [step.rule for step in d.to_go] == ["target"] and "Choose your target specialty" in d.to_go[0].message
    assert reason(d, "target_by_group")[0].severity == "caution"
    assert d.prediction is not None and 0.9 < d.prediction.pass_probability <= 1
    assert d.projection is None and not reason(d, "go_score")
    # The same applicant with the specialty and tier chosen is judged.
    assert run(profile(), exams(("NBME 11", 20, 228), FULL, ("NBME 12", 1, 232))).verdict == GO
