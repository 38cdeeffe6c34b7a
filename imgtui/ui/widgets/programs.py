"""The program list: a spreadsheet of residency programs, each checked against the
profile, with the list's count, mix and cost below."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from ...core.overview import Overview
from ...core.programs import DOUBTFUL, ELIGIBLE, OUT, ProgramCheck
from ...records import PROGRAM_STATUSES, choice_label
from .base import SortFilterMixin, sort_key
from .sheet import Sheet, cell
from .text_input import TypeAheadInput

# (header, field or None for the computed verdict columns)
PROGRAM_COLUMNS: list[tuple[str, str | None]] = [
    ("Program", "name"),
    ("Verdict", None),
    ("Why", None),
    ("City", "city"),
    ("St", "state"),
    ("Kind", "kind"),
    ("Visa", "visa"),
    ("IMG%", "img_share"),
    ("Grad", "grad_cutoff"),
    ("S2 min", "step2_min"),
    ("Att.", "attempts_accepted"),
    ("USCE", "usce_required"),
    ("Signal", "signal"),
    ("Status", "status"),
    ("Interview", "interview"),
]
WITHDRAWN = "withdrawn"  # kept on the sheet, left out of the counts
VERDICT_STYLE = {ELIGIBLE: "green", DOUBTFUL: "yellow", OUT: "red", WITHDRAWN: "dim"}
VERDICT_ORDER = {ELIGIBLE: 0, DOUBTFUL: 1, OUT: 2, WITHDRAWN: 3}


def program_cells(check: ProgramCheck) -> list[Any]:
    p = check.program
    return [
        p.name,
        cell(check.verdict, VERDICT_STYLE[check.verdict]),
        cell("; ".join(check.reasons), VERDICT_STYLE[check.verdict]),
        p.city,
        p.state,
        choice_label(p.kind),
        choice_label(p.visa),
        p.display("img_share"),
        p.display("grad_cutoff"),
        p.display("step2_min"),
        p.display("attempts_accepted"),
        p.display("usce_required"),
        p.display("signal"),
        choice_label(p.status),
        p.display("interview"),
    ]


def sort_value(check: ProgramCheck, column: int) -> tuple[Any, ...]:
    header, field = PROGRAM_COLUMNS[column]
    if field is None:
        value: Any = VERDICT_ORDER[check.verdict] if header == "Verdict" else len(check.reasons)
    else:
        value = getattr(check.program, field)
    if field == "status":
        value = PROGRAM_STATUSES.index(value)
    return sort_key(value)


class ProgramsPane(SortFilterMixin, Vertical):
    # In the order the key bar keeps them when narrow.
    BINDINGS = [
        Binding("a", "app.add_program", "Add program", id="programs.add"),
        Binding("n", "next_status", "Next status", id="programs.next_status"),
        Binding("slash", "filter", "Filter", id="programs.filter"),
        Binding("s", "sort", "Sort", id="programs.sort"),
        Binding("d", "delete", "Delete", id="programs.delete"),
        Binding("e", "edit", "Edit all fields", id="programs.edit", show=False),
    ]

    COLUMNS = PROGRAM_COLUMNS
    SHEET_ID = "program-sheet"
    FILTER_ID = "program-filter"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.overview: Overview | None = None

    def compose(self) -> ComposeResult:
        yield TypeAheadInput(
            placeholder="filter programs: type to filter, Enter: back to the sheet, Esc: clear", id="program-filter"
        )
        yield Sheet(id="program-sheet", cursor_type="cell", zebra_stripes=True, fixed_columns=1)
        yield Static("", id="program-totals")

    def on_mount(self) -> None:
        self.set_up_sheet()

    @property
    def sheet(self) -> Sheet:
        return self.query_one("#program-sheet", Sheet)

    def default_focus(self) -> Widget:
        return self.sheet

    def shown_checks(self) -> list[ProgramCheck]:
        if self.overview is None or self.overview.program_list is None:
            return []
        checks = list(self.overview.program_list.checks)
        withdrawn = [p for p in self.overview.snapshot.programs if p.status == "withdrawn"]
        checks += [ProgramCheck(p, WITHDRAWN, ()) for p in withdrawn]
        if self.filter_text:
            needle = self.filter_text.lower()
            checks = [c for c in checks if needle in " ".join(str(v) for v in program_cells(c)).lower()]
        if self.sort_column is not None:
            checks.sort(key=lambda c: sort_value(c, self.sort_column or 0), reverse=self.sort_reverse)
        return checks

    def update_overview(self, ov: Overview) -> None:
        self.overview = ov
        self.refill()
        self.query_one("#program-totals", Static).update(self._totals(ov))

    def refill(self) -> None:
        headers = self.headers()
        rows = [(str(c.program.doc_id), [cell(v) for v in program_cells(c)]) for c in self.shown_checks()]
        empty = (
            f"No program matches '{self.filter_text}': clear the filter (/ then Esc)."
            if self.filter_text
            else "No programs yet: press a to add one, or 'imgtui import-csv programs FILE' for a shared sheet."
        )
        self.sheet.set_rows(rows, labels=headers, empty=empty)

    @staticmethod
    def _totals(ov: Overview) -> Text:
        text = Text()
        plist, applying, rotations = ov.program_list, ov.application_cost, ov.rotation_costs
        if plist is None or applying is None or rotations is None:
            return text
        eligible, doubtful, out = (len(plist.of(v)) for v in (ELIGIBLE, DOUBTFUL, OUT))
        wanted = ""
        if plist.recommended is not None:
            low, high = plist.recommended
            wanted = f" · recommended {low}{'+' if high is None else f'-{high}'} [programs, 003]"
        text.append(f"Eligible {eligible} · doubtful {doubtful} · out {out}{wanted}", style="bold")
        text.append(
            f"\nApplying: ${applying.total:,.0f} (ERAS ${applying.eras:,.0f}, ECFMG token ${applying.token:,.0f}, "
            f"USMLE transcript ${applying.transcript:,.0f}, NRMP ${applying.nrmp:,.0f}"
            + (f", exams about ${applying.exams:,.0f}" if applying.exams else "")
            + ") [application_fees]"
        )
        per_week = f", ${rotations.per_week:,.0f} a week" if rotations.per_week else ""
        per_letter = f", ${rotations.per_letter:,.0f} per expected letter" if rotations.per_letter else ""
        secured = f"${rotations.secured:,.0f} secured{per_week}{per_letter}"
        text.append(f"\nRotations: {secured}; ${rotations.planned:,.0f} all active")
        if rotations.budget is not None:
            over = rotations.over_budget()
            left = f"${over:,.0f} over" if over else f"${rotations.budget - rotations.planned:,.0f} left"
            text.append(f" · budget ${rotations.budget:,.0f}: {left}", style="red" if over else "green")
        if rotations.fee_only:
            text.append(
                f"\nHousing, travel and insurance not entered for {', '.join(rotations.fee_only[:3])}: "
                "e on the USCE site adds them, for the real cost [rotation_costs]",
                style="yellow",
            )
        for line in plist.missing:
            text.append(f"\nMissing: {line}", style="yellow")
        if plist.band_text:
            text.append(f"\n{plist.band.capitalize() if plist.band else ''} band: {plist.band_text}", style="dim")
        return text

    def selected_id(self) -> int | None:
        key = self.sheet.current_key
        return int(key) if key else None

    @on(Sheet.CellSelected, "#program-sheet")
    def _cell_selected(self, event: Sheet.CellSelected) -> None:
        event.stop()
        field = PROGRAM_COLUMNS[event.column][1]
        if event.key is None:
            return
        if field is None:
            check = next((c for c in self.shown_checks() if str(c.program.doc_id) == event.key), None)
            why = "; ".join(check.reasons) if check and check.reasons else "nothing stands in the way"
            self.say(f"{check.program.name if check else ''}: {why} (from the other columns and your profile)")
            return
        sheet = self.sheet
        anchor = sheet.cell_origin(sheet.cursor_row, sheet.cursor_column)
        self.ask("edit_program_cell", int(event.key), field, anchor)

    def _need(self) -> int | None:
        program_id = self.selected_id()
        if program_id is None:
            self.say("Add or select a program first (a: add program).", severity="warning")
        return program_id

    def action_delete(self) -> None:
        if (program_id := self._need()) is not None:
            self.ask("delete_record", "programs", program_id)

    def action_next_status(self) -> None:
        if (program_id := self._need()) is not None:
            self.ask("next_program_status", program_id)

    def action_edit(self) -> None:
        if (program_id := self._need()) is not None:
            self.ask("edit_program", program_id)
