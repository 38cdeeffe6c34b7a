"""The Step 2 CK study plan: phases, checkpoints, daily question targets, catch-up.

Pure: dates and numbers in, plain frozen dataclasses out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..records import QbankDay
from .advice import Advice, advise
from .rules import Rules

DAY = timedelta(days=1)
# Weekday numbers given up first as rest days: Sunday, then Saturday, Friday...
REST_ORDER = (6, 5, 4, 3, 2, 1, 0)


class PlanError(ValueError):
    """The inputs cannot make any plan (e.g. the exam is before the start)."""


@dataclass(frozen=True)
class PlanInput:
    start: date
    exam: date
    target: int | None
    baseline_score: int | None = None
    qbank_size: int = 3600
    study_days_per_week: int = 6
    days_off: tuple[date, ...] = ()
    postponed: bool = False  # the exam date was moved later at least once (Profile's postponements)


@dataclass(frozen=True)
class Phase:
    name: str  # baseline | core | final
    label: str
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Checkpoint:
    day: date
    form: str
    phase: str
    kind: str  # baseline | core | final | free120


@dataclass(frozen=True)
class WeekTarget:
    start: date
    end: date
    phase: str
    per_day: int
    study_days: int

    @property
    def total(self) -> int:
        return self.per_day * self.study_days


@dataclass(frozen=True)
class StudyPlan:
    inputs: PlanInput
    phases: tuple[Phase, ...]
    checkpoints: tuple[Checkpoint, ...]
    weeks: tuple[WeekTarget, ...]
    daily: dict[date, int]
    notes: tuple[Advice, ...] = field(default_factory=tuple)
    uncovered: int = 0  # questions of one pass the window cannot hold

    @property
    def start(self) -> date:
        return self.inputs.start

    @property
    def exam(self) -> date:
        return self.inputs.exam

    @property
    def total(self) -> int:
        return sum(self.daily.values())

    def phase_on(self, day: date) -> Phase | None:
        for phase in self.phases:
            if phase.contains(day):
                return phase
        return None

    def week_number(self, day: date) -> int:
        return (day - self.start).days // 7 + 1


# ---------------------------------------------------------------- study days


def rest_weekdays(study_days_per_week: int) -> frozenset[int]:
    return frozenset(REST_ORDER[: max(0, 7 - study_days_per_week)])


def study_days(start: date, end: date, per_week: int, days_off: Iterable[date] = ()) -> list[date]:
    """Study days from ``start`` to ``end`` inclusive."""
    rest = rest_weekdays(per_week)
    off = set(days_off)
    out = []
    day = start
    while day <= end:
        if day.weekday() not in rest and day not in off:
            out.append(day)
        day += DAY
    return out


def add_study_days(after: date, count: int, per_week: int, days_off: Iterable[date] = ()) -> date:
    """The date on which ``count`` more study days after ``after`` have passed."""
    rest = rest_weekdays(per_week)
    off = set(days_off)
    day = after
    while count > 0:
        day += DAY
        if day.weekday() not in rest and day not in off:
            count -= 1
    return day


# ---------------------------------------------------------------- phases


def _weeks(days: int) -> str:
    return f"{days / 7:.1f}".rstrip("0").rstrip(".") + " weeks"


def desired_core_days(inp: PlanInput, rules: Rules) -> tuple[int, Advice]:
    rule = rules["phases"]
    low, high = rule["core_weeks"]
    if inp.baseline_score is None or inp.target is None:
        weeks = rule["default_core_weeks"]
        missing, then = (
            ("baseline score", "the baseline is logged")
            if inp.baseline_score is None
            else ("target", "you choose your specialty in Profile")
        )
        return weeks * 7, advise(
            rule,
            f"No {missing} yet: core planned at {weeks} weeks (range {low}-{high}); it adapts once {then}",
            "info",
            core_weeks=weeks,
        )
    gap = max(0, inp.target - inp.baseline_score)
    share = min(gap, rule["core_gap_points_for_max"]) / rule["core_gap_points_for_max"]
    weeks = round(low + (high - low) * share)
    standing = f"{gap} below" if gap else "at or above"
    return weeks * 7, advise(
        rule,
        f"Baseline {inp.baseline_score} is {standing} the {inp.target} target: "
        f"core of {weeks} weeks (range {low}-{high}, longer for larger gaps; imgtui scales the gap linearly)",
        "info",
        gap=gap,
        core_weeks=weeks,
    )


Split = tuple[int, int, Advice | None, date | None]  # baseline and core days (final: the rest), a note, a fitting date


def allocate_phases(inp: PlanInput, rules: Rules) -> tuple[tuple[Phase, ...], list[Advice], date | None]:
    """The three phases between start and exam [001]: their days, and a note when the
    window is shorter than the phases' minimum or longer than their maximum."""
    window = (inp.exam - inp.start).days + 1
    if window < 3:
        raise PlanError(f"the exam date {inp.exam} must be at least 2 days after the study start {inp.start}")
    desired, core_note = desired_core_days(inp, rules)
    minimum = sum(weeks[0] * 7 for weeks in phase_weeks(rules))
    if window < minimum:
        baseline, core, note, fit = compressed_split(inp, window, rules)
    else:
        baseline, core, note, fit = standard_split(inp, window, desired, rules)
    b_end = inp.start + timedelta(days=baseline - 1)
    c_end = b_end + timedelta(days=core)
    phases = (
        Phase("baseline", "Baseline", inp.start, b_end),
        Phase("core", "Core", b_end + DAY, c_end),
        Phase("final", "Final tuning", c_end + DAY, inp.exam),
    )
    return phases, [core_note] + ([note] if note else []), fit


def phase_weeks(rules: Rules) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """(min, max) weeks of the baseline, core and final phases."""
    rule = rules["phases"]
    return tuple(rule["baseline_weeks"]), tuple(rule["core_weeks"]), tuple(rule["final_weeks"])


def compressed_split(inp: PlanInput, window: int, rules: Rules) -> Split:
    """Fewer days than the three phases' minimum: each phase in proportion to its minimum."""
    (b_min, b_max), (c_min, c_max), (f_min, f_max) = ((lo * 7, hi * 7) for lo, hi in phase_weeks(rules))
    minimum = b_min + c_min + f_min
    baseline = max(1, round(window * b_min / minimum))
    final = max(1, round(window * f_min / minimum))
    core = window - baseline - final
    if core < 1:
        baseline, final = 1, 1
        core = window - 2
    fit = inp.start + timedelta(days=minimum - 1)
    note = advise(
        rules["phases"],
        f"Compressed: {window} days between start and exam, but the three phases need at least "
        f"{minimum // 7} weeks. Baseline {baseline} days (range {b_min // 7}-{b_max // 7} weeks), core "
        f"{_weeks(core)} (range {c_min // 7}-{c_max // 7}), final tuning {final} days "
        f"(range {f_min // 7}-{f_max // 7}). An exam on or after {fit} would fit the minimum plan.",
        "caution",
        window_days=window,
        baseline_days=baseline,
        core_days=core,
        final_days=final,
        fits_from=fit,
    )
    return baseline, core, note, fit


def standard_split(inp: PlanInput, window: int, desired: int, rules: Rules) -> Split:
    """Enough days: baseline and final from their minimum, lengthened when the core would
    run past what the gap needs; a note when the core is still too long or too short."""
    (b_min, b_max), (_, c_max), (f_min, f_max) = ((lo * 7, hi * 7) for lo, hi in phase_weeks(rules))
    rule = rules["phases"]
    baseline, final = b_min, f_min
    core = window - baseline - final
    extra = core - desired
    if extra > 0:
        add = min(extra, b_max - baseline)
        baseline += add
        extra -= add
        add = min(extra, f_max - final)
        final += add
        core = window - baseline - final
    if core > c_max:
        fit = inp.start + timedelta(days=b_max + c_max + f_max - 1)
        later_start = inp.exam - timedelta(days=b_max + c_max + f_max - 1)
        wf = rules["weak_foundation"]
        long_plan = (
            f"A long plan suits a weak foundation ({wf['months_weak_foundation'][0]}-"
            f"{wf['months_weak_foundation'][1]} months of dedicated prep [003])."
        )
        stretched = f"Stretched: core is {_weeks(core)}, longer than the {c_max // 7}-week maximum"
        if inp.postponed:
            # The date was moved out on purpose (often on the exam decision's advice):
            # offering an earlier exam here would argue with that decision.
            why = ", since the exam was postponed: spend the extra weeks on your weak systems."
        else:
            why = f". An exam by {fit} fits the longest standard plan (or start on {later_start})."
        note = advise(
            rule,
            f"{stretched}{why} {long_plan}",
            "info",
            core_days=core,
            max_core_days=c_max,
            **({} if inp.postponed else {"fits_by": fit}),
        )
        return baseline, core, note, fit
    if core < desired:
        fit = inp.start + timedelta(days=baseline + desired + final - 1)
        note = advise(
            rule,
            f"Core is {_weeks(core)}; your gap suggests {_weeks(desired)}. An exam on {fit} would give "
            f"the full core phase.",
            "caution",
            core_days=core,
            desired_core_days=desired,
            fits_from=fit,
        )
        return baseline, core, note, fit
    return baseline, core, None, None


# ---------------------------------------------------------------- checkpoints


def every(start: date, days: int, until: date) -> list[date]:
    """``start`` and every ``days`` days after it, up to ``until`` (none when start is later)."""
    count = (until - start).days // days + 1 if start <= until else 0
    return [start + timedelta(days=days * n) for n in range(count)]


def plan_checkpoints(phases: Sequence[Phase], exam: date, rules: Rules) -> tuple[Checkpoint, ...]:
    rule = rules["checkpoints"]
    baseline, core, final = phases
    points: list[Checkpoint] = []
    first_day = min(baseline.start + timedelta(days=rule["baseline_by_day"] - 1), baseline.end)
    points.append(Checkpoint(first_day, rule["baseline_form"], "baseline", "baseline"))

    mid = core.start + timedelta(days=core.days // 2)
    first_interval, second_interval = rule["core_interval_days_first_half"], rule["core_interval_days_second_half"]
    first_half = every(core.start + timedelta(days=first_interval - 1), first_interval, mid - DAY)
    second_from = mid
    if first_half:
        second_from = max(mid, first_half[-1] + timedelta(days=second_interval))
    second_half = every(second_from, second_interval, core.end)
    forms = list(rule["core_forms"])
    for when in first_half + second_half:
        form = forms.pop(0) if forms else rule["core_fallback_form"]
        points.append(Checkpoint(when, form, "core", "core"))

    last = max(final.start, exam - timedelta(days=rule["last_assessment_days_before_exam"]))
    spacing = timedelta(days=rule["final_spacing_days"])
    finals = [last]
    while len(finals) < rule["final_count"][1] and finals[-1] - spacing >= final.start:
        finals.append(finals[-1] - spacing)
    least = rule["final_count"][0]
    if len(finals) < least and (last - final.start).days >= least - 1:
        # A short final phase still keeps its 2-3 self-assessments [001], closer together.
        step = (last - final.start).days // (least - 1)
        finals = [last - timedelta(days=step * n) for n in range(least)]
    finals.reverse()
    final_forms = list(rule["final_forms"])[-len(finals) :]
    for when, form in zip(finals, final_forms, strict=False):
        points.append(Checkpoint(when, form, "final", "final"))
    free120 = max(final.start, exam - timedelta(days=rule["free120_days_before_exam"]))
    points.append(Checkpoint(free120, rule["free120_form"], "final", "free120"))
    return tuple(sorted(points, key=lambda c: (c.day, c.kind != "free120")))


# ---------------------------------------------------------------- daily targets


def _week_blocks(start: date, exam: date) -> list[tuple[date, date]]:
    """7-day blocks aligned so the last block is the week before the exam."""
    last_study = exam - DAY
    blocks: list[tuple[date, date]] = []
    end = last_study
    while end >= start:
        begin = max(start, end - timedelta(days=6))
        blocks.append((begin, end))
        end = begin - DAY
    blocks.reverse()
    return blocks


def plan_daily(
    inp: PlanInput, phases: Sequence[Phase], rules: Rules
) -> tuple[tuple[WeekTarget, ...], dict[date, int], list[Advice], int]:
    rule = rules["daily_questions"]
    blocks = _week_blocks(inp.start, inp.exam)
    ranges: list[tuple[int, int]] = []
    days_per_block: list[list[date]] = []
    for index, (begin, end) in enumerate(blocks):
        if index == len(blocks) - 1 and len(blocks) > 1:
            ranges.append(tuple(rule["taper_per_day"]))
        elif index < rule["early_weeks"]:
            ranges.append(tuple(rule["early_per_day"]))
        else:
            ranges.append(tuple(rule["later_per_day"]))
        days_per_block.append(study_days(begin, end, inp.study_days_per_week, inp.days_off))
    q = inp.qbank_size
    low_cap = sum(len(d) * lo for d, (lo, _) in zip(days_per_block, ranges, strict=False))
    high_cap = sum(len(d) * hi for d, (_, hi) in zip(days_per_block, ranges, strict=False))
    max_passes = rule["passes"][1]
    notes: list[Advice] = []
    uncovered = 0
    if low_cap >= q:
        # The bottom of each week's range already covers one pass: stay there
        # (never below it), which gives the extra passes the time allows.
        rates = [lo for lo, _ in ranges]
        passes = low_cap / q
        extra = (
            ""
            if passes <= max_passes
            else (f"; beyond {max_passes:g} passes, use the spare time for weak systems or a second bank")
        )
        notes.append(
            advise(
                rules["daily_questions"],
                f"The plan covers {passes:.2f} passes of your {q}-question "
                f"bank (aim: 100%, ideally {rule['passes'][0]:g}-{max_passes:g} passes if time permits [003])"
                f"{extra}",
                "ok",
                passes=round(passes, 2),
                qbank_size=q,
            )
        )
    else:
        goal = min(q, high_cap)
        fraction = (goal - low_cap) / (high_cap - low_cap) if high_cap > low_cap else 1.0
        rates = [min(hi, math.ceil(lo + fraction * (hi - lo))) for lo, hi in ranges]
        if high_cap < q:
            uncovered = q - high_cap
            extra_days = math.ceil(uncovered / rule["max_per_day"])
            absorb = add_study_days(inp.exam, extra_days, inp.study_days_per_week, inp.days_off)
            notes.append(
                advise(
                    rules["daily_questions"],
                    f"At the top of each week's range the window holds "
                    f"{high_cap} of {q} questions: {uncovered} would be left. An exam on {absorb} "
                    f"would absorb them at {rule['max_per_day']} a day.",
                    "caution",
                    capacity=high_cap,
                    qbank_size=q,
                    left=uncovered,
                    absorb_date=absorb,
                )
            )
        else:
            notes.append(
                advise(
                    rules["daily_questions"],
                    f"The plan covers your {q}-question bank once "
                    f"(ramp {rule['early_per_day'][0]}-{rule['early_per_day'][1]}, then "
                    f"{rule['later_per_day'][0]}-{rule['later_per_day'][1]} a day, taper in the last week)",
                    "ok",
                    qbank_size=q,
                )
            )
    weeks: list[WeekTarget] = []
    daily: dict[date, int] = {}
    for (begin, end), days, rate in zip(blocks, days_per_block, rates, strict=False):
        phase = next((p.name for p in phases if p.contains(begin)), phases[-1].name)
        weeks.append(WeekTarget(begin, end, phase, rate, len(days)))
        for day in days:
            daily[day] = rate
    return tuple(weeks), daily, notes, uncovered


def build_plan(inp: PlanInput, rules: Rules) -> StudyPlan:
    if inp.exam <= inp.start:
        raise PlanError(f"the exam date {inp.exam} must be after the study start {inp.start}")
    phases, notes, _fit = allocate_phases(inp, rules)
    checkpoints = plan_checkpoints(phases, inp.exam, rules)
    weeks, daily, daily_notes, uncovered = plan_daily(inp, phases, rules)
    return StudyPlan(inp, phases, checkpoints, weeks, daily, tuple(notes + daily_notes), uncovered)


# ---------------------------------------------------------------- catch-up


def spread(goal: int, weights: Sequence[int], cap: int) -> tuple[list[int], int]:
    """Split ``goal`` over days in proportion to ``weights``, at most ``cap`` a day.

    Returns the per-day amounts and what could not be placed; amounts plus
    leftover always equal ``goal`` (nothing is lost to rounding).
    """
    n = len(weights)
    if n == 0 or goal <= 0:
        return [0] * n, max(goal, 0)
    ws = list(weights) if sum(weights) > 0 else [1] * n
    total_w = sum(ws)
    alloc = [min(cap, goal * w // total_w) for w in ws]
    rest = goal - sum(alloc)
    order = sorted(range(n), key=lambda i: (-ws[i], i))
    while rest > 0:
        open_days = [i for i in order if alloc[i] < cap]
        if not open_days:
            break
        for i in open_days:
            if rest == 0:
                break
            alloc[i] += 1
            rest -= 1
    return alloc, rest


@dataclass(frozen=True)
class CatchUp:
    today: date
    planned_to_date: int
    done_to_date: int
    done_today: int
    remaining_goal: int
    daily: dict[date, int]
    leftover: int
    absorb_date: date | None
    advice: Advice

    @property
    def deficit(self) -> int:
        """Positive when behind plan, negative when ahead."""
        return self.planned_to_date - self.done_to_date

    @property
    def today_target(self) -> int:
        return self.daily.get(self.today, 0)


def daily_floors(plan: StudyPlan, rules: Rules) -> dict[date, int]:
    """The least each study day asks for: the bottom of its week's range [003] (40 a day in
    the first weeks, 60 later, 20 in the taper week, imgtui's own taper floor)."""
    rule = rules["daily_questions"]
    floors: dict[date, int] = {}
    last = len(plan.weeks) - 1
    for index, week in enumerate(plan.weeks):
        if index == last and last > 0:
            floor = rule["taper_per_day"][0]
        elif index < rule["early_weeks"]:
            floor = rule["early_per_day"][0]
        else:
            floor = rule["later_per_day"][0]
        for day in plan.daily:
            if week.start <= day <= week.end:
                floors[day] = floor
    return floors


def catch_up(plan: StudyPlan, logged: Iterable[QbankDay], today: date, rules: Rules) -> CatchUp:
    rule = rules["daily_questions"]
    cap = rule["max_per_day"]
    logs = list(logged)
    done_before = sum(d.done for d in logs if plan.start <= d.day < today)
    done_today = sum(d.done for d in logs if d.day == today)
    planned_before = sum(n for day, n in plan.daily.items() if day < today)
    remaining_days = sorted(day for day in plan.daily if day >= today)
    remaining_goal = max(0, plan.total - done_before)
    amounts, leftover = spread(remaining_goal, [plan.daily[d] for d in remaining_days], cap)
    # Ahead of plan, the days left get lighter but never below the articles' floor for
    # their week [003]: questions continue every day to the exam.
    floors = daily_floors(plan, rules)
    daily = {day: max(amount, floors.get(day, 0)) for day, amount in zip(remaining_days, amounts, strict=True)}
    absorb = None
    inp = plan.inputs
    deficit = planned_before - done_before
    if leftover:
        absorb = add_study_days(plan.exam, math.ceil(leftover / cap), inp.study_days_per_week, inp.days_off)
        message = (
            f"Behind plan by {deficit} questions: even at {cap} a day {leftover} will be left "
            f"by the exam. An exam on {absorb} would absorb them."
        )
        severity = "caution"
    elif deficit > 0:
        message = (
            f"Behind plan by {deficit} questions ({done_before} done of {planned_before} planned "
            f"so far): spread over the {len(remaining_days)} study days left, at most {cap} a day."
        )
        severity = "caution"
    elif deficit < 0:
        message = (
            f"Ahead of plan by {-deficit} questions ({done_before} done of {planned_before} planned "
            f"so far): the remaining daily targets are lighter, never under "
            f"{rule['early_per_day'][0]} a day early, {rule['later_per_day'][0]} later, "
            f"{rule['taper_per_day'][0]} in the last week."
        )
        severity = "ok"
    else:
        message = f"On plan: {done_before} questions done of {planned_before} planned so far."
        severity = "ok"
    advice = advise(
        rules["daily_questions"],
        message,
        severity,
        planned=planned_before,
        done=done_before,
        deficit=deficit,
        leftover=leftover,
        max_per_day=cap,
        **({"absorb_date": absorb} if absorb else {}),
    )
    return CatchUp(today, planned_before, done_before, done_today, remaining_goal, daily, leftover, absorb, advice)
