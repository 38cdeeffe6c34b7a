"""Practice scores over time with target, pass mark and the projection band."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rich.text import Text
from textual.widget import Widget

from ...core.trend import Projection


class ScoreChart(Widget):
    """A character plot; drawn from plain data so snapshots are deterministic."""

    DEFAULT_CSS = """
    ScoreChart { height: 12; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.points: list[tuple[date, float]] = []
        self.target: int | None = None
        self.pass_mark: int | None = None
        self.projection: Projection | None = None
        self.start: date | None = None
        self.exam: date | None = None
        self.today: date | None = None

    def set_data(
        self,
        points: list[tuple[date, float]],
        target: int | None,
        pass_mark: int,
        projection: Projection | None,
        start: date | None,
        exam: date | None,
        today: date,
    ) -> None:
        self.points, self.target, self.pass_mark = points, target, pass_mark
        self.projection, self.start, self.exam, self.today = projection, start, exam, today
        self.refresh()

    def render(self) -> Text:
        width = max(20, self.size.width)
        height = max(5, self.size.height)
        if not self.points:
            return Text("No three-digit practice scores yet: log one with 'a' in Practice exams.", style="dim")
        label_w = 5
        plot_w = width - label_w - 1
        plot_h = height - 2
        first = min([p[0] for p in self.points] + ([self.start] if self.start else []))
        last = max([p[0] for p in self.points] + ([self.exam] if self.exam else []))
        if last <= first:
            last = first + timedelta(days=1)
        values = [p[1] for p in self.points] + [v for v in (self.target, self.pass_mark) if v]
        if self.projection and self.exam:
            center, half = self.projection.at_exam()
            values += [center - half, center + half]
        low = max(1, int(min(values)) - 3)
        high = min(300, int(max(values)) + 3)
        if high - low < 10:
            high = low + 10
        span_days = (last - first).days

        def col(day: date) -> int:
            return min(plot_w - 1, max(0, round((day - first).days / span_days * (plot_w - 1))))

        def row(value: float) -> int:
            return min(plot_h - 1, max(0, round((high - value) / (high - low) * (plot_h - 1))))

        grid = [[(" ", "")] * plot_w for _ in range(plot_h)]

        def put(r: int, c: int, ch: str, style: str) -> None:
            grid[r][c] = (ch, style)

        if self.projection and self.exam:
            latest_day = self.projection.latest[0]
            for c in range(col(latest_day), col(self.exam) + 1):
                day = first + timedelta(days=round(c / max(1, plot_w - 1) * span_days))
                center = self.projection.center(day)
                half = self.projection.half_width(day)
                for r in range(row(center + half), row(center - half) + 1):
                    put(r, c, "░", "blue")
                put(row(center), c, "·", "bold blue")
        if self.pass_mark:
            for c in range(plot_w):
                if grid[row(self.pass_mark)][c][0] == " ":
                    put(row(self.pass_mark), c, "╌", "red")
        if self.target:
            for c in range(plot_w):
                put(row(self.target), c, "─", "green")
        if self.today and first <= self.today <= last:
            c = col(self.today)
            for r in range(plot_h):
                if grid[r][c][0] == " ":
                    put(r, c, "│", "dim")
        for day, value in self.points:
            put(row(value), col(day), "●", "bold yellow")
        text = Text(no_wrap=True)
        # The lines' own numbers win over the axis ends on a shared row: a pass line sharing the
        # bottom row was labelled with the axis minimum (215) instead of 218.
        labelled = {row(high): high, row(low): low}
        if self.pass_mark:
            labelled[row(self.pass_mark)] = self.pass_mark
        if self.target:
            labelled[row(self.target)] = self.target
        for r in range(plot_h):
            label = f"{labelled[r]:>4} " if r in labelled else "     "
            text.append(label, style="dim")
            text.append("┤" if r in labelled else "│", style="dim")
            for ch, style in grid[r]:
                text.append(ch, style=style)
            text.append("\n")
        axis = f"{first.isoformat():<{plot_w // 2}}{last.isoformat():>{plot_w - plot_w // 2}}"
        text.append(" " * (label_w + 1) + axis[:plot_w] + "\n", style="dim")
        text.append(" " * (label_w + 1), style="")
        text.append("● score  ", style="bold yellow")
        text.append("─ target  ", style="green")
        text.append("╌ pass  ", style="red")
        text.append("·░ projection band  ", style="blue")
        text.append("│ today", style="dim")
        return text
