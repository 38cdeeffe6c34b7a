"""Checkpoint status: which planned checkpoints a logged exam or a long timed block filled.

Pure: the plan, the logged records and a date in; a status per checkpoint out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from ..records import QbankDay
from .rules import Rule, Rules
from .schedule import Checkpoint, StudyPlan


@dataclass(frozen=True)
class CheckpointStatus:
    checkpoint: Checkpoint
    logged: PracticeExamLike | QbankDay | None  # a question-bank day fills a long timed block
    status: str  # done | missed | today | planned

    def logged_text(self) -> str:
        """What filled the checkpoint, as the sheet and the calendar show it ('' when nothing)."""
        if isinstance(self.logged, QbankDay):
            return f"{self.logged.done} questions {self.logged.percent:.0f}%"
        return f"{self.logged.form} {self.logged.score:g}" if self.logged is not None else ""


class PracticeExamLike(Protocol):  # anything with form, taken, score (read-only)
    @property
    def form(self) -> str: ...
    @property
    def taken(self) -> date: ...
    @property
    def score(self) -> float: ...


def is_long_block(point: Checkpoint, rules: Rules) -> bool:
    """A core checkpoint done in the question bank (no exam form was left for it)."""
    return bool(point.form == rules["checkpoints"]["core_fallback_form"])


def last_day_to_fill(point: Checkpoint, exam: date, rules: Rules) -> date:
    """The last day an exam (or long block) logged still fills ``point``: ``match_window_days``
    after it, as ``checkpoint_statuses`` pairs them, and never after the exam."""
    return min(point.day + timedelta(days=rules["checkpoints"]["match_window_days"]), exam)


def long_block_request(rules: Rules) -> str:
    """What a long timed block asks for, in the words of the Today line."""
    rule = rules["checkpoints"]
    return (
        f"{rule['long_block_min_questions']} or more timed random questions in one day (imgtui's own number), "
        "logged in the question bank"
    )


def checkpoint_statuses(
    plan: StudyPlan,
    exams: Sequence[PracticeExamLike],
    today: date,
    rules: Rules,
    qbank: Sequence[QbankDay] = (),
) -> list[CheckpointStatus]:
    """Pair each planned checkpoint with a logged exam.

    First by date (within ``match_window_days``; Free 120 only with the Free 120
    slot), then a same-named form taken up to ``early_match_days`` early. A
    pending checkpoint whose form was already used gets the next unused form.
    A long timed block no exam filled is filled by the nearest question-bank day,
    within ``match_window_days``, of at least ``long_block_min_questions`` timed
    random questions.
    """
    rule = rules["checkpoints"]
    unused = sorted(exams, key=lambda e: e.taken)
    pairs = pair_by_date(plan.checkpoints, unused, rule)
    pair_early(plan.checkpoints, unused, pairs, rule)
    points = named_points(plan.checkpoints, exams, pairs, rule)
    name_forms_ahead(points, exams, pairs, today, rule)
    filled = fill_long_blocks(points, pairs, qbank, rules)
    out = []
    for index, point in enumerate(points):
        logged: PracticeExamLike | QbankDay | None = pairs.get(index) or filled.get(index)
        out.append(CheckpointStatus(point, logged, status_of(point, logged is not None, today)))
    return out


def pair_by_date(
    points: Sequence[Checkpoint], unused: list[PracticeExamLike], rule: Rule
) -> dict[int, PracticeExamLike]:
    """Each exam, oldest first, to the nearest free checkpoint within the match window
    (a Free 120 only to the Free 120 slot); the exams paired leave ``unused``."""
    pairs: dict[int, PracticeExamLike] = {}
    for exam in list(unused):
        candidates = [
            (abs((exam.taken - p.day).days), i)
            for i, p in enumerate(points)
            if i not in pairs
            and (exam.form == "Free 120") == (p.kind == "free120")
            and abs((exam.taken - p.day).days) <= rule["match_window_days"]
        ]
        if candidates:
            pairs[min(candidates)[1]] = exam
            unused.remove(exam)
    return pairs


def pair_early(
    points: Sequence[Checkpoint],
    unused: list[PracticeExamLike],
    pairs: dict[int, PracticeExamLike],
    rule: Rule,
) -> None:
    """A checkpoint still free takes its own form taken up to ``early_match_days`` early."""
    for index, point in enumerate(points):
        if index in pairs:
            continue
        early = [
            e for e in unused if e.form == point.form and 0 <= (point.day - e.taken).days <= rule["early_match_days"]
        ]
        if early:
            pairs[index] = early[0]
            unused.remove(early[0])


def named_points(
    points: Sequence[Checkpoint],
    exams: Sequence[PracticeExamLike],
    pairs: dict[int, PracticeExamLike],
    rule: Rule,
) -> list[Checkpoint]:
    """A filled checkpoint is named by the exam that filled it; a free one whose form was
    taken at another gets a form not taken nor pending, or the fallback."""
    taken = {e.form for e in exams}
    pending_forms = {p.form for i, p in enumerate(points) if i not in pairs}
    spare = [f for f in [*rule["core_forms"], *rule["final_forms"]] if f not in taken and f not in pending_forms]
    named = list(points)
    for index, point in enumerate(points):
        if point.kind not in ("core", "final"):
            continue
        if index in pairs and pairs[index].form != point.form:
            named[index] = Checkpoint(point.day, pairs[index].form, point.phase, point.kind)
        elif index not in pairs and point.form in taken:
            fallback = rule["final_fallback_form"] if point.kind == "final" else rule["core_fallback_form"]
            named[index] = Checkpoint(point.day, spare.pop(0) if spare else fallback, point.phase, point.kind)
    return named


def name_forms_ahead(
    points: list[Checkpoint],
    exams: Sequence[PracticeExamLike],
    pairs: dict[int, PracticeExamLike],
    today: date,
    rule: Rule,
) -> None:
    """The core checkpoints still ahead take the core forms not taken yet, in the rules' order
    (NBME 10 taken early: NBME 11 next, not NBME 15; UWSA 1 taken at NBME 12's date: NBME 12
    is still ahead, before any long block). A long timed block only when the forms run out."""
    taken = {e.form for e in exams}
    forms_left = [f for f in rule["core_forms"] if f not in taken]
    ahead = [i for i, p in enumerate(points) if i not in pairs and p.kind == "core" and p.day >= today]
    for n, index in enumerate(ahead):
        form = forms_left[n] if n < len(forms_left) else rule["core_fallback_form"]
        points[index] = Checkpoint(points[index].day, form, points[index].phase, points[index].kind)


def fill_long_blocks(
    points: Sequence[Checkpoint], pairs: dict[int, PracticeExamLike], qbank: Sequence[QbankDay], rules: Rules
) -> dict[int, QbankDay]:
    """A long timed block no exam filled: the nearest long enough timed random day in the window."""
    rule = rules["checkpoints"]
    filled: dict[int, QbankDay] = {}
    long_days = sorted(
        (d for d in qbank if d.timed_mixed and d.done >= rule["long_block_min_questions"]),
        key=lambda d: d.day,
    )
    for index, point in enumerate(points):
        if index in pairs or not is_long_block(point, rules):
            continue
        near = [
            (abs((d.day - point.day).days), d.day, n)
            for n, d in enumerate(long_days)
            if abs((d.day - point.day).days) <= rule["match_window_days"]
        ]
        if near:
            filled[index] = long_days.pop(min(near)[2])
    return filled


def status_of(point: Checkpoint, logged: bool, today: date) -> str:
    if logged:
        return "done"
    if point.day < today:
        return "missed"
    return "today" if point.day == today else "planned"
