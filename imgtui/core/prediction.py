"""The predicted Step 2 CK score: each self-assessment read as a Step 2 CK equivalent by its
source, weighted by recency, with a band never narrower than the exam's own error and the
probability of passing. Every number is a sourced rule (rules.json: prediction)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..records import PracticeExam, form_info
from .advice import Advice, advise
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


def how_far_off(real: int | None, exams: list[PracticeExam], exam_day: date, rules: Rules) -> list[Advice]:
    """After the exam: how far each source's Step 2 CK equivalent was from the real score."""
    prediction = predict(exams, exam_day, None, rules)
    if real is None or prediction is None:
        return []
    offsets = rules["prediction"]["offsets"]
    parts = []
    for source in prediction.by_source:
        read = sum(source.scores) / len(source.scores) + offsets.get(source.source, 0)
        parts.append(f"{source.source} read {read:.0f} ({real - read:+.0f})")
    return [
        advise(
            rules["prediction"],
            f"Your real {real} against your self-assessments: " + "; ".join(parts) + " (trust them as far as that)",
            "info",
            real=real,
        )
    ]


def prediction_advice(prediction: Prediction, eras_safe: date | None, rules: Rules) -> list[Advice]:
    rule = rules["prediction"]
    sources = ", ".join(f"{s.source} {'/'.join(map(str, s.scores))}" for s in prediction.by_source)
    release = ""
    if prediction.result_date is not None:
        release = f"; the score is back around {prediction.result_date} ({rule['release_weeks_typical']} weeks [001])"
    lines = [
        advise(
            rule,
            f"Your self-assessments ({sources}) read as about {prediction.center} ({prediction.low}-"
            f"{prediction.high}) on Step 2 CK today; chance of passing at that level "
            f"{prediction.pass_probability:.0%}{release}",
            "info",
            center=prediction.center,
            low=prediction.low,
            high=prediction.high,
            pass_probability=prediction.pass_probability,
        )
    ]
    if prediction.disagreement:  # worth knowing, not a reason against GO on its own
        lines.append(advise(rule, prediction.disagreement, "info"))
    if prediction.result_date is not None and eras_safe is not None:
        # The score's release against ERAS: 4 weeks is typical [001]; 8 before ERAS opens is imgtui's margin.
        opening = eras_safe + timedelta(weeks=rules["eras_timing"]["score_release_weeks"])
        safe_by = opening - timedelta(weeks=rule["release_weeks_safe"])
        if prediction.result_date > safe_by:
            lines.append(
                advise(
                    rule,
                    f"The score is typically back around {prediction.result_date}, less than "
                    f"{rule['release_weeks_safe']} weeks before ERAS opens on {opening} (imgtui's own safe margin): "
                    "a late release leaves little time if a score needs explaining",
                    "info",
                    result_date=prediction.result_date,
                    eras_opening=opening,
                )
            )
    return lines


def repeated_forms(exams: list[PracticeExam], today: date, rules: Rules) -> list[Advice]:
    """A form taken twice reads high the second time (its questions were seen before)."""
    seen: dict[str, int] = {}
    for exam in exams:
        if exam.taken <= today and not exam.is_percentage:
            seen[exam.form] = seen.get(exam.form, 0) + 1
    return [
        advise(
            rules["prediction"],
            f"{form} logged {count} times: a form taken again reads high (its questions were seen before; "
            "imgtui's own note), so trust the first sitting more",
            "info",
            form=form,
        )
        for form, count in seen.items()
        if count > 1 and form_info(form) is not None
    ]
