"""Study plan: phases, checkpoints, daily targets, catch-up (unit and property tests)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imgtui.core.checkpoints import checkpoint_statuses
from imgtui.core.rules import default_rules
from imgtui.core.schedule import (
    PlanError,
    PlanInput,
    build_plan,
    catch_up,
    daily_floors,
    spread,
    study_days,
)
from imgtui.records import PracticeExam, QbankDay

RULES = default_rules()
START = date(2026, 9, 7)


def plan_for(weeks: int, baseline: int | None = 220, target: int = 240, **kw):
    return build_plan(PlanInput(START, START + timedelta(weeks=weeks), target, baseline, **kw), RULES)


def test_standard_window_has_phases_in_their_ranges() -> None:
    plan = plan_for(20)
    baseline, core, final = plan.phases
    assert 14 <= baseline.days <= 28 and 56 <= core.days <= 112 and 21 <= final.days <= 28
    assert not [n for n in plan.notes if n.severity == "caution"]


def test_larger_gap_gives_longer_core() -> None:
    small = plan_for(24, baseline=235, target=240)
    large = plan_for(24, baseline=200, target=240)
    assert small.notes[0].numbers["core_weeks"] == 9 and large.notes[0].numbers["core_weeks"] == 16


def test_a_baseline_at_or_above_the_target_is_said_so_and_gets_the_shortest_core() -> None:
    above = plan_for(24, baseline=252, target=235).notes[0]
    assert above.message.startswith("Baseline 252 is at or above the 235 target: core of 8 weeks")
    assert above.numbers["core_weeks"] == 8 and above.numbers["gap"] == 0
    assert plan_for(24, baseline=230, target=235).notes[0].message.startswith("Baseline 230 is 5 below the 235 target")


def test_short_window_is_compressed_and_says_what_fits() -> None:
    plan = plan_for(8)
    note = next(n for n in plan.notes if "Compressed" in n.message)
    assert note.numbers["fits_from"] == START + timedelta(days=13 * 7 - 1)
    assert sum(p.days for p in plan.phases) == 8 * 7 + 1


def test_long_window_is_stretched_and_says_what_fits() -> None:
    plan = plan_for(40)
    note = next(n for n in plan.notes if "Stretched" in n.message)
    assert note.numbers["fits_by"] == START + timedelta(days=24 * 7 - 1)


def test_a_plan_stretched_by_a_postponement_does_not_offer_an_earlier_exam() -> None:
    """After 'apply new date' moved the exam out, the plan must not argue for the old date."""
    plan = plan_for(40, postponed=True)
    note = next(n for n in plan.notes if "Stretched" in n.message)
    assert "since the exam was postponed: spend the extra weeks on your weak systems" in note.message
    assert "An exam by" not in note.message and "fits_by" not in note.numbers
    # the profile's postponements reach the plan
    from imgtui.core.overview import Snapshot, build_overview
    from imgtui.records import Profile

    dates = {"study_start": "2026-09-07", "exam_date": "2027-06-01"}
    for delays, says in ((0, "An exam by"), (1, "since the exam was postponed")):
        profile = Profile.from_input({**dates, "exam_delays": delays})
        overview_plan = build_overview(Snapshot(profile), START, RULES).plan
        assert overview_plan is not None
        assert says in next(n.message for n in overview_plan.notes if "Stretched" in n.message)


def test_core_shorter_than_gap_suggests_a_later_date() -> None:
    plan = plan_for(14, baseline=200, target=240)  # needs 16 weeks of core
    note = next(n for n in plan.notes if "gap suggests" in n.message)
    assert note.numbers["fits_from"] == START + timedelta(days=14 + 16 * 7 + 21 - 1)


def test_exam_before_start_is_refused() -> None:
    with pytest.raises(PlanError):
        build_plan(PlanInput(START, START, 240), RULES)


def test_checkpoints_follow_the_rules() -> None:
    plan = plan_for(20)
    _baseline, _core, _final = plan.phases
    points = plan.checkpoints
    assert points[0].kind == "baseline" and points[0].day <= START + timedelta(days=2)
    core_days = [p.day for p in points if p.kind == "core"]
    gaps = [(b - a).days for a, b in itertools.pairwise(core_days)]
    assert gaps[0] == 14 and gaps[-1] == 7
    finals = [p for p in points if p.kind == "final"]
    assert 2 <= len(finals) <= 3 and finals[-1].day == plan.exam - timedelta(days=7)
    assert all(7 <= (b.day - a.day).days <= 10 for a, b in itertools.pairwise(finals))
    free120 = [p for p in points if p.kind == "free120"]
    assert free120[0].day == plan.exam - timedelta(days=3)


def test_daily_targets_ramp_and_taper() -> None:
    plan = plan_for(20, qbank_size=5000)
    rates = [w.per_day for w in plan.weeks]
    assert 40 <= rates[0] <= 60 and all(60 <= r <= 80 for r in rates[5:-1]) and rates[-1] <= 40
    assert plan.total >= 5000


def test_window_too_small_for_the_bank_says_how_many_are_left() -> None:
    plan = plan_for(13, qbank_size=9000)
    assert plan.uncovered > 0
    note = next(n for n in plan.notes if n.numbers.get("left"))
    assert note.numbers["left"] == plan.uncovered and note.numbers["absorb_date"] > plan.exam


def test_days_off_and_rest_days_are_not_study_days() -> None:
    off = (START + timedelta(days=1),)
    days = study_days(START, START + timedelta(days=6), 6, off)
    assert len(days) == 5 and all(d.weekday() != 6 for d in days) and off[0] not in days


def qday(day: date, done: int) -> QbankDay:
    return QbankDay.from_input({"day": day, "done": done, "correct": 0})


def test_catch_up_spreads_a_deficit_without_exceeding_80() -> None:
    plan = plan_for(16, qbank_size=3600)
    today = START + timedelta(weeks=6)
    cu = catch_up(plan, [qday(START, 100)], today, RULES)
    assert cu.deficit == cu.planned_to_date - 100 > 0
    assert max(cu.daily.values()) <= 80
    assert sum(cu.daily.values()) + cu.leftover == plan.total - 100
    if cu.leftover:
        assert cu.absorb_date is not None and cu.absorb_date > plan.exam


def test_catch_up_surplus_lightens_the_rest() -> None:
    plan = plan_for(16)
    today = START + timedelta(weeks=2)
    ahead = [qday(d, 80) for d in plan.daily if d < today]
    cu = catch_up(plan, ahead, today, RULES)
    assert cu.deficit < 0 and cu.leftover == 0
    assert sum(cu.daily.values()) >= plan.total - sum(d.done for d in ahead)


def test_a_user_far_ahead_of_plan_is_never_told_to_stop_doing_questions() -> None:
    """[003]: 60-80 a day continue through weeks 9-11; the taper week keeps at least 20.
    A heavy early user once saw 0 a day for the last weeks, then 'no timed questions'."""
    plan = plan_for(12, qbank_size=2400)
    today = START + timedelta(weeks=6)
    ahead = [qday(d, 200) for d in plan.daily if d < today]  # the whole bank is done already
    cu = catch_up(plan, ahead, today, RULES)
    last_week = plan.weeks[-1]
    for day, target in cu.daily.items():
        floor = 20 if last_week.start <= day <= last_week.end else 60
        assert target >= floor, (day, target)
    assert "never under 40 a day early, 60 later, 20 in the last week" in cu.advice.message


@settings(max_examples=100, deadline=None)
@given(weeks=st.integers(6, 24), at=st.floats(0.05, 0.95), per_day=st.integers(0, 400))
def test_no_remaining_day_asks_for_less_than_the_floor_of_its_week(weeks: int, at: float, per_day: int) -> None:
    plan = plan_for(weeks)
    today = START + timedelta(days=int(weeks * 7 * at))
    logs = [qday(d, per_day) for d in plan.daily if d < today]
    cu = catch_up(plan, logs, today, RULES)
    floors = daily_floors(plan, RULES)
    assert all(cu.daily[day] >= floors[day] >= 20 for day in cu.daily)


def test_replan_keeps_logged_data_and_moves_checkpoints() -> None:
    before = plan_for(16)
    after = plan_for(18)
    exams = [PracticeExam.from_input({"form": "NBME 9", "taken": START + timedelta(days=2), "score": 220})]
    assert before.checkpoints[-1].day + timedelta(weeks=2) == after.checkpoints[-1].day
    assert checkpoint_statuses(after, exams, START + timedelta(days=10), RULES)[0].status == "done"


def test_a_long_timed_block_is_filled_by_a_long_timed_random_day_of_the_question_bank() -> None:
    """No exam score fits a long block [003]: a big enough timed random day logged near it does."""
    plan = plan_for(22)
    blocks = [c.day for c in plan.checkpoints if c.form == RULES["checkpoints"]["core_fallback_form"]]
    assert len(blocks) >= 3
    least, window = RULES["checkpoints"]["long_block_min_questions"], RULES["checkpoints"]["match_window_days"]

    def day(when: date, done: int, mode: str = "timed_random") -> QbankDay:
        return QbankDay.from_input({"day": when, "done": done, "correct": done // 2, "mode": mode})

    logged = [
        day(blocks[0] + timedelta(days=1), least),  # fills the first
        day(blocks[1], least - 1),  # too short
        day(blocks[1], least + 40, "tutor"),  # not timed
        day(blocks[2] + timedelta(days=window + 1), least),  # too far from the third
    ]
    today = blocks[2] + timedelta(days=window + 2)
    by_day = {s.checkpoint.day: s for s in checkpoint_statuses(plan, [], today, RULES, logged)}
    assert by_day[blocks[0]].status == "done" and by_day[blocks[0]].logged is logged[0]
    assert by_day[blocks[0]].logged_text() == f"{least} questions 50%"
    assert [by_day[d].status for d in blocks[1:3]] == ["missed", "missed"]
    # One long day fills one block, the nearest; an NBME taken that day fills it as before.
    two = [day(blocks[3] - timedelta(days=1), least + 10)]
    statuses = checkpoint_statuses(plan, [], blocks[4], RULES, two)
    assert [s.status for s in statuses if s.checkpoint.day in blocks[3:5]] == ["done", "today"]
    nbme = [PracticeExam.from_input({"form": "NBME 8", "taken": blocks[4], "score": 230})]
    with_nbme = {s.checkpoint.day: s for s in checkpoint_statuses(plan, nbme, blocks[4], RULES, two)}
    assert with_nbme[blocks[4]].logged_text() == "NBME 8 230"


def test_spread_accounts_for_every_question() -> None:
    amounts, left = spread(1000, [60, 60, 60], 80)
    assert amounts == [80, 80, 80] and left == 760
    amounts, left = spread(100, [10, 30, 60], 80)
    assert sum(amounts) == 100 and left == 0 and amounts[2] > amounts[0]


# ---------------------------------------------------------------- properties

windows = st.integers(min_value=3, max_value=400)
starts = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 1, 1))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=starts,
    days=windows,
    baseline=st.one_of(st.none(), st.integers(150, 270)),
    target=st.integers(218, 270),
    qbank=st.integers(100, 8000),
    per_week=st.integers(1, 7),
)
def test_plan_properties(start, days, baseline, target, qbank, per_week) -> None:
    exam = start + timedelta(days=days)
    plan = build_plan(PlanInput(start, exam, target, baseline, qbank, per_week), RULES)
    phases = plan.phases
    # contiguous, non-overlapping, start to exam exactly
    assert phases[0].start == start and phases[-1].end == exam
    for a, b in itertools.pairwise(phases):
        assert a.end + timedelta(days=1) == b.start
    assert all(p.days >= 1 for p in phases)
    # checkpoints inside their phase and never after the exam
    for point in plan.checkpoints:
        phase = next(p for p in phases if p.name == point.phase)
        assert phase.start <= point.day <= phase.end <= exam
    # daily targets never above 80, only on study days before the exam
    assert all(0 <= n <= 80 for n in plan.daily.values())
    assert all(start <= d < exam for d in plan.daily)
    # totals cover the question bank whenever the window allows it
    if plan.uncovered == 0:
        assert plan.total >= qbank
    else:
        assert plan.total + plan.uncovered >= qbank


@settings(max_examples=100, deadline=None)
@given(days=st.integers(30, 250), offset=st.integers(0, 260), logged=st.lists(st.integers(0, 200), max_size=60))
def test_catch_up_never_loses_questions(days, offset, logged) -> None:
    exam = START + timedelta(days=days)
    plan = build_plan(PlanInput(START, exam, 240, 220), RULES)
    today = START + timedelta(days=min(offset, days))
    logs = [qday(START + timedelta(days=i), n) for i, n in enumerate(logged) if START + timedelta(days=i) < today]
    cu = catch_up(plan, logs, today, RULES)
    done = sum(d.done for d in logs)
    # nothing is lost to rounding; the floors may add questions, never take any away
    assert sum(cu.daily.values()) + cu.leftover >= max(0, plan.total - done)
    if done <= cu.planned_to_date:  # on or behind plan, the floors are below the targets anyway
        assert sum(cu.daily.values()) + cu.leftover == max(0, plan.total - done)
    assert all(n <= 80 for n in cu.daily.values())
    assert all(d >= today for d in cu.daily)


def test_profile_days_off_reach_the_plan() -> None:
    from imgtui.core.overview import Snapshot, build_overview
    from imgtui.records import Profile

    base = {"study_start": "2026-12-01", "exam_date": "2027-03-15"}
    plain = build_overview(Snapshot(Profile.from_input(base)), date(2026, 12, 1), RULES).plan
    off = build_overview(
        Snapshot(Profile.from_input({**base, "days_off": "2026-12-24, 2026-12-25"})), date(2026, 12, 1), RULES
    ).plan
    assert date(2026, 12, 24) in plain.daily and date(2026, 12, 24) not in off.daily
    assert off.total >= 3600


def test_a_rest_day_with_a_checkpoint_says_the_checkpoint_still_stands() -> None:
    from imgtui.core.overview import Snapshot, build_overview
    from imgtui.records import Profile

    profile = Profile.from_input({"study_start": "2026-09-07", "exam_date": "2027-02-05", "study_days_per_week": 6})
    plan = build_overview(Snapshot(profile), START, RULES).plan
    assert plan is not None
    on_rest = [c for c in plan.checkpoints if c.day not in plan.daily and c.day < plan.exam]
    assert on_rest, "the plan puts no checkpoint on a rest day: pick another profile"
    rest_only = next(d for d in (START + timedelta(days=n) for n in range(60)) if d not in plan.daily)
    assert rest_only not in {c.day for c in plan.checkpoints}

    def questions_line(day: date) -> str:
        items = build_overview(Snapshot(profile), day, RULES).items
        return next(i.text for i in items if i.kind == "questions")

    line = questions_line(on_rest[0].day)
    assert line.startswith("Rest day from the question bank") and f"{on_rest[0].form} is today" in line
    assert questions_line(rest_only) == "Rest day: no questions planned"


def test_today_asks_for_a_long_block_in_the_question_bank_and_says_when_it_is_done() -> None:
    from imgtui.core.overview import Snapshot, build_overview
    from imgtui.records import Profile

    profile = Profile.from_input({"study_start": "2026-09-07", "exam_date": "2027-02-05"})
    plan = build_overview(Snapshot(profile), START, RULES).plan
    assert plan is not None
    block = next(c for c in plan.checkpoints if c.form == "Long timed block")
    least = RULES["checkpoints"]["long_block_min_questions"]
    # Every NBME form of the core taken on its day: the forms have run out, a long block is next.
    taken = tuple(
        PracticeExam.from_input({"form": c.form, "taken": c.day, "score": 230})
        for c in plan.checkpoints
        if c.kind == "core" and c.day < block.day and c.form != "Long timed block"
    )
    profile_only = Snapshot(profile, exams=taken)

    def items(snapshot: Snapshot, day: date) -> dict[str, str]:
        return {i.kind: i.text for i in build_overview(snapshot, day, RULES).items}

    before = items(profile_only, block.day - timedelta(days=2))
    assert before["long_block"] == (
        f"Next checkpoint: Long timed block on {block.day} (in 2 days): "
        f"{least} or more timed random questions in one day (imgtui's own number), logged in the question bank"
    )
    done = QbankDay.from_input({"day": block.day, "done": least, "correct": least * 3 // 4})
    after = items(Snapshot(profile, exams=taken, qbank=(done,)), block.day)
    assert str(block.day) not in after.get("long_block", "")  # the next one may be asked for
    if block.day not in plan.daily:  # a rest day: the block is the day's questions
        assert after["questions"].startswith(
            f"No daily questions planned; today's checkpoint is done: {least} questions 75%"
        )
    day_after = build_overview(profile_only, block.day + timedelta(days=1), RULES).items
    missed = next(i.text for i in day_after if i.kind == "long_block")
    window = RULES["checkpoints"]["match_window_days"]
    assert missed == (
        f"Missed checkpoint: Long timed block planned {block.day}: {least} or more timed random questions "
        f"in one day (imgtui's own number), logged in the question bank by {block.day + timedelta(days=window)}"
    )
    # Once a block logged now would no longer fill it, Today stops asking for it.
    too_late = build_overview(profile_only, block.day + timedelta(days=window + 1), RULES).items
    assert not any(f"planned {block.day}" in i.text for i in too_late)


def test_questions_logged_on_a_rest_day_are_said_to_count_from_the_next_day() -> None:
    from imgtui.core.overview import Snapshot, build_overview
    from imgtui.records import Profile

    profile = Profile.from_input({"study_start": "2026-09-07", "exam_date": "2027-02-05", "study_days_per_week": 6})
    plan = build_overview(Snapshot(profile), START, RULES).plan
    assert plan is not None
    checkpoint_days = {c.day for c in plan.checkpoints}
    rest = next(d for d in (START + timedelta(days=n) for n in range(1, 60)) if d not in plan.daily)
    rest = next(d for d in (rest + timedelta(weeks=w) for w in range(8)) if d not in checkpoint_days)
    block = QbankDay.from_input({"day": str(rest), "done": 40, "correct": 30})
    logged = Snapshot(profile, qbank=(block,))

    def items(day: date) -> dict[str, str]:
        return {i.kind: i.text for i in build_overview(logged, day, RULES).items}

    assert items(rest)["questions"] == (
        "Rest day: no questions planned; the 40 logged today count toward the next days' targets"
    )
    next_day = rest + timedelta(days=1)
    assert next_day in plan.daily
    assert "40 done of" in items(next_day)["catchup"]


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=-40, max_value=400),
)
def test_every_gives_the_days_dateutils_rrule_gives(start: date, days: int, span: int) -> None:
    from dateutil.rrule import DAILY, rrule

    from imgtui.core.schedule import every

    until = start + timedelta(days=span)
    expected = [d.date() for d in rrule(DAILY, interval=days, dtstart=start, until=until)] if span >= 0 else []
    assert every(start, days, until) == expected


def test_questions_logged_before_there_is_a_plan_are_acknowledged() -> None:
    from imgtui.core.overview import Snapshot, build_overview
    from imgtui.records import Profile

    block = QbankDay.from_input({"day": str(START), "done": 40, "correct": 30})
    chosen = Profile.from_input({"specialty": "IM", "program_tier": "community"})
    items = build_overview(Snapshot(chosen, qbank=(block,)), START, RULES).items
    assert [i.kind for i in items][:2] == ["setup", "questions"]
    assert items[1].text == "40 questions logged today; they count once the plan has its dates"
    none_today = build_overview(Snapshot(Profile.from_input({})), START, RULES).items
    assert "questions" not in [i.kind for i in none_today]


def test_a_passed_exam_date_asks_for_the_result_not_for_missed_checkpoints() -> None:
    from imgtui.core.overview import Snapshot, build_overview
    from imgtui.records import Profile

    profile = Profile.from_input({"study_start": "2026-09-07", "exam_date": "2027-01-20"})

    def kinds(day: date) -> list[str]:
        return [i.kind for i in build_overview(Snapshot(profile), day, RULES).items]

    assert "checkpoint" in kinds(date(2027, 1, 19))  # nothing logged: the last checkpoint was missed
    after = kinds(date(2027, 1, 21))
    assert "checkpoint" not in after and "long_block" not in after and "phase" in after


def test_a_passed_step2_ends_the_plan_on_today() -> None:
    """Passed is final [first_attempt]: no phase, targets, checkpoints or exam decision to follow."""
    from imgtui.core.overview import Snapshot, build_overview
    from imgtui.records import Profile

    dates = {"study_start": "2026-09-07", "exam_date": "2027-02-05"}
    studying = build_overview(Snapshot(Profile.from_input(dates)), date(2026, 11, 23), RULES).items
    assert {"phase", "questions", "verdict"} <= {i.kind for i in studying}
    for values in (dates, {}):  # with the old plan's dates, and without any
        profile = Profile.from_input({**values, "step2_status": "passed", "step2_score": 245})
        items = build_overview(Snapshot(profile), date(2026, 11, 23), RULES).items
        kinds = [i.kind for i in items]
        assert kinds[0] == "passed" and items[0].text.startswith("Step 2 CK passed with 245: no study plan")
        assert not {"phase", "setup", "questions", "catchup", "checkpoint", "verdict", "reason"} & set(kinds)


def test_a_checkpoint_whose_form_was_taken_elsewhere_is_named_by_the_exam_that_filled_it() -> None:
    """Pending, it is relabelled (its form was used at another checkpoint); a checkpoint an
    exam filled is named by that exam, and its own form, still unused, comes up again ahead."""
    plan = plan_for(22)
    core = [c for c in plan.checkpoints if c.kind == "core"]
    first, later = core[0], core[3]

    def exam(form: str, day: date) -> PracticeExam:
        return PracticeExam.from_input({"form": form, "taken": day, "score": 230})

    early = [exam(later.form, first.day)]  # the later checkpoint's form, taken at the first one
    pending = {s.checkpoint.day: s for s in checkpoint_statuses(plan, early, later.day, RULES)}
    assert pending[later.day].checkpoint.form != later.form and pending[later.day].status == "today"
    filled = {
        s.checkpoint.day: s for s in checkpoint_statuses(plan, [*early, exam("UWSA 1", later.day)], later.day, RULES)
    }
    assert (filled[later.day].checkpoint.form, filled[later.day].logged_text()) == ("UWSA 1", "UWSA 1 230")
    assert filled[first.day].checkpoint.form == later.form  # named by the exam that filled it
    ahead = [s.checkpoint.form for s in filled.values() if s.status == "planned" and s.checkpoint.kind == "core"]
    assert ahead and ahead[0] == first.form  # its own form, never taken, is the next one asked for


@pytest.mark.parametrize("weeks", [6, 8, 10, 12, 16, 20, 24])
def test_the_final_phase_keeps_two_or_three_self_assessments_in_order(weeks: int) -> None:
    """[001]: final tuning, 2-3 self-assessments; the forms come in the order the plan lists them."""
    plan = plan_for(weeks)
    finals = [c for c in plan.checkpoints if c.kind == "final"]
    assert 2 <= len(finals) <= 3, [(c.day, c.form) for c in finals]
    listed = [*RULES["checkpoints"]["core_forms"], *RULES["checkpoints"]["final_forms"]]
    order = [listed.index(c.form) for c in plan.checkpoints if c.form in listed]
    assert order == sorted(order)


def test_pending_checkpoint_forms_stay_in_order_when_one_was_taken_early() -> None:
    """NBME 9 as the baseline and NBME 10 at the first core checkpoint: the next one is NBME 11,
    not the spare NBME 15 jumping ahead of the forms still planned later."""
    plan = plan_for(16)
    baseline = next(c for c in plan.checkpoints if c.kind == "baseline")
    core = [c for c in plan.checkpoints if c.kind == "core"]

    def exam(form: str, day: date) -> PracticeExam:
        return PracticeExam.from_input({"form": form, "taken": day, "score": 215})

    taken = [exam("NBME 9", baseline.day), exam("NBME 10", core[0].day)]
    statuses = checkpoint_statuses(plan, taken, core[0].day, RULES)
    listed = [*RULES["checkpoints"]["core_forms"], *RULES["checkpoints"]["final_forms"]]
    pending = [s.checkpoint.form for s in statuses if s.status == "planned" and s.checkpoint.form in listed]
    assert pending == sorted(pending, key=listed.index), pending
    assert pending[0] == "NBME 11"
