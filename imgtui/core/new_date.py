"""A later exam date for a DELAY verdict, or why none is suggested and what else to do."""

from __future__ import annotations

import math
from datetime import date, timedelta

from ..records import Profile
from .advice import Advice, advise, counted
from .rules import Rules
from .trend import Projection


def weak_scores(projection: Projection | None, rules: Rules) -> str | None:
    """Why the scores are too weak to let the ERAS date drive the exam date (None: they are not).
    A fail is much worse than a late score [003]."""
    if projection is None:
        return None
    low_rule, pass_mark = rules["low_score"], rules["pass_mark"]["score"]
    latest = projection.latest[1]
    center, half = projection.at_exam()
    if latest < low_rule["below"]:
        return f"the latest score {latest} is under {low_rule['below']}"
    if center - half < pass_mark:
        return f"the low end of the projection ({max(1, round(center - half))}) is under the pass mark {pass_mark}"
    return None


def weak_score_options(
    profile: Profile, projection: Projection | None, today: date, goal: int, weak: str, rules: Rules
) -> tuple[date | None, list[str], list[Advice]]:
    """Weak scores: never an earlier or an ERAS-driven date, but the three ways the articles give."""
    assert profile.exam_date is not None and projection is not None
    reach = projection.reaches(goal, today)
    sit = (
        f"sit when the trend reaches the {goal} target (around {reach}) [003]"
        if reach is not None
        else f"sit only once practice scores reach the {goal} target: the trend does not get there yet [003]"
    )
    next_year = f" (ERAS {profile.eras_year + 1})" if profile.eras_year else ""
    options = [
        sit,
        "submit ERAS with Step 2 CK pending: fewer and later interview invites [001, 003]",
        f"apply in the next cycle{next_year} [001, 003]",
    ]
    suggested = reach if reach is not None and reach > profile.exam_date else None
    note = advise(
        rules["low_score"],
        f"Do not rush Step 2 CK for ERAS: {weak}, and a fail is much worse than a late score. "
        "Options: " + "; or ".join(options),
        "caution",
        suggested=suggested,
    )
    return suggested, options, [note]


def suggest_new_date(
    profile: Profile,
    projection: Projection | None,
    latest_ok: bool,
    projected_ok: bool,
    today: date,
    goal: int,
    eras_safe: date | None,
    rules: Rules,
) -> tuple[date | None, list[str], list[Advice]]:
    """A later exam date for a DELAY verdict (``latest_ok``: the latest score is within
    reach of the target; ``projected_ok``: the trend gets there by the current date)."""
    assert profile.exam_date is not None
    if profile.exam_delays and projected_ok and projection is not None:
        return None, [], [already_postponed(profile, projection, goal, rules)]
    weak = weak_scores(projection, rules)
    if weak is not None:
        return weak_score_options(profile, projection, today, goal, weak, rules)
    suggested, why = later_date(profile.exam_date, projection, latest_ok or projected_ok, today, goal, rules)
    suggested, options, note = checked_against_eras(profile, suggested, why, eras_safe, rules)
    notes = [note]
    guard = rules["delay_guard"]
    if profile.exam_delays >= guard["max_delays"]:
        notes.append(
            advise(
                guard,
                f"Already postponed {profile.exam_delays} times: a higher score is worth a "
                "slightly later one, but not an endless delay",
                "caution",
                delays=profile.exam_delays,
            )
        )
    return suggested, options, notes


def already_postponed(profile: Profile, projection: Projection, goal: int, rules: Rules) -> Advice:
    """Already postponed, to a date the trend reaches: one more suggestion would be followed
    by another (the reasons are past scores), the endless delay the guard rail warns against."""
    within = rules["go_score"]["go_within"]
    center, _half = projection.at_exam()
    return advise(
        rules["delay_guard"],
        f"No further postponement suggested: the exam on {profile.exam_date} was already moved, and the trend "
        f"projects {center:.0f} then (within {within} of the {goal} target); the next practice "
        "scores show whether the reasons above still hold",
        "info",
        delays=profile.exam_delays,
        projected=round(center),
    )


def later_date(
    exam: date, projection: Projection | None, within_reach: bool, today: date, goal: int, rules: Rules
) -> tuple[date | None, str]:
    """The later date and why: imgtui's default step when the score is within reach (or
    the trend cannot say), else when the trend reaches the target (None: it does not)."""
    guard = rules["delay_guard"]
    within = rules["go_score"]["go_within"]
    step = guard["default_delay_weeks"]
    suggested: date | None
    if within_reach or projection is None or len(projection.points) < 2:
        suggested = exam + timedelta(weeks=step)
        why = f"{counted(step, 'week')} later (imgtui's own step) to fix the reasons above"
    else:
        reach = projection.reaches(goal - within, today)
        if reach is None:
            suggested = None
            why = (
                f"at the current trend ({projection.slope_per_week or 0:+.1f} a week) the score does not reach "
                f"{goal - within}: postponing alone will not get there"
            )
        else:
            weeks = max(step, math.ceil((reach - exam).days / 7))
            suggested = exam + timedelta(weeks=weeks)
            why = (
                f"{counted(weeks, 'week')} later: the trend reaches {goal - within} "
                f"(within {within} of target) around {reach}"
            )
    earliest = today + timedelta(weeks=step)
    if suggested is not None and suggested < earliest:
        suggested = earliest
    return suggested, why


def checked_against_eras(
    profile: Profile, suggested: date | None, why: str, eras_safe: date | None, rules: Rules
) -> tuple[date | None, list[str], Advice]:
    """The suggestion kept to the ERAS-safe date, or no date and what to do instead."""
    assert profile.exam_date is not None
    guard = rules["delay_guard"]
    if eras_safe is not None and (suggested is None or suggested > eras_safe):
        options = [
            f"take the exam by the ERAS-safe date {eras_safe} and apply to a broader program list",
            f"apply in the next cycle (ERAS {profile.eras_year + 1 if profile.eras_year else ''})".rstrip(),
        ]
        note = advise(
            rules["eras_timing"],
            f"Even {eras_safe}, the latest ERAS-safe date, does not reach "
            f"the target at the current trend ({why}). Options: " + "; or ".join(options),
            "caution",
            eras_safe=eras_safe,
        )
        return (eras_safe if eras_safe > profile.exam_date else None), options, note
    if suggested is None:
        options = [
            "change the study approach before picking a new date",
            "widen the program list for the score you can reach",
        ]
        return None, options, advise(guard, f"No new date suggested: {why}. Options: " + "; ".join(options), "caution")
    return suggested, [], advise(guard, f"Suggested new exam date {suggested}: {why}", "info", suggested=suggested)
