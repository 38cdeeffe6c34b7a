"""Schedule: phases timeline, go/delay decision, score chart, checkpoints, targets, logs."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label, Static

from ...core.overview import Overview
from ...core.schedule import StudyPlan
from ...records import choice_label
from .base import PaneMixin
from .chart import ScoreChart
from .hanging import HangingLine, Paragraphs, bullet
from .severity import SEVERITY_STYLE, VERDICT_STYLE
from .sheet import Sheet, cell

PHASE_STYLE = {"baseline": ("▒", "cyan"), "core": ("▓", "blue"), "final": ("█", "magenta")}
STATUS_STYLE = {"done": "green", "missed": "red", "today": "bold yellow", "planned": ""}


class Timeline(Static):
    """The three phases across the calendar with today marked."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.plan: StudyPlan | None = None
        self.today: date | None = None
        self.problem = ""

    def set_plan(self, plan: StudyPlan | None, today: date, problem: str | None) -> None:
        self.plan, self.today, self.problem = plan, today, problem or ""
        self.refresh(layout=True)

    def render(self) -> Text:
        if self.plan is None or self.today is None:
            return Text(self.problem, style="yellow")
        plan = self.plan
        width = max(20, self.size.width - 2)
        days = (plan.exam - plan.start).days + 1
        bar = Text()
        for c in range(width):
            day = plan.start + timedelta(days=int(c * days / width))
            phase = plan.phase_on(day)
            ch, style = PHASE_STYLE.get(phase.name if phase else "final", ("█", ""))
            bar.append(ch, style=style)
        marker = Text()
        if plan.start <= self.today <= plan.exam:
            pos = min(width - 1, int((self.today - plan.start).days / days * width))
            marker.append(" " * pos + "▲ today", style="bold yellow")
        elif self.today < plan.start:
            marker.append(f"starts in {(plan.start - self.today).days} days", style="dim")
        else:
            marker.append("exam date passed", style="dim")
        legend = Text()
        for phase in plan.phases:
            ch, style = PHASE_STYLE[phase.name]
            legend.append(
                f"{ch} {phase.label} {phase.start:%d %b}-{phase.end:%d %b %Y} ({phase.days} d)  ", style=style
            )
        return Text("\n").join([bar, marker, legend])


class SchedulePane(PaneMixin, VerticalScroll):
    BINDINGS = [
        Binding("a", "app.log_exam", "Log exam", id="schedule.log_exam"),
        Binding("l", "app.log_qbank", "Log questions", id="schedule.log_qbank"),
        Binding("e", "edit", "Edit", id="schedule.edit"),
        Binding("d", "delete", "Delete", id="schedule.delete"),
        Binding("r", "app.apply_suggested_date", "Apply new date", id="schedule.replan"),
    ]

    cursors_placed_on: date | None = None  # the day the tables' cursors were put on "now"

    def compose(self) -> ComposeResult:
        yield Label(Text("Study plan", style="bold"), classes="section")
        yield Timeline(id="timeline")
        yield Static("", id="plan-notes")
        yield Label(Text("Exam decision", style="bold"), classes="section")
        yield Static("", id="decision")
        yield Label(Text("Practice scores", style="bold"), classes="section")
        yield ScoreChart(id="chart")
        with Horizontal(id="schedule-tables"):
            with Vertical(id="checkpoints-box"):
                yield Label(Text("Checkpoints", style="bold"), classes="section")
                yield Sheet(id="checkpoints", cursor_type="row", zebra_stripes=True)
            with Vertical(id="weeks-box"):
                yield Label(Text("Weekly question targets", style="bold"), classes="section")
                yield Sheet(id="weeks", cursor_type="row", zebra_stripes=True)
        yield Label(
            Text("Practice exams  (a: add; on a row, e/Enter: edit, d: delete)", style="bold"), classes="section"
        )
        yield Sheet(id="exams", cursor_type="row", zebra_stripes=True)
        yield Label(
            Text("Question bank  (l: log a block; on a row, e/Enter: edit, d: delete)", style="bold"), classes="section"
        )
        yield Static("", id="qbank-summary")
        yield Sheet(id="qbank", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#checkpoints", Sheet).add_columns("Date", "Planned", "Phase", "Logged", "Status")
        self.query_one("#weeks", Sheet).add_columns("Week of", "Phase", "Per day", "Days", "Total")
        self.query_one("#exams", Sheet).add_columns("Date", "Form", "Score", "Notes")
        self.query_one("#qbank", Sheet).add_columns("Date", "Done", "Correct", "%", "Mode")

    def on_resize(self, event: events.Resize) -> None:
        self._arrange_tables()

    def _arrange_tables(self) -> None:
        """Checkpoints and weekly targets side by side when both fit whole; otherwise one
        above the other, so a narrow terminal still shows each checkpoint's Logged and Status."""
        checkpoints, weeks = self.query_one("#checkpoints", Sheet), self.query_one("#weeks", Sheet)

        def whole(sheet: Sheet) -> int:  # its columns and its scrollbar
            return sheet.virtual_size.width + sheet.styles.scrollbar_size_vertical

        side_by_side = whole(checkpoints) + whole(weeks) <= self.scrollable_content_region.width
        self.set_class(not side_by_side, "-stacked")
        # Side by side, the checkpoints take what they need and the weeks the rest.
        self.query_one("#checkpoints-box", Vertical).styles.width = whole(checkpoints) if side_by_side else None

    def default_focus(self) -> Widget:
        # The pane itself, from the top: arrows scroll the plan and decision; Tab reaches the tables.
        self.scroll_home(animate=False)
        return self

    def update_overview(self, ov: Overview) -> None:
        self._plan(ov)
        self._decision(ov)
        self._chart(ov)
        self._checkpoints_and_weeks(ov)
        self._logs(ov)

    def _plan(self, ov: Overview) -> None:
        self.query_one(Timeline).set_plan(ov.plan, ov.today, ov.plan_problem)
        notes = [bullet(n.message, SEVERITY_STYLE[n.severity], n.cite) for n in ov.plan.notes] if ov.plan else []
        self.query_one("#plan-notes", Static).update(Paragraphs(*notes))

    def _chart(self, ov: Overview) -> None:
        scores = [(e.taken, float(e.score)) for e in ov.snapshot.exams if not e.is_percentage]
        profile = ov.snapshot.profile
        self.query_one(ScoreChart).set_data(
            scores,
            ov.target.score,
            ov.pass_mark,
            ov.decision.projection,
            profile.study_start,
            profile.exam_date,
            ov.today,
        )

    def _checkpoints_and_weeks(self, ov: Overview) -> None:
        checkpoints = self.query_one("#checkpoints", Sheet)
        checkpoints.set_rows(
            (
                (
                    f"cp-{i}",
                    [
                        cs.checkpoint.day.isoformat(),
                        cs.checkpoint.form,
                        cs.checkpoint.phase,
                        cs.logged_text(),
                        cell(cs.status, STATUS_STYLE[cs.status]),
                    ],
                )
                for i, cs in enumerate(ov.checkpoints)
            ),
            empty="None until the plan has its dates.",
        )
        weeks = []
        this_week: str | None = None  # the key of the week holding today
        for i, week in enumerate(ov.plan.weeks if ov.plan else ()):
            current = week.start <= ov.today <= week.end
            if current:
                this_week = f"wk-{i}"
            start = cell(f"{week.start}", "bold" if current else "")
            weeks.append((f"wk-{i}", [start, week.phase, week.per_day, week.study_days, week.total]))
        self.query_one("#weeks", Sheet).set_rows(weeks, empty="No plan yet: set the study dates in Profile.")
        self._arrange_tables()
        if self.cursors_placed_on != ov.today:  # once a day: later updates leave the user's cursor be
            self.cursors_placed_on = ov.today
            upcoming = ov.next_checkpoint()
            if upcoming is not None:
                checkpoints.select_key(f"cp-{ov.checkpoints.index(upcoming)}")
            if this_week is not None:
                self.query_one("#weeks", Sheet).select_key(this_week)

    def _logs(self, ov: Overview) -> None:
        """The logged practice exams and question-bank days, newest first, and the rolling percentage."""
        self.query_one("#exams", Sheet).set_rows(
            (
                (str(e.doc_id), [e.taken.isoformat(), e.form, e.display("score"), e.notes])
                for e in sorted(ov.snapshot.exams, key=lambda e: e.taken, reverse=True)
            ),
            empty="No practice exam logged yet: press a to log one.",
        )
        self.query_one("#qbank", Sheet).set_rows(
            (
                (str(d.doc_id), [d.day.isoformat(), d.done, d.correct, f"{d.percent:.0f}", choice_label(d.mode)])
                for d in sorted(ov.snapshot.qbank, key=lambda d: d.day, reverse=True)
            ),
            empty="No question-bank day logged yet: press l to log one.",
        )
        window, done, correct = ov.timed_mixed
        pct = f"{100 * correct / done:.1f}%" if done else "no timed-mixed blocks"
        summary = Text(f"Rolling {window} days, timed mixed: {pct} ({correct}/{done}).  ")
        if ov.catchup is not None:
            summary.append(
                f"Today's target {ov.catchup.today_target}; {ov.catchup.advice.message}",
                style=SEVERITY_STYLE[ov.catchup.advice.severity],
            )
        self.query_one("#qbank-summary", Static).update(summary)

    def _decision(self, ov: Overview) -> None:
        dec = ov.decision
        verdict = Content.assemble(
            (f" {dec.label} ", VERDICT_STYLE[dec.verdict] + " reverse"),
            f"  {ov.target.shown}, exam {ov.snapshot.profile.exam_date or 'not set'}",
        )
        parts: list[Content | HangingLine] = [verdict]
        parts += [bullet(reason.message, SEVERITY_STYLE[reason.severity], reason.cite) for reason in dec.reasons]
        if dec.suggested_exam_date:
            suggestion = f"Suggested new exam date: {dec.suggested_exam_date}  (press r to re-plan)"
            parts.append(Content.styled(suggestion, "bold"))
        parts += [HangingLine("Option: ", option) for option in dec.options]
        if dec.to_go:
            parts.append(Content.styled(f"To turn {dec.label} into GO:", "bold"))
            parts += [HangingLine("- ", step.message + (f" by {step.by}" if step.by else "")) for step in dec.to_go]
        self.query_one("#decision", Static).update(Paragraphs(*parts))

    def _edit(self, table_id: str | None, key: str | None) -> bool:
        if key is None:
            return False
        if table_id == "exams":
            self.ask("edit_exam", int(key))
        elif table_id == "qbank":
            self.ask("edit_qbank", int(key))
        else:
            return False
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit and Delete are offered only where there is a row to act on."""
        if action in ("edit", "delete"):
            focused = self.screen.focused
            return isinstance(focused, Sheet) and focused.id in ("exams", "qbank") and focused.current_key is not None
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_edit(self) -> None:
        focused = self.screen.focused
        if not (isinstance(focused, Sheet) and self._edit(focused.id, focused.current_key)):
            self.say("Focus the practice exams or question bank table (Tab), then press e.", severity="warning")

    def on_sheet_row_selected(self, event: Sheet.RowSelected) -> None:
        if self._edit(event.sheet.id, event.key):
            event.stop()

    def action_delete(self) -> None:
        for kind in ("exams", "qbank"):  # the table ids are the record kinds
            table = self.query_one(f"#{kind}", Sheet)
            if table.has_focus and table.current_key:
                self.ask("delete_record", kind, int(table.current_key))
                return
        self.say("Focus the practice exams or question bank table (Tab), then press d.", severity="warning")
