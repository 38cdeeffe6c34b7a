"""Everything the planner says about one day, from one snapshot of the records."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date

from ..records import Inquiry, Letter, PracticeExam, Profile, Program, QbankDay, SiteDocument, UsceSite
from .advice import VERDICT_SEVERITY, Advice, counted
from .checkpoints import CheckpointStatus, checkpoint_statuses, is_long_block, last_day_to_fill, long_block_request
from .decision import Decision, decide, timed_mixed_percent
from .outreach import Task, grouped, outreach_tasks
from .programs import ApplicationCost, ProgramList, RotationCosts, application_cost, program_list, rotation_costs
from .rules import Rules
from .schedule import (
    CatchUp,
    PlanError,
    PlanInput,
    StudyPlan,
    build_plan,
    catch_up,
)
from .target import Target, band_advice, suggest_target
from .today_item import TodayItem
from .trend import three_digit_scores
from .usce import (
    FollowUp,
    SiteAssessment,
    assess_site,
    follow_up,
    outreach_advice,
    programs_advice,
)
from .usce_summary import UsceSummary, summarise_usce


@dataclass(frozen=True)
class Snapshot:
    profile: Profile
    exams: tuple[PracticeExam, ...] = ()
    qbank: tuple[QbankDay, ...] = ()
    sites: tuple[UsceSite, ...] = ()
    inquiries: tuple[Inquiry, ...] = ()
    letters: tuple[Letter, ...] = ()
    documents: tuple[SiteDocument, ...] = ()
    programs: tuple[Program, ...] = ()


@dataclass(frozen=True)
class Overview:
    today: date
    snapshot: Snapshot
    target: Target
    band: Advice | None  # the target's score band, or the real score's; None with neither
    plan: StudyPlan | None
    plan_problem: str | None
    catchup: CatchUp | None
    decision: Decision
    sites: tuple[SiteAssessment, ...]
    follow_ups: tuple[FollowUp, ...]
    usce: UsceSummary
    outreach: Advice | None
    programs: Advice
    programs_span: tuple[int, int | None]
    ranking_score: int | None
    ranking_source: str
    checkpoints: tuple[CheckpointStatus, ...] = ()
    timed_mixed: tuple[int, int, int] = (0, 0, 0)  # (window days, questions done, correct)
    tasks: tuple[Task, ...] = ()  # outreach, soonest due first
    program_list: ProgramList | None = None
    application_cost: ApplicationCost | None = None
    rotation_costs: RotationCosts | None = None
    pass_mark: int = 0  # USMLE's, from rules.json
    items: tuple[TodayItem, ...] = field(default_factory=tuple)

    def next_checkpoint(self) -> CheckpointStatus | None:
        return next((c for c in self.checkpoints if c.status in ("today", "planned")), None)

    def assessment(self, site_id: int) -> SiteAssessment | None:
        return next((a for a in self.sites if a.site.doc_id == site_id), None)


def plan_input(snapshot: Snapshot, target: int | None, rules: Rules) -> PlanInput | None:
    profile = snapshot.profile
    if profile.study_start is None or profile.exam_date is None:
        return None
    baseline = None
    scored = sorted(three_digit_scores(snapshot.exams), key=lambda e: e.taken)
    if scored:
        first_after_start = [e for e in scored if e.taken >= profile.study_start] or scored
        baseline = int(first_after_start[0].score)
    return PlanInput(
        profile.study_start,
        profile.exam_date,
        target,
        baseline,
        profile.qbank_size,
        profile.study_days_per_week,
        tuple(profile.days_off),
        postponed=profile.exam_delays > 0,
    )


def build_overview(snapshot: Snapshot, today: date, rules: Rules) -> Overview:
    """Everything the app shows for ``today``."""
    profile = snapshot.profile
    target = suggest_target(profile, today, rules)
    plan = catchup = None
    problem = None
    inp = plan_input(snapshot, target.score, rules)
    if inp is None:
        problem = "Set the study start and exam date in Profile to build the plan."
    else:
        try:
            plan = build_plan(inp, rules)
        except PlanError as exc:
            problem = f"No plan: {exc}."
    if plan is not None:
        catchup = catch_up(plan, snapshot.qbank, today, rules)
    statuses = tuple(checkpoint_statuses(plan, snapshot.exams, today, rules, snapshot.qbank)) if plan else ()
    # The checkpoints still to take (one filled early by a logged exam is not "next").
    to_take = [s.checkpoint for s in statuses if s.status in ("today", "planned")]
    planned_full = next((c.day for c in to_take if c.kind == "final"), None)
    next_checkpoint = next((c.day for c in to_take if c.day > today), None)
    decision = decide(profile, snapshot.exams, snapshot.qbank, today, target, rules, planned_full, next_checkpoint)

    sites = tuple(assess_site(site, profile, rules) for site in snapshot.sites)
    follow_ups = tuple(follow_up(inquiry, profile, today, rules) for inquiry in snapshot.inquiries)
    ranking: int | None
    if profile.step2_passed and profile.step2_score:
        ranking, source = profile.step2_score, "Step 2 CK"
    elif decision.projection is not None and target.score is not None:
        # Plan the list for the projection, but never for more than the target.
        ranking = min(round(decision.projection.at_exam()[0]), target.score)
        source = "projected score" if ranking < target.score else "target (projection at or above it)"
    else:
        ranking, source = target.score, "target"
    usce_score = profile.step2_score if profile.step2_passed else None
    summary = summarise_usce(profile, snapshot.sites, snapshot.letters, usce_score, today, rules)
    # Once the USCE the score band needs is secured, no more nagging to e-mail sites.
    enough_usce = summary.weeks_secured >= summary.weeks_recommended[0]
    outreach = None if enough_usce else outreach_advice(sites, snapshot.inquiries, rules)
    programs, span = programs_advice(ranking, source, profile, summary.weeks_secured, rules)
    window = rules["qbank_percent"]["window_days"]
    timed_mixed = (window, *timed_mixed_percent(snapshot.qbank, today, window))
    band = band_advice(target.score, rules) if target.score is not None else None
    if profile.step2_passed and profile.step2_score:
        # After the exam the band describes the real score, and the target lines go.
        band = band_advice(profile.step2_score, rules, real=True)
        # What still matters for applications stays: the failure narrative, the visa.
        kept = tuple(r for r in target.reasons if r.rule in ("failure_narrative", "visa_advice"))
        target = dataclasses.replace(target, reasons=kept)
    overview = Overview(
        today,
        snapshot,
        target,
        band,
        plan,
        problem,
        catchup,
        decision,
        sites,
        follow_ups,
        summary,
        outreach,
        programs,
        span,
        ranking,
        source,
        statuses,
        timed_mixed,
        tuple(
            outreach_tasks(
                snapshot.sites, snapshot.inquiries, snapshot.letters, snapshot.documents, profile, today, rules
            )
        ),
        program_list(snapshot.programs, profile, ranking, source, summary.weeks_secured, span, today, rules),
        application_cost(snapshot.programs, rules, profile),
        rotation_costs(snapshot.sites, profile),
        rules["pass_mark"]["score"],
    )
    return dataclasses.replace(overview, items=tuple(today_items(overview, rules)))


def first_start(snapshot: Snapshot) -> list[TodayItem]:
    """A new user's checklist, until they have an exam date or anything logged."""
    profile = snapshot.profile
    if snapshot.exams or snapshot.qbank or snapshot.sites or snapshot.programs:
        return []
    if profile.exam_date or profile.step2_passed:  # set up already, or past the exam
        return []
    steps = [
        (
            "start_profile",
            "Profile (2): your Step 1 result, graduation year, specialty and tier, visa, ERAS year, "
            "study start and exam date",
            None,
            "profile",
        ),
        ("start_exam", "Log a baseline practice exam (a here): the plan's first checkpoint", "checkpoints", "schedule"),
        ("start_sites", "List 10-15 rotation sites (4, then a) and draft the first e-mails (m)", "inquiries", "usce"),
        (
            "start_programs",
            "Add the programs you consider (5, then a), or import a shared sheet: imgtui import-csv programs FILE",
            None,
            "programs",
        ),
    ]
    items = [TodayItem("start", "Getting started: four steps, each a line below (Enter goes there)", "info")]
    items += [
        TodayItem(kind, f"{n}. {text}", "info", rule, pane) for n, (kind, text, rule, pane) in enumerate(steps, 1)
    ]
    return items


def plan_items(ov: Overview, rules: Rules) -> list[TodayItem]:
    """Where the study plan stands: passed, not set up yet, or the phase and week."""
    today, plan, profile = ov.today, ov.plan, ov.snapshot.profile
    if profile.step2_passed:  # a passed Step 2 CK is final: no plan, checkpoints or exam date to decide
        text = (
            f"Step 2 CK passed with {profile.step2_score}: no study plan to follow; "
            "what is left is USCE, letters and applications"
        )
        return [TodayItem("passed", text, "ok", "first_attempt", "profile")]
    if plan is None:
        items = [TodayItem("setup", ov.plan_problem or "", "caution", None, "profile")]
        done_today = sum(d.done for d in ov.snapshot.qbank if d.day == today)
        if done_today:  # logged before there is a plan: say it was kept
            text = f"{counted(done_today, 'question')} logged today; they count once the plan has its dates"
            items.append(TodayItem("questions", text, "info", "daily_questions", "schedule"))
        return items
    phase = plan.phase_on(today)
    if today < plan.start:
        text, pane = f"Study starts {plan.start} (in {(plan.start - today).days} days); exam {plan.exam}", "schedule"
    elif phase is None:
        text, pane = f"Exam date {plan.exam} has passed: log your result in Profile", "profile"
    else:
        total_weeks = (plan.exam - plan.start).days // 7 + 1
        text, pane = (
            f"{phase.label} phase, week {plan.week_number(today)} of {total_weeks} ({phase.start} to {phase.end}); "
            f"exam {plan.exam} in {(plan.exam - today).days} days",
            "schedule",
        )
    return [TodayItem("phase", text, "info", "phases", pane)]


def question_items(ov: Overview, rules: Rules) -> list[TodayItem]:
    """Today's question target (or why there is none) and how far behind the plan is."""
    today, plan, cu = ov.today, ov.plan, ov.catchup
    if plan is None or cu is None or ov.snapshot.profile.step2_passed or not plan.start <= today < plan.exam:
        return []
    planned_today = plan.daily.get(today, 0)
    if today not in plan.daily:
        todays = next((c for c in ov.checkpoints if c.checkpoint.day == today), None)
        # A checkpoint's date does not move to a study day: say the rest is from the bank only.
        if todays is not None and todays.logged is not None:
            # Named by what was logged: an exam may fill a checkpoint planned under another name.
            text = f"No daily questions planned; today's checkpoint is done: {todays.logged_text()}"
        elif todays is not None and is_long_block(todays.checkpoint, rules):  # the day's questions
            text = f"No daily questions planned; {todays.checkpoint.form} is today"
        elif todays is not None:
            text = f"Rest day from the question bank: no questions planned; {todays.checkpoint.form} is today"
        else:
            text = "Rest day: no questions planned"
        if cu.done_today:  # counted from tomorrow, as every day's are once it is over
            text += f"; the {cu.done_today} logged today count toward the next days' targets"
        severity = "info"
    else:
        extra = cu.today_target - planned_today
        extra_text = f" (plan {planned_today} {'+' if extra >= 0 else '-'} {abs(extra)} catch-up)" if extra else ""
        text = f"Questions today: {cu.today_target}{extra_text}; {cu.done_today} logged so far"
        met = cu.done_today >= cu.today_target
        if met:
            text += ": today's target is met"
        severity = "ok" if met else cu.advice.severity
    items = [TodayItem("questions", text, severity, "daily_questions", "schedule")]
    # Today's questions count at once: the behind count moves as the user logs.
    behind = cu.deficit - cu.done_today
    if cu.leftover or behind > 0:
        message = cu.advice.message
        if cu.done_today and cu.deficit > 0:
            rest = message.split(": ", 1)[1] if ": " in message else message
            message = f"Behind plan by {max(0, behind)} questions, counting the {cu.done_today} logged today: {rest}"
        items.append(TodayItem("catchup", message, cu.advice.severity, "daily_questions", "schedule"))
    elif cu.deficit < 0:
        items.append(TodayItem("catchup", cu.advice.message, cu.advice.severity, "daily_questions", "schedule"))
    return items


def checkpoint_items(ov: Overview, rules: Rules) -> list[TodayItem]:
    """The latest missed checkpoint still fillable, and the next one."""
    today, plan = ov.today, ov.plan
    if plan is None or ov.snapshot.profile.step2_passed:
        return []
    items: list[TodayItem] = []
    # Only while an exam or block logged now still fills it, and not once the exam date
    # has passed: then the result is what is asked for.
    missed = [
        c for c in ov.checkpoints if c.status == "missed" and today <= last_day_to_fill(c.checkpoint, plan.exam, rules)
    ]
    if missed:
        last = missed[-1].checkpoint
        block = is_long_block(last, rules)
        by = f"by {last_day_to_fill(last, plan.exam, rules)}"
        remedy = f"{long_block_request(rules)} {by}" if block else f"take it {by} and log the score"
        text = f"Missed checkpoint: {last.form} planned {last.day}: {remedy}"
        items.append(TodayItem("long_block" if block else "checkpoint", text, "caution", "checkpoints", "schedule"))
    upcoming = ov.next_checkpoint()
    if upcoming is not None:
        nxt = upcoming.checkpoint
        days = (nxt.day - today).days
        when = "today" if days == 0 else f"in {days} days"
        block = is_long_block(nxt, rules)
        request = f": {long_block_request(rules)}" if block else ""
        text = f"Next checkpoint: {nxt.form} on {nxt.day} ({when}){request}"
        severity = "caution" if days <= 1 else "info"
        items.append(TodayItem("long_block" if block else "checkpoint", text, severity, "checkpoints", "schedule"))
    return items


def decision_items(ov: Overview, rules: Rules) -> list[TodayItem]:
    """The exam verdict, its top reasons, and the next step toward GO."""
    if ov.snapshot.profile.step2_passed:
        return []
    dec = ov.decision
    suggestion = f"; suggested new date {dec.suggested_exam_date}" if dec.suggested_exam_date else ""
    verdict = f"Exam decision: {dec.label}{suggestion}"
    items = [TodayItem("verdict", verdict, VERDICT_SEVERITY[dec.verdict], None, "schedule")]
    items += [TodayItem("reason", r.message, r.severity, r.rule, "schedule") for r in dec.top_reasons(3)]
    if dec.to_go:
        first = dec.to_go[0]
        when = f" by {first.by}" if first.by else ""
        more = f" (and {len(dec.to_go) - 1} more on Schedule)" if len(dec.to_go) > 1 else ""
        items.append(TodayItem("reason", f"Next toward GO: {first.message}{when}{more}", "info", None, "schedule"))
    return items


def target_items(ov: Overview, rules: Rules) -> list[TodayItem]:
    """No target yet (outside the first-start checklist, which asks for it already)."""
    profile = ov.snapshot.profile
    if ov.target.score is not None or profile.step2_passed or first_start(ov.snapshot):
        return []
    choose = ov.target.reasons[0]  # the target's own "no specialty chosen yet" line
    return [TodayItem("choose_target", choose.message, choose.severity, choose.rule, "profile")]


def outreach_advice_items(ov: Overview, rules: Rules) -> list[TodayItem]:
    if ov.outreach is None:
        return []
    return [TodayItem("outreach", ov.outreach.message, ov.outreach.severity, ov.outreach.rule, "usce")]


def today_items(ov: Overview, rules: Rules) -> list[TodayItem]:
    """Today's lines: each kind from its own function, in this order."""
    items = first_start(ov.snapshot)
    for lines in TODAY_LINES:
        items += lines(ov, rules)
    return items


def outreach_items(ov: Overview, rules: Rules) -> list[TodayItem]:
    """Outreach as overdue, due today and waiting, overdue first. Years of outreach can
    leave hundreds of lines due: each group shows the first few and counts the rest."""
    groups = grouped(ov.tasks, ov.today)
    most = rules["inquiries"]["today_lines_max"]
    items: list[TodayItem] = []
    for group, heading, severity in (("overdue", "Overdue", "caution"), ("today", "Due today", "caution")):
        tasks = groups[group]
        for task in tasks[:most]:
            when = f" (since {task.due})" if group == "overdue" else ""
            items.append(
                TodayItem(task.kind, f"{heading}: {task.text}{when}", severity, task.rule, "usce", task.site_id)
            )
        if len(tasks) > most:
            more = f"... and {len(tasks) - most} more {heading.lower()}: see the USCE tracker"
            items.append(TodayItem("more_usce", more, severity, "outreach_cadence", "usce"))
    waiting = groups["waiting"]
    if waiting:
        nxt = waiting[0]
        snoozed = sum(1 for t in waiting if t.snoozed)
        held = f", {snoozed} snoozed" if snoozed else ""
        items.append(
            TodayItem(
                "waiting",
                f"Waiting: {counted(len(waiting), 'outreach task')}{held}; next {nxt.due}: {nxt.text}",
                "info",
                "outreach_cadence",
                "usce",
                nxt.site_id,
            )
        )
    return items


# The kinds of Today lines, in the order they are shown.
TODAY_LINES = (
    target_items,
    plan_items,
    question_items,
    checkpoint_items,
    decision_items,
    outreach_items,
    outreach_advice_items,
)
