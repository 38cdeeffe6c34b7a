"""The USCE summary: months secured by kind against the months the score calls for,
and the letters, each rule a small function run from a list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..records import RETIRED_STATUSES, SECURED_STATUSES, Letter, Profile, UsceSite, specialty_words
from .advice import Advice, advise, counted
from .rules import Rules
from .target import years_since_graduation
from .usce import aligned, counts_as_usce


@dataclass(frozen=True)
class UsceSummary:
    weeks_secured: int
    weeks_in_specialty: int
    weeks_hands_on: int
    months_recommended: tuple[int, int]
    weeks_recommended: tuple[int, int]  # the months in weeks (rules: usce_months.weeks_per_month)
    letters_needed: int
    letters_in_specialty: int
    letters_total: int
    cost_secured: float
    cost_all_planned: float
    advice: tuple[Advice, ...]


def usce_row(score: int | None, profile: Profile, rules: Rules) -> tuple[dict[str, Any], str]:
    rule = rules["usce_months"]
    if score is None:
        retake = profile.step2_status == "failed" or profile.step2_attempts > 0
        return rule["not_taken"], "Step 2 CK not yet passed (a retake ahead)" if retake else "Step 2 CK not yet taken"
    competitive = profile.specialty in rule["strong_line_specialties"]  # the 255 line [000]
    for row in rule["rows"]:
        floor = row.get("min_score_competitive", row["min_score"]) if competitive else row["min_score"]
        if score >= floor:
            return row, f"Step 2 CK {score}"
    return rule["rows"][-1], f"Step 2 CK {score}"


@dataclass(frozen=True)
class UsceFacts:
    """What each USCE rule reads: the applicant, the sites and letters, and the weeks
    secured by kind. Months count by kind of experience: research is not USCE [000],
    shadowing and tele-rotations are weak [002]; those are shown apart."""

    profile: Profile
    sites: Sequence[UsceSite]
    letters: Sequence[Letter]
    score: int | None
    today: date
    rules: Rules
    row: dict[str, Any]  # the usce_months row for this score
    situation: str  # the score or status the row was chosen by
    secured: list[UsceSite]  # booked or done, and counting as USCE
    weeks: int
    in_spec: int
    hands_on: int
    weak: int
    research: int

    @property
    def per_month(self) -> int:
        return int(self.rules["usce_months"]["weeks_per_month"])


def usce_facts(
    profile: Profile,
    sites: Sequence[UsceSite],
    letters: Sequence[Letter],
    score: int | None,
    today: date,
    rules: Rules,
) -> UsceFacts:
    row, situation = usce_row(score, profile, rules)
    booked = [s for s in sites if s.status in SECURED_STATUSES]
    secured = [s for s in booked if counts_as_usce(s, rules)]
    types = rules["usce_types"]["types"]
    research = sum(s.weeks or 0 for s in booked if types[s.usce_type]["rank"] == 0)
    weak = sum(s.weeks or 0 for s in booked if s not in secured) - research
    return UsceFacts(
        profile,
        sites,
        letters,
        score,
        today,
        rules,
        row,
        situation,
        secured,
        weeks=sum(s.weeks or 0 for s in secured),
        in_spec=sum(s.weeks or 0 for s in secured if aligned(s.specialty, profile.specialty, rules)),
        hands_on=sum(s.weeks or 0 for s in secured if s.hands_on),
        weak=weak,
        research=research,
    )


def months_advice(f: UsceFacts) -> list[Advice]:
    low, high = f.row["months"]
    need_weeks = low * f.per_month
    enough = f.weeks >= need_weeks and (not f.row.get("hands_on") or f.hands_on >= need_weeks)
    apart = []
    if f.weak:
        apart.append(f"{counted(f.weak, 'week')} of shadowing or tele-rotation (weak [002])")
    if f.research:
        apart.append(f"{counted(f.research, 'week')} of research (not USCE [000])")
    kinds = f"; not counted: {' and '.join(apart)}" if apart else ""
    hands_need = f" (this row needs the {need_weeks} weeks hands-on)" if f.row.get("hands_on") else ""
    return [
        advise(
            f.rules["usce_months"],
            f"{f.situation}: {f.row['text']}. Secured {counted(f.weeks, 'week')} of USCE "
            f"({f.weeks / f.per_month:.1f} months) of the {low}-{high} months recommended; "
            f"{counted(f.in_spec, 'week')} in {specialty_words(f.profile.specialty)}, "
            f"{f.hands_on} hands-on{hands_need}{kinds}",
            "ok" if enough else "caution",
            weeks_secured=f.weeks,
            months_min=low,
            months_max=high,
            weeks_in_specialty=f.in_spec,
            weeks_hands_on=f.hands_on,
            weeks_weak=f.weak,
            weeks_research=f.research,
        )
    ]


def alignment_advice(f: UsceFacts) -> list[Advice]:
    if not f.weeks or f.in_spec >= f.weeks * f.rules["alignment"]["min_share"]:
        return []
    return [
        advise(
            f.rules["alignment"],
            f"Of {counted(f.weeks, 'secured week')}, only {f.in_spec} in your target specialty: "
            "most USCE should be in it",
            "caution",
            weeks_in_specialty=f.in_spec,
            weeks_secured=f.weeks,
        )
    ]


def recency_advice(f: UsceFacts) -> list[Advice]:
    years = years_since_graduation(f.profile, f.today)
    if years is None or years < f.rules["older_graduate"]["older_yog_years"]:
        return []
    recent_months = f.rules["recency"]["recent_months"]
    recent_from = f.today - timedelta(days=30 * recent_months)
    if any((s.end or s.start or f.today) >= recent_from for s in f.secured):
        return []
    return [
        advise(
            f.rules["recency"],
            f"{years} years since graduation (older YOG): recent USCE is critical, and none is secured "
            f"within the last {recent_months} months (imgtui's own window) or upcoming",
            "caution",
            years=years,
        )
    ]


def backup_advice(f: UsceFacts) -> list[Advice]:
    backup = f.rules["backup_options"]
    if f.score is None or f.score >= backup["below"]:
        return []
    return [advise(backup, f"Step 2 CK {f.score}: {backup['text']}", "caution")]


def study_window_advice(f: UsceFacts) -> list[Advice]:
    """A full-time rotation inside the study window, before Step 2 CK is passed."""
    start, exam = f.profile.study_start, f.profile.exam_date
    if f.profile.step2_passed or not start or not exam:
        return []
    inactive = ("declined", "rejected", "not_responding")
    clashing = [
        s
        for s in f.sites
        if s.full_time and s.start and s.status not in inactive and s.start < exam and (s.end or s.start) >= start
    ]
    if not clashing:
        return []
    first = clashing[0]
    more = f" (and {len(clashing) - 1} more)" if len(clashing) > 1 else ""
    return [
        advise(
            f.rules["full_time_usce"],
            f"Full-time rotation at {first.name} from {first.start}{more} falls inside your study window "
            f"({start} to the exam on {exam}): {f.rules['full_time_usce']['text']}",
            "caution",
        )
    ]


def many_months_advice(f: UsceFacts) -> list[Advice]:
    months = f.rules["usce_months"]["more_than_months_helps_only_if_excellent"]
    if f.weeks <= months * f.per_month:
        return []
    return [
        advise(
            f.rules["usce_months"],
            f"More than {months} months of USCE helps only if quality and letters are excellent",
            "info",
        )
    ]


@dataclass(frozen=True)
class LetterCount:
    needed: int
    agreed: int  # agreed or uploaded: a letter only asked for is not one yet
    in_specialty: int  # of those, by US faculty in the target specialty
    asked_only: int


def count_letters(f: UsceFacts) -> LetterCount:
    total = f.rules["letters"]["total"]
    needed = max(f.row.get("letters_min", 1), total) if f.score is not None else total
    agreed = [x for x in f.letters if x.agreed or x.uploaded]
    in_specialty = [x for x in agreed if x.us_faculty and aligned(x.specialty, f.profile.specialty, f.rules)]
    return LetterCount(needed, len(agreed), len(in_specialty), len(f.letters) - len(agreed))


def letters_advice(f: UsceFacts) -> list[Advice]:
    rule = f.rules["letters"]
    count = count_letters(f)
    enough = count.in_specialty >= rule["in_specialty_min"] and count.agreed >= count.needed
    waiting = f"; {count.asked_only} asked, not yet agreed" if count.asked_only else ""
    return [
        advise(
            rule,
            f"Letters: {counted(count.in_specialty, 'US letter')} in "
            f"{specialty_words(f.profile.specialty)} (at least {rule['in_specialty_min']} [002]), "
            f"{count.agreed} in all (aim for {count.needed}: {rule['mixes']}){waiting}; "
            f"{f.row.get('letters', '')}".rstrip("; "),
            "ok" if enough else "caution",
            in_specialty=count.in_specialty,
            total=count.agreed,
            needed=count.needed,
            asked_only=count.asked_only,
        )
    ]


# Each rule's lines, in the order they are shown.
USCE_RULES = (
    months_advice,
    alignment_advice,
    recency_advice,
    backup_advice,
    study_window_advice,
    many_months_advice,
    letters_advice,
)


def summarise_usce(
    profile: Profile,
    sites: Sequence[UsceSite],
    letters: Sequence[Letter],
    score: int | None,
    today: date,
    rules: Rules,
) -> UsceSummary:
    f = usce_facts(profile, sites, letters, score, today, rules)
    low, high = f.row["months"]
    count = count_letters(f)
    return UsceSummary(
        f.weeks,
        f.in_spec,
        f.hands_on,
        (low, high),
        (low * f.per_month, high * f.per_month),
        count.needed,
        count.in_specialty,
        count.agreed,
        sum(s.total_cost() for s in f.secured),
        sum(s.total_cost() for s in sites if s.status not in RETIRED_STATUSES),
        tuple(advice for rule in USCE_RULES for advice in rule(f)),
    )
