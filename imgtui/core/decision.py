"""GO / BORDERLINE / DELAY / NOT ENOUGH DATA for the planned exam date, with every reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..records import PracticeExam, Profile, QbankDay, is_full_length
from .advice import Advice, advise, only_counted
from .new_date import suggest_new_date
from .prediction import Prediction, how_far_off, predict, prediction_advice, repeated_forms
from .rules import Rules
from .target import Target, is_retake, years_since_graduation
from .trend import Projection, project, projection_advice, three_digit_scores

GO, BORDERLINE, DELAY, NOT_ENOUGH_DATA = "GO", "BORDERLINE", "DELAY", "NOT_ENOUGH_DATA"
VERDICT_LABELS = {GO: "GO", BORDERLINE: "BORDERLINE", DELAY: "DELAY", NOT_ENOUGH_DATA: "NOT ENOUGH DATA"}


@dataclass(frozen=True)
class ToGo:
    """One thing that stands between the verdict and GO, and the date to do it by (or None)."""

    rule: str
    message: str
    by: date | None


@dataclass(frozen=True)
class Decision:
    verdict: str
    reasons: tuple[Advice, ...]
    projection: Projection | None
    suggested_exam_date: date | None
    eras_safe_date: date | None
    options: tuple[str, ...] = ()
    prediction: Prediction | None = None
    to_go: tuple[ToGo, ...] = ()

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    def top_reasons(self, count: int = 3) -> list[Advice]:
        order = {"delay": 0, "caution": 1, "info": 2, "ok": 3}
        return sorted(self.reasons, key=lambda a: order[a.severity])[:count]


def eras_safe_date(profile: Profile, rules: Rules) -> date | None:
    if profile.eras_year is None:
        return None
    rule = rules["eras_timing"]
    opening = date(profile.eras_year, rule["eras_open_month"], rule["eras_open_day"])
    return opening - timedelta(weeks=rule["score_release_weeks"])


def timed_mixed_percent(days: Iterable[QbankDay], today: date, window: int) -> tuple[int, int]:
    """(done, correct) in timed random blocks over the ``window`` days ending today."""
    first = today - timedelta(days=window - 1)
    chosen = [d for d in days if d.timed_mixed and first <= d.day <= today]
    return sum(d.done for d in chosen), sum(d.correct for d in chosen)


@dataclass(frozen=True)
class Facts:
    """What every rule of the decision reads: the applicant, the logs and the date."""

    profile: Profile
    exams: list[PracticeExam]
    qbank: list[QbankDay]
    today: date
    exam: date
    goal: int
    eras_safe: date | None
    scored: list[PracticeExam]  # three-digit scores taken so far
    projection: Projection | None
    planned_full_length: date | None
    next_checkpoint: date | None
    rules: Rules

    @property
    def days_left(self) -> int:
        return (self.exam - self.today).days

    def latest(self) -> PracticeExam:
        return max(self.scored, key=lambda e: (e.taken, e.doc_id or 0))

    def score_checks(self) -> tuple[bool, bool]:
        """(the latest score is within reach of the target, the trend gets there by the exam)."""
        if not self.scored:
            return True, True
        within = self.rules["go_score"]["go_within"]
        assert self.projection is not None
        center, _half = self.projection.at_exam()
        return self.goal - int(self.latest().score) <= within, len(self.scored) >= 2 and center >= self.goal - within


def eras_reasons(f: Facts) -> list[Advice]:
    rule = f.rules["eras_timing"]
    if f.eras_safe is None:
        return [advise(rule, "No ERAS year set: the latest ERAS-safe exam date cannot be checked (set it in Profile)")]
    if f.exam > f.eras_safe:
        text = (
            f"Exam {f.exam} is after the latest ERAS-safe date {f.eras_safe} "
            f"(ERAS opens {f.eras_safe + timedelta(weeks=rule['score_release_weeks'])}, results take "
            f"up to {rule['score_release_weeks']} weeks): the score may miss the opening"
        )
        return [advise(rule, text, "caution", exam=f.exam, eras_safe=f.eras_safe)]
    text = f"Exam {f.exam} is on or before the latest ERAS-safe date {f.eras_safe}"
    return [advise(rule, text, "ok", exam=f.exam, eras_safe=f.eras_safe)]


def latest_score_reasons(f: Facts) -> list[Advice]:
    """The latest score against the target (or that there is none yet)."""
    rules, goal = f.rules, f.goal
    if not f.scored:
        text = "No practice score logged yet: take the baseline NBME or UWSA and log it"
        return [advise(rules["checkpoints"], text, "info")]
    go_rule = rules["go_score"]
    within = go_rule["go_within"]
    latest = f.latest()
    gap = goal - int(latest.score)
    latest_ok, projected_ok = f.score_checks()
    if gap <= 0:
        text = f"Latest {latest.form} {latest.score:g} is at or above the {goal} target"
    else:
        text = f"Latest {latest.form} {latest.score:g} is {gap} below the {goal} target"
    text += f"; GO needs within {within}"
    severity = "ok" if latest_ok else ("caution" if projected_ok else "delay")
    if gap <= go_rule["strong_within"] and latest_ok:
        text += f" (within {go_rule['strong_within']}: strong)"
    return [advise(go_rule, text, severity, latest=latest.score, target=goal, gap=gap, go_within=within)]


def stale_score_reasons(f: Facts) -> list[Advice]:
    """A latest score too old to decide on (imgtui's own limit)."""
    if not f.scored:
        return []
    latest = f.latest()
    stale_after = f.rules["trend"]["stale_after_days"]
    age = (f.today - latest.taken).days
    if age <= stale_after:
        return []
    return [
        advise(
            f.rules["trend"],
            f"The latest practice score ({latest.form}, {latest.taken}) is {age} days old; imgtui needs "
            f"one within {stale_after} days (its own limit) before a GO: take a self-assessment and log it",
            "caution",
            age_days=age,
            stale_after_days=stale_after,
        )
    ]


def trend_reasons(f: Facts) -> list[Advice]:
    """Where the trend of the scores leads by the exam, and how far it can be trusted."""
    if not f.scored:
        return []
    rules = f.rules
    assert f.projection is not None
    proj_advice = projection_advice(f.projection, f.today, rules)
    if len(f.scored) < 2:
        return [
            advise(
                rules["trend"],
                f"Only one practice score: take at least "
                f"{rules['checkpoints']['min_exams_for_trend']}-3 to see the trajectory; "
                f"{proj_advice.message[0].lower()}{proj_advice.message[1:]}",
                "caution",
                scores=1,
            )
        ]
    within = rules["go_score"]["go_within"]
    _latest_ok, projected_ok = f.score_checks()
    stale = (f.today - f.latest().taken).days > rules["trend"]["stale_after_days"]
    center, half = f.projection.at_exam()
    message = proj_advice.message
    if not projected_ok or stale:
        severity = "caution"
    elif center - half >= f.goal - within:
        severity = "ok"
    else:  # the line gets there but its band does not: it can be no reason for a GO
        severity = "info"
        message += f"; the band reaches down to {max(1, round(center - half))}, too wide to count on"
    return [Advice(proj_advice.rule, proj_advice.sources, message, severity, proj_advice.numbers)]


def low_score_reasons(f: Facts) -> list[Advice]:
    """Each recent score under the low line and far from the target."""
    low, within = f.rules["low_score"], f.rules["go_score"]["go_within"]
    recent_from = f.today - timedelta(days=low["recent_days"])
    return [
        advise(
            low,
            f"{exam.form} on {exam.taken}: {exam.score:g} is under {low['below']} and "
            f"{f.goal - exam.score:g} below target",
            "delay",
            score=exam.score,
            below=low["below"],
        )
        for exam in f.scored
        if exam.taken >= recent_from and exam.score < low["below"] and f.goal - exam.score > within
    ]


def backup_reasons(f: Facts) -> list[Advice]:
    backup = f.rules["backup_options"]
    if not f.scored or f.latest().score >= backup["below"]:
        return []
    return [advise(backup, f"Latest score under {backup['below']}: {backup['text']}")]


def first_attempt_reasons(f: Facts) -> list[Advice]:
    """A first attempt far from the target: a passed score is final."""
    if not f.scored or f.score_checks()[0] or is_retake(f.profile):
        return []
    text = (
        "First attempt: a passed score is final (no retake for "
        "a higher score), so a score far below target is worth a later date"
    )
    return [advise(f.rules["first_attempt"], text, "caution")]


def free120_reasons(f: Facts) -> list[Advice]:
    free120 = [e for e in f.exams if e.is_percentage and e.taken <= f.today]
    if not free120:
        return []
    last = max(free120, key=lambda e: e.taken)
    text = f"{last.form} on {last.taken}: {last.score:g}% (a percentage, shown apart from the three-digit trend)"
    return [advise(f.rules["checkpoints"], text, "info", free120_percent=last.score)]


def qbank_reasons(f: Facts) -> list[Advice]:
    qrule = f.rules["qbank_percent"]
    done, correct = timed_mixed_percent(f.qbank, f.today, qrule["window_days"])
    if done < qrule["min_questions"]:
        text = (
            f"{only_counted(done, 'timed-mixed question')} logged in the last {qrule['window_days']} days "
            f"(imgtui judges the percentage from {qrule['min_questions']})"
        )
        return [advise(qrule, text, "caution", done=done)]
    pct = 100.0 * correct / done
    if pct < qrule["delay_below"]:
        severity, verdict_text = "delay", f"under {qrule['delay_below']}%"
    elif pct < qrule["ok_from"]:
        severity, verdict_text = "caution", f"between {qrule['delay_below']}% and {qrule['ok_from']}%"
    else:
        severity, verdict_text = "ok", f"at or above {qrule['ok_from']}%"
    text = (
        f"Timed-mixed question bank over the last {qrule['window_days']} days (imgtui's window): "
        f"{pct:.1f}% ({correct}/{done}), {verdict_text}"
    )
    return [advise(qrule, text, severity, percent=round(pct, 1), done=done, correct=correct)]


def full_length_reasons(f: Facts) -> list[Advice]:
    full_rule = f.rules["full_length"]
    full = [e for e in f.exams if is_full_length(e.form) and e.taken <= f.today]
    if full:
        return [advise(full_rule, f"Full-length simulation done ({full[-1].form} on {full[-1].taken})", "ok")]
    planned = f"; one is planned on {f.planned_full_length}" if f.planned_full_length else ""
    severity = "delay" if f.days_left <= full_rule["delay_within_days"] else "caution"
    if severity == "delay":
        planned += f" (imgtui's own rule: none done {full_rule['delay_within_days']} days out means DELAY)"
    text = f"No full-length simulation (UWSA / AMBOSS SA) logged yet, {f.days_left} days before the exam{planned}"
    return [advise(full_rule, text, severity, days_left=f.days_left, delay_within_days=full_rule["delay_within_days"])]


def retake_reasons(f: Facts) -> list[Advice]:
    if not (is_retake(f.profile) and f.scored):
        return []
    rule = f.rules["first_attempt"]
    pass_mark = f.rules["pass_mark"]["score"]
    needed = pass_mark + rule["retake_safety_margin"]
    latest_score = int(max(f.scored, key=lambda e: e.taken).score)
    text = (
        f"Retake: a second fail is much worse than a late score; latest {latest_score} "
        f"vs pass mark {pass_mark} (USMLE) + {rule['retake_safety_margin']} (one measurement error, "
        f"imgtui's own margin) = {needed}"
    )
    return [advise(rule, text, "delay" if latest_score < needed else "ok", latest=latest_score, needed=needed)]


def guard_reasons(f: Facts) -> list[Advice]:
    """Against postponing without end, and long gaps for older graduates."""
    reasons: list[Advice] = []
    guard = f.rules["delay_guard"]
    delays = f.profile.exam_delays
    if delays >= guard["max_delays"]:
        text = f"The exam has been postponed {delays} times: avoid indefinite postponement"
        reasons.append(advise(guard, text, "caution", delays=delays))
    years = years_since_graduation(f.profile, f.today)
    older = f.rules["older_graduate"]
    if years is not None and years > older["long_gap_years"]:
        # A reason not to postpone without need, never a reason against sitting: info, not a caution.
        text = (
            f"{years} years since graduation: long gaps weigh against you, so avoid postponing "
            "more than the scores need"
        )
        reasons.append(advise(older, text, "info", years=years))
    return reasons


def repeated_form_reasons(f: Facts) -> list[Advice]:
    return list(repeated_forms(f.exams, f.today, f.rules))


# The rules the decision weighs, in the order their reasons are shown.
DECISION_RULES = (
    eras_reasons,
    latest_score_reasons,
    stale_score_reasons,
    trend_reasons,
    low_score_reasons,
    backup_reasons,
    first_attempt_reasons,
    free120_reasons,
    qbank_reasons,
    full_length_reasons,
    retake_reasons,
    guard_reasons,
)


def decide(
    profile: Profile,
    exams: Iterable[PracticeExam],
    qbank: Iterable[QbankDay],
    today: date,
    target: Target,
    rules: Rules,
    planned_full_length: date | None = None,
    next_checkpoint: date | None = None,
) -> Decision:
    exams = list(exams)
    eras_safe = eras_safe_date(profile, rules)
    settled = no_date_to_decide(profile, exams, today, eras_safe, rules)
    if settled is not None:
        return settled
    exam = profile.exam_date
    assert exam is not None
    goal = target.score
    if goal is None:  # no target chosen: nothing to judge the scores against yet
        return no_target_yet(exams, today, exam, target, eras_safe, rules)
    scored = three_digit_scores(exams, today)
    projection = project(exams, today, exam, goal, rules)
    facts = Facts(
        profile,
        exams,
        list(qbank),
        today,
        exam,
        goal,
        eras_safe,
        scored,
        projection,
        planned_full_length,
        next_checkpoint,
        rules,
    )
    reasons = [reason for rule_reasons in DECISION_RULES for reason in rule_reasons(facts)]
    prediction = predict(exams, today, exam, rules)
    if prediction is not None:
        reasons.extend(prediction_advice(prediction, eras_safe, rules))
    reasons.extend(repeated_form_reasons(facts))
    early = too_early(facts)
    reasons.extend(early)
    verdict = verdict_of(reasons, len(scored), bool(early))

    suggested = None
    options: list[str] = []
    if verdict == DELAY:
        latest_ok, projected_ok = facts.score_checks()
        suggested, options, extra = suggest_new_date(
            profile, projection, latest_ok, projected_ok, today, goal, eras_safe, rules
        )
        reasons.extend(extra)
    to_go = (
        () if verdict == GO else what_turns_it_to_go(reasons, today, exam, planned_full_length, next_checkpoint, rules)
    )
    return Decision(verdict, tuple(reasons), projection, suggested, eras_safe, tuple(options), prediction, to_go)


def no_date_to_decide(
    profile: Profile, exams: list[PracticeExam], today: date, eras_safe: date | None, rules: Rules
) -> Decision | None:
    """The decision when there is no exam date to judge: Step 2 CK already passed, no
    date set, or the date has passed (None: there is one)."""
    if profile.step2_passed:
        passed = advise(
            rules["first_attempt"],
            f"Step 2 CK already passed with {profile.step2_score}: there is no retake "
            "for a higher score, so there is no exam date to decide",
            "ok",
            score=profile.step2_score,
        )
        far = how_far_off(profile.step2_score, exams, profile.exam_date or today, rules)
        return Decision(GO, (passed, *far), None, None, eras_safe)
    if profile.exam_date is None:
        unset = advise(rules["phases"], "No exam date set: enter the planned exam date in Profile", "info")
        return Decision(NOT_ENOUGH_DATA, (unset,), None, None, eras_safe)
    if profile.exam_date < today:
        past = advise(
            rules["first_attempt"],
            f"The planned exam date {profile.exam_date} has passed: record your result in Profile (Step 2 CK "
            "status and score) or set a new exam date",
            "info",
            exam=profile.exam_date,
        )
        return Decision(NOT_ENOUGH_DATA, (past,), None, None, eras_safe)
    return None


def no_target_yet(
    exams: list[PracticeExam], today: date, exam: date, target: Target, eras_safe: date | None, rules: Rules
) -> Decision:
    """No target chosen: the chance of passing still shows; the one step is to choose one."""
    reasons = [r for r in target.reasons if r.rule == rules["target_by_group"].id]
    prediction = predict(exams, today, exam, rules)
    if prediction is not None:
        reasons.extend(prediction_advice(prediction, eras_safe, rules))
    choose = ToGo("target", "Choose your target specialty (or type your own target) in Profile", None)
    return Decision(NOT_ENOUGH_DATA, tuple(reasons), None, None, eras_safe, (), prediction, (choose,))


def too_early(f: Facts) -> list[Advice]:
    """One practice score long before the exam: too early to judge (imgtui's own rule)."""
    go_rule = f.rules["go_score"]
    needed = f.rules["checkpoints"]["min_exams_for_trend"]
    days_left = (f.exam - f.today).days
    if not f.scored or len(f.scored) >= needed or days_left <= go_rule["too_early_days"]:
        return []
    when = f"; the next checkpoint is on {f.next_checkpoint}" if f.next_checkpoint else ""
    return [
        advise(
            go_rule,
            f"Too early to judge: one practice score, {days_left} days before the exam{when}. imgtui "
            f"decides from {needed} scores, or from {go_rule['too_early_days']} days before the exam (its own rule)",
            "info",
            days_left=days_left,
            next_checkpoint=f.next_checkpoint,
        )
    ]


def verdict_of(reasons: list[Advice], scores: int, too_early: bool) -> str:
    """The verdict from the reasons' severities and the number of three-digit scores:
    any delay is DELAY, any caution BORDERLINE."""
    severities = {r.severity for r in reasons}
    if not scores or too_early:
        return NOT_ENOUGH_DATA
    if "delay" in severities:
        return DELAY
    if scores < 2:
        return NOT_ENOUGH_DATA
    if "caution" in severities:
        return BORDERLINE
    return GO


def what_turns_it_to_go(
    reasons: list[Advice],
    today: date,
    exam: date,
    planned_full: date | None,
    next_checkpoint: date | None,
    rules: Rules,
) -> tuple[ToGo, ...]:
    """Each caution or delay, as the thing to do and the date to do it by."""
    window = rules["qbank_percent"]["window_days"]
    full_by = planned_full or exam - timedelta(days=rules["full_length"]["delay_within_days"])
    steps = {
        "full_length": ("take a full-length simulation (UWSA or AMBOSS SA) and log it", full_by),
        "qbank_percent": (
            f"reach {rules['qbank_percent']['ok_from']}% on timed-mixed blocks over {window} days",
            today + timedelta(days=window),
        ),
        "go_score": ("log a practice score within reach of the target", next_checkpoint),
        "low_score": ("log a practice score within reach of the target", next_checkpoint),
        "trend": ("take a self-assessment and log it", next_checkpoint or today + timedelta(days=7)),
    }
    out: list[ToGo] = []
    seen: set[str] = set()
    for reason in reasons:
        if reason.severity not in ("caution", "delay"):
            continue
        if reason.rule == "first_attempt":
            if "needed" not in reason.numbers:
                continue  # "a far score is worth a later date": the score step below covers it
            todo, by = f"log a practice score of {reason.numbers['needed']} or more", next_checkpoint
        else:
            todo, by = steps.get(reason.rule, (reason.message, None))
        if todo in seen:  # a low score and the target gap ask for the same step
            continue
        seen.add(todo)
        if by is not None and by > exam:
            by = None
        out.append(ToGo(reason.rule, todo[0].upper() + todo[1:] if todo else todo, by))
    return tuple(out)
