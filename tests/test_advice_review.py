"""What a line-by-line review of the advice on the realistic applicants found, each pinned on
the applicant it misled (see tests/test_applicants.py for where each comes from)."""

from __future__ import annotations

from datetime import date, timedelta

from imgtui.core.decision import decide
from imgtui.core.overview import Snapshot, build_overview
from imgtui.core.rules import default_rules
from imgtui.core.target import suggest_target
from imgtui.records import PracticeExam, Profile, QbankDay

from .test_applicants import CASES, TODAY, overview

RULES = default_rules()
APPLICANTS = {case_id: applicant for case_id, applicant, _ in CASES}


def all_lines(case_id: str) -> list[str]:
    ov = overview(APPLICANTS[case_id])
    reasons = (*ov.target.reasons, ov.band, *ov.usce.advice, ov.programs, *ov.decision.reasons)
    return [item.text for item in ov.items] + [r.message for r in reasons]


def test_no_line_says_1_scores_or_repeats_itself() -> None:
    for case_id in APPLICANTS:
        for line in all_lines(case_id):
            assert " 1 scores" not in line, (case_id, line)
            assert line.count("Behind plan by") <= 1, (case_id, line)
            assert line.count("((") == 0, (case_id, line)


def test_the_steps_to_go_are_steps_each_said_once() -> None:
    """A low score and the target gap ask for the same step once; 'a far score is worth a later
    date' is no step; a retake's step is the score it needs."""
    weak = overview(APPLICANTS["003-weak-practice-scores"]).decision.to_go
    messages = [step.message for step in weak]
    assert len(messages) == len(set(messages)) and not any("First attempt" in m for m in messages)
    retake = [step.message for step in overview(APPLICANTS["retake"]).decision.to_go]
    assert "Log a practice score of 226 or more" in retake and not any(m.startswith("Retake:") for m in retake)


def test_a_trend_is_not_carried_for_months_and_a_wide_band_is_no_reason_for_go() -> None:
    """NBME 205, 212, 215 and the exam 30 weeks away: the straight line gave 'Projected 272',
    marked ok. The trend is held flat after 16 weeks (imgtui's own limit) and a band that reaches
    far below the target is shown, never marked ok."""
    ov = overview(APPLICANTS["003-weak-practice-scores"])
    projection = ov.decision.projection
    assert projection is not None
    center = projection.at_exam()[0]
    latest = projection.latest[1]
    assert center <= latest + (projection.slope_per_week or 0) * 16 + 1
    line = next(r for r in ov.decision.reasons if r.rule == "trend")
    assert line.severity != "ok" and "held flat 16 weeks after the latest score (imgtui's own limit)" in line.message
    assert "too wide to count on" in line.message
    # Close to the exam with steady scores the band is narrow and the line counts.
    p = Profile.from_input(
        {"specialty": "IM", "program_tier": "community", "exam_date": TODAY + timedelta(days=10), "eras_year": 2027}
    )
    exams = [
        PracticeExam.from_input({"form": form, "taken": TODAY - timedelta(days=d), "score": s})
        for form, d, s in (("NBME 10", 30, 238), ("NBME 11", 20, 240), ("NBME 12", 10, 241), ("NBME 13", 2, 243))
    ]
    qbank = [
        QbankDay.from_input({"day": TODAY - timedelta(days=i), "done": 100, "correct": 66, "mode": "timed"})
        for i in range(10)
    ]
    steady = decide(p, exams, qbank, TODAY, suggest_target(p, TODAY, RULES), RULES)
    assert next(r for r in steady.reasons if r.rule == "trend").severity == "ok"


def test_the_decision_and_today_name_the_same_next_checkpoint() -> None:
    """A baseline NBME logged on day one fills the first checkpoint: 'too early, the next
    checkpoint is on ...' names the one Today shows, not the one already done."""
    ov = overview(APPLICANTS["baseline-too-early"])
    upcoming = ov.next_checkpoint()
    assert upcoming is not None
    too_early = next(r for r in ov.decision.reasons if "Too early to judge" in r.message)
    assert f"the next checkpoint is on {upcoming.checkpoint.day}" in too_early.message


def test_a_failed_step2_is_not_called_not_yet_taken() -> None:
    lines = all_lines("retake")
    assert not any("Step 2 CK not yet taken" in line for line in lines)
    assert any("Step 2 CK not yet passed (a retake ahead)" in line for line in lines)


def test_numbers_of_imgtuis_own_say_so_in_the_message() -> None:
    lines = " | ".join(all_lines("001-step1-fail-derm") + all_lines("003-community"))
    assert "suggested 255 (imgtui's pick in that range)" in lines
    assert "suggested 235 (imgtui's pick in that range)" in lines
    assert '"we don\'t usually interview below 225" [000]' in lines and "e.g. 235+ [003]" in lines


def test_under_220_is_not_sized_from_the_220_234_row() -> None:
    ov = overview(APPLICANTS["000-under-220"])
    assert "220-234" not in ov.programs.message and "120-150+ may be necessary" in ov.programs.message


def test_behind_plan_with_questions_logged_today_reads_once() -> None:
    """Far behind, with 100 done today: one 'Behind plan by N' that counts today's work."""
    start = date(2026, 9, 1)
    profile = Profile.from_input(
        {"specialty": "IM", "program_tier": "community", "study_start": start, "exam_date": "2027-01-10"}
    )
    qbank = (QbankDay.from_input({"day": TODAY, "done": 100, "correct": 66, "mode": "timed"}),)
    ov = build_overview(Snapshot(profile, (), qbank, (), (), ()), TODAY, RULES)
    catchup = next(item for item in ov.items if item.kind == "catchup")
    assert catchup.text.count("Behind plan by") == 1 and "counting the 100 logged today" in catchup.text


def test_the_final_phase_asks_for_self_assessments_never_a_question_bank_block() -> None:
    """UWSA 1 taken early in the core: the final phase still plans self-assessments [001],
    and when the named forms run out it asks for any other one, not a long block."""
    ov = overview(APPLICANTS["001-go-within-10"])
    finals = [s.checkpoint for s in ov.checkpoints if s.checkpoint.kind == "final" and s.status == "planned"]
    assert len(finals) >= 2
    assert not any(c.form == RULES["checkpoints"]["core_fallback_form"] for c in finals)
    assert any(c.form.startswith("Another self-assessment") for c in finals)


def test_a_form_not_taken_comes_before_any_long_block() -> None:
    """NBME 9, 10 and 11 on their days, then UWSA 1 on NBME 12's day: NBME 12 is still to
    take, so the next core checkpoint asks for it (and NBME 13...), not for a long block."""
    from .test_applicants import Applicant

    profile = {"exam_date": "2027-03-20", "study_start": "2026-08-01", "eras_year": 2027}
    core = [c for c in overview(Applicant("plan", profile)).plan.checkpoints if c.kind == "core"]
    forms = ["NBME 9", "NBME 10", "NBME 11", "UWSA 1"]
    exams = [(form, (TODAY - c.day).days, 230) for form, c in zip(forms, core, strict=False)]
    ov = overview(Applicant("UWSA 1 early", profile, exams=exams))
    done = {s.checkpoint.day: s.checkpoint.form for s in ov.checkpoints if s.status == "done"}
    assert done[core[3].day] == "UWSA 1"  # named by the exam that filled it
    ahead = [s.checkpoint.form for s in ov.checkpoints if s.status == "planned" and s.checkpoint.kind == "core"]
    assert ahead[:2] == ["NBME 12", "NBME 13"]


def test_the_plan_and_program_lines_say_what_is_the_articles_and_what_is_imgtuis() -> None:
    ov = overview(APPLICANTS["001-go-within-10"])
    assert ov.plan is not None
    notes = " | ".join(n.message for n in ov.plan.notes)
    assert "imgtui scales the gap linearly" in notes
    assert "ideally 1.2-1.5 passes if time permits [003]" in notes  # [003]: "ideally 1.2-1.5x"
    assert "for your target 235 (the projection reaches it)" in ov.programs.message
