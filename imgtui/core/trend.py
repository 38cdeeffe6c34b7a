"""Practice-score trend to the exam date with an honest uncertainty band."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..records import PracticeExam
from .advice import Advice, advise, counted
from .rules import Rules

MAX_HORIZON_DAYS = 730


@dataclass(frozen=True)
class Projection:
    points: tuple[tuple[date, int], ...]
    origin: date
    intercept: float
    slope_per_day: float | None  # None with a single score (flat)
    residual_se: float | None
    sxx: float
    mean_x: float
    sem: float
    few_factor: float
    age_widen_per_week: float
    exam: date
    target: int
    max_trend_days: int = 56  # the slope is carried this far past the latest score, then held flat

    @property
    def slope_per_week(self) -> float | None:
        return None if self.slope_per_day is None else self.slope_per_day * 7

    @property
    def latest(self) -> tuple[date, int]:
        return self.points[-1]

    def center(self, day: date) -> float:
        x = min((day - self.origin).days, (self.latest[0] - self.origin).days + self.max_trend_days)
        value = self.intercept + (self.slope_per_day or 0.0) * x
        return max(1.0, min(300.0, value))

    def half_width(self, day: date) -> float:
        """Never narrower than the measurement error; wider with few, old or far-off points."""
        x = (day - self.origin).days
        spread = 0.0
        if self.residual_se is not None and self.sxx > 0:
            n = len(self.points)
            spread = self.residual_se * math.sqrt(1 / n + (x - self.mean_x) ** 2 / self.sxx)
        base = math.sqrt(self.sem**2 + spread**2) * self.few_factor
        weeks_out = max(0, (day - self.latest[0]).days) / 7
        return max(self.sem, base + self.age_widen_per_week * weeks_out)

    def at_exam(self) -> tuple[float, float]:
        return self.center(self.exam), self.half_width(self.exam)

    def reaches(self, score: float, today: date) -> date | None:
        """First day from ``today`` on which the trend line reaches ``score`` (None if it never does)."""
        if self.center(today) >= score:
            return today
        if not self.slope_per_day or self.slope_per_day <= 0:
            return None
        x = (score - self.intercept) / self.slope_per_day
        if x > (self.latest[0] - self.origin).days + self.max_trend_days:
            return None  # only past the trend's reach
        when = self.origin + timedelta(days=math.ceil(x))
        if (when - today).days > MAX_HORIZON_DAYS:
            return None
        return max(when, today)


def three_digit_scores(exams: Iterable[PracticeExam], until: date | None = None) -> list[PracticeExam]:
    """The scores that feed the trend: known self-assessments on the Step scale (a form imgtui
    does not know is logged and shown, never predicted from)."""
    return [e for e in exams if e.predicts and not e.is_percentage and (until is None or e.taken <= until)]


def project(exams: Iterable[PracticeExam], today: date, exam: date, target: int, rules: Rules) -> Projection | None:
    scored = sorted(three_digit_scores(exams, today), key=lambda e: e.taken)
    if not scored:
        return None
    rule = rules["trend"]
    sem = float(rules["measurement_error"]["points"])
    origin = scored[0].taken
    xs = [float((e.taken - origin).days) for e in scored]
    ys = [float(e.score) for e in scored]
    n = len(scored)
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if n == 1 or sxx == 0:
        slope = None
        intercept = mean_y
        residual = None
    else:
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=False)) / sxx
        intercept = mean_y - slope * mean_x
        residual = None
        if n >= 3:
            ssr = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=False))
            residual = math.sqrt(ssr / (n - 2))
    few = float(rule["few_points_factor"].get(str(n), 1.0))
    return Projection(
        points=tuple((e.taken, int(e.score)) for e in scored),
        origin=origin,
        intercept=intercept,
        slope_per_day=slope,
        residual_se=residual,
        sxx=sxx,
        mean_x=mean_x,
        sem=sem,
        few_factor=few,
        age_widen_per_week=float(rule["age_widen_points_per_week"]),
        exam=exam,
        target=target,
        max_trend_days=7 * int(rule["max_trend_weeks"]),
    )


def projection_advice(projection: Projection, today: date, rules: Rules) -> Advice:
    center, half = projection.at_exam()
    slope = projection.slope_per_week
    trend = "no trend yet" if slope is None else f"trend {slope:+.1f} a week"
    if slope is not None and (projection.exam - projection.latest[0]).days > projection.max_trend_days:
        weeks = projection.max_trend_days // 7
        trend += f", held flat {weeks} weeks after the latest score (imgtui's own limit)"
    reach = projection.reaches(projection.target, today)
    if reach is None:
        reach_text = f"the trend does not reach {projection.target}"
    elif reach <= today:
        reach_text = f"already at the {projection.target} target"
    else:
        reach_text = f"reaches {projection.target} around {reach}"
    return advise(
        rules["trend"],
        f"Projected {center:.0f} ± {half:.0f} on {projection.exam} "
        f"({counted(len(projection.points), 'score')}, {trend}; {reach_text})",
        "info",
        projected=round(center),
        band=round(half),
        slope_per_week=None if slope is None else round(slope, 2),
        scores=len(projection.points),
        reaches_target_on=reach,
    )
