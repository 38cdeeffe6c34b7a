"""The predicted Step 2 CK score: each self-assessment read as a Step 2 CK equivalent by its
source, weighted by recency, with a band never narrower than the exam's own error and the
probability of passing. Every number is a sourced rule (rules.json: prediction)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..records import PracticeExam, form_info
from .rules import Rules
from .trend import three_digit_scores


@dataclass(frozen=True)
class SourceScores:
    source: str  # the form family: "UWSA 2", "NBME"...
    scores: tuple[int, ...]
    offset: int
    weight: float  # the share of the prediction, 0-1


@dataclass(frozen=True)
class Prediction:
    center: int
    low: int
    high: int
    pass_probability: float
    by_source: tuple[SourceScores, ...]
    disagreement: str | None
    result_date: date | None  # the score's typical release after the exam


def source_of(exam: PracticeExam, offsets: dict[str, int]) -> str:
    """The key of ``offsets`` that applies: the form itself ("UWSA 2"), else its family ("NBME")."""
    if exam.form in offsets:
        return exam.form
    info = form_info(exam.form)
    family = (info.label if info else exam.form).split(" ")[0]
    return family if family in offsets else exam.form


def predict(exams: Iterable[PracticeExam], today: date, exam_date: date | None, rules: Rules) -> Prediction | None:
    rule = rules["prediction"]
    scored = three_digit_scores(exams, today)
    if not scored:
        return None
    offsets: dict[str, int] = rule["offsets"]
    sem = float(rules["measurement_error"]["points"])
    half_life = rule["half_life_days"]
    weighted: list[tuple[str, int, float, float]] = []  # source, score, adjusted, weight
    for exam in scored:
        source = source_of(exam, offsets)
        adjusted = exam.score + offsets.get(source, 0)
        weight = 0.5 ** ((today - exam.taken).days / half_life)
        weighted.append((source, int(exam.score), adjusted, weight))
    total = sum(w for *_, w in weighted)
    center = sum(a * w for _, _, a, w in weighted) / total
    spread = sum(w * (a - center) ** 2 for _, _, a, w in weighted) / total if len(weighted) > 1 else 0.0
    few = float(rules["trend"]["few_points_factor"].get(str(len(weighted)), 1.0))
    sigma = max(sem, math.sqrt(sem**2 + spread) * few)  # never narrower than the exam's own error
    center = max(1.0, min(300.0, center))
    pass_mark = rules["pass_mark"]["score"]
    passing = 0.5 * (1 + math.erf((center - pass_mark) / (sigma * math.sqrt(2))))
    by_source: dict[str, list[tuple[int, float, float]]] = {}
    for source, score, adjusted, weight in weighted:
        by_source.setdefault(source, []).append((score, adjusted, weight))
    sources = tuple(
        SourceScores(
            source, tuple(s for s, _, _ in rows), offsets.get(source, 0), round(sum(w for *_, w in rows) / total, 3)
        )
        for source, rows in by_source.items()
    )
    means = {source: sum(a for _, a, _ in rows) / len(rows) for source, rows in by_source.items()}
    disagreement = None
    if len(means) > 1 and max(means.values()) - min(means.values()) > rule["disagree_points"]:
        high_source = max(means, key=lambda s: means[s])
        low_source = min(means, key=lambda s: means[s])
        disagreement = (
            f"Your sources disagree: {high_source} reads {means[high_source]:.0f} and {low_source} "
            f"{means[low_source]:.0f} as Step 2 CK equivalents (more than {rule['disagree_points']} apart, "
            "imgtui's own line): trust the lower until a new self-assessment settles it"
        )
    release = exam_date + timedelta(weeks=rule["release_weeks_typical"]) if exam_date else None
    return Prediction(
        round(center),
        max(1, round(center - sigma)),
        min(300, round(center + sigma)),
        round(passing, 3),
        sources,
        disagreement,
        release,
    )
