"""USCE tracker: a spreadsheet of rotation sites, with inquiries and letters of the selected site."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from ...core.advice import counted
from ...core.outreach import rates_line
from ...core.overview import Overview
from ...core.usce import SiteAssessment
from ...records import RETIRED_STATUSES, SITE_STATUSES, choice_label, specialty_words
from .base import SortFilterMixin, sort_key
from .severity import SEVERITY_STYLE
from .sheet import Cell, Sheet, cell
from .text_input import TypeAheadInput

# (header, field or None for computed columns)
SITE_COLUMNS: list[tuple[str, str | None]] = [
    ("Name", "name"),
    ("City/State", "city"),
    ("Specialty", "specialty"),
    ("Type", "usce_type"),
    ("Setting", "setting"),
    ("Start", "start"),
    ("Wks", "weeks"),
    ("Cost", "cost"),
    ("Hands-on", "hands_on"),
    ("Letter", "letter_potential"),
    ("Docs", "documentation"),
    ("Status", "status"),
    ("Strength", None),
    ("Rubric", None),
    ("Red flags", None),
]
STATUS_STYLE = {
    "booked": "green",
    "in_progress": "bold green",
    "completed": "green",
    "accepted": "cyan",
    "declined": "dim",
    "rejected": "dim",
    "not_responding": "dim red",
}


def _yes_no(value: bool | None) -> Any:
    return cell("?", "dim") if value is None else ("yes" if value else "no")


def site_cells(a: SiteAssessment) -> list[Any]:
    s = a.site
    cells: list[Any] = [
        s.name,
        s.city,
        choice_label(s.specialty),
        choice_label(s.usce_type),
        choice_label(s.setting) if s.setting else "?",
        s.display("start"),
        s.display("weeks"),
        "?" if s.cost is None else f"${s.cost:,.0f}" if s.cost else "free",
        _yes_no(s.hands_on),
        _yes_no(s.letter_potential),
        _yes_no(s.documentation),
        cell(choice_label(s.status), STATUS_STYLE.get(s.status, "")),
        a.strength,
        cell(f"{a.rubric}/5" + (f" {len(a.unknown)}?" if a.unknown else ""), "green" if a.worth_it else "yellow"),
        cell(", ".join(a.red_flags), "red"),
    ]
    return cells


def sort_value(a: SiteAssessment, column: int) -> tuple[Any, ...]:
    header, field = SITE_COLUMNS[column]
    if field is None:
        value: Any = {"Strength": a.rank, "Rubric": a.rubric, "Red flags": len(a.red_flags)}[header]
    else:
        value = getattr(a.site, field)
    if field == "status":
        value = SITE_STATUSES.index(value)
    return sort_key(value)


class UscePane(SortFilterMixin, Vertical):
    # In the order the key bar keeps them when narrow (the first ones stay longest).
    BINDINGS = [
        Binding("a", "app.add_site", "Add site", id="usce.add"),
        Binding("m", "draft", "E-mail", id="usce.draft"),
        Binding("i", "log_inquiry", "Inquiry", id="usce.inquiry", tooltip="Log an inquiry e-mail"),
        Binding("r", "mark_reply", "Reply", id="usce.reply", tooltip="Mark a reply (and what it said)"),
        Binding("f", "follow_up", "Follow-up", id="usce.follow_up", tooltip="Follow-up sent"),
        Binding("L", "add_letter", "Letter", id="usce.letter", tooltip="Add a letter of recommendation"),
        Binding("n", "next_status", "Next status", id="usce.next_status"),
        Binding("v", "view", "View site", id="usce.view"),
        Binding("o", "app.outreach_list", "Outreach list", id="usce.outreach"),
        Binding("slash", "filter", "Filter", id="usce.filter"),
        Binding("d", "delete", "Delete", id="usce.delete"),
        Binding("s", "sort", "Sort", id="usce.sort"),
        Binding("D", "documents", "Documents", id="usce.documents"),
        Binding("z", "snooze", "Snooze", id="usce.snooze"),
        Binding("x", "retire", "Retire site", id="usce.retire"),
        Binding("e", "edit_site", "Edit all fields", id="usce.edit", show=False),
    ]

    COLUMNS = SITE_COLUMNS
    SHEET_ID = "sites"
    FILTER_ID = "site-filter"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.overview: Overview | None = None
        self._rows: dict[int, tuple[SiteAssessment, list[Cell]]] = {}

    def compose(self) -> ComposeResult:
        yield TypeAheadInput(
            placeholder="filter sites: type to filter across columns, Enter: back to the sheet, Esc: clear",
            id="site-filter",
        )
        yield Sheet(id="sites", cursor_type="cell", zebra_stripes=True, fixed_columns=1)
        yield Static("", id="usce-totals")
        with Horizontal(id="usce-details"):
            with Vertical(id="inquiries-box"):
                yield Label("", id="inquiries-title")
                yield Sheet(id="inquiries", cursor_type="row", zebra_stripes=True)
            with Vertical(id="letters-box"):
                yield Label(Text("Letters of recommendation", style="bold"), id="letters-title")
                yield Sheet(id="letters", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.set_up_sheet()
        self.query_one("#inquiries", Sheet).add_columns("Sent", "Contact", "Due", "Reply", "F/ups", "E-mail", "Subject")
        self.query_one("#letters", Sheet).add_columns(
            "Writer", "Site", "US", "Specialty", "Asked", "Agreed", "Uploaded"
        )

    @property
    def sites_table(self) -> Sheet:
        return self.query_one("#sites", Sheet)

    def default_focus(self) -> Widget:
        return self.sites_table

    # -- data
    def visible_sites(self) -> list[SiteAssessment]:
        if self.overview is None:
            return []
        sites = list(self.overview.sites)
        if self.filter_text:
            needle = self.filter_text.lower()
            # The cells' text, lower-cased as each key is typed: 4 ms for 2,000 sites,
            # where keeping it per site held about 0.4 MB for as long as the pane lived.
            rows = self._rows
            sites = [
                a for a in sites if needle in " ".join(value.plain for value in rows[a.site.doc_id or 0][1]).lower()
            ]
        if self.sort_column is not None:
            sites.sort(key=lambda a: sort_value(a, self.sort_column or 0), reverse=self.sort_reverse)
        return sites

    def update_overview(self, ov: Overview) -> None:
        self.overview = ov
        # Each site's cells, made once per change of that site (not per keystroke,
        # nor for the 1,999 sites a save did not touch).
        rows = {}
        for a in ov.sites:
            key = a.site.doc_id or 0
            known = self._rows.get(key)
            rows[key] = known if known is not None and (known[0] is a or known[0] == a) else self._row_of(a)
        self._rows = rows
        self._fill_sites()
        usce = ov.usce
        low, high = usce.months_recommended
        low_weeks, high_weeks = usce.weeks_recommended
        totals = Text()
        if not ov.sites:
            totals.append(
                "No sites yet: press a to add one, or import a spreadsheet with 'imgtui import-csv sites FILE'.\n",
                style="bold",
            )
        totals.append(
            f"Secured {counted(usce.weeks_secured, 'week')} of the {low}-{high} months recommended "
            f"({low_weeks}-{high_weeks} weeks) · in {specialty_words(ov.snapshot.profile.specialty)}: "
            f"{usce.weeks_in_specialty} wks · hands-on: {usce.weeks_hands_on} wks · cost secured "
            f"${usce.cost_secured:,.0f} (all active ${usce.cost_all_planned:,.0f})",
            style=SEVERITY_STYLE[usce.advice[0].severity],
        )
        for advice in usce.advice[1:]:
            totals.append(f"\n{advice.message}", style=SEVERITY_STYLE[advice.severity])
            totals.append(f" [{advice.cite}]", style="dim")
        if ov.outreach:
            totals.append(f"\n{ov.outreach.message}", style=SEVERITY_STYLE[ov.outreach.severity])
            totals.append(f" [{ov.outreach.cite}]", style="dim")
        unknown = [a for a in ov.sites if a.unknown and a.site.status not in RETIRED_STATUSES]
        if unknown:
            totals.append(
                f"\n{counted(len(unknown), 'site')} with rubric facts not known yet (? in the sheet, counted as not "
                "met): v shows which, e fills them in",
                style="yellow",
            )
        if rates := rates_line(ov.snapshot.sites, ov.snapshot.inquiries):
            totals.append(f"\n{rates}", style="dim")
        self.query_one("#usce-totals", Static).update(totals)
        self._fill_details()

    @staticmethod
    def _row_of(a: SiteAssessment) -> tuple[SiteAssessment, list[Cell]]:
        return a, [cell(value) for value in site_cells(a)]

    def show_site(self, assessment: SiteAssessment) -> None:
        """Redraw one edited site's row now; the full refresh (totals, order) follows."""
        if assessment.site.doc_id is None:
            return
        row = self._row_of(assessment)
        self._rows[assessment.site.doc_id] = row
        self.sites_table.replace_row(str(assessment.site.doc_id), row[1])

    def refill(self) -> None:
        """The site rows (after a sort or a filter character), and the selected site's details."""
        self._fill_sites()
        self._fill_details()

    def _fill_sites(self) -> None:
        table = self.sites_table
        headers = self.headers()
        rows = [(str(a.site.doc_id), self._rows[a.site.doc_id or 0][1]) for a in self.visible_sites()]
        empty = self._no_match() if self.filter_text else "No sites yet: press a to add one."
        table.set_rows(rows, labels=headers, empty=empty)

    def _no_match(self) -> str:
        return f"No site matches '{self.filter_text}': clear the filter (/ then Esc)."

    def selected_site_id(self) -> int | None:
        key = self.sites_table.current_key
        return int(key) if key else None

    def _fill_details(self) -> None:
        ov = self.overview
        if ov is None:
            return
        site_id = self.selected_site_id()
        assessment = ov.assessment(site_id) if site_id else None
        site = assessment.site if assessment else None
        title = Text()
        title.append("Inquiries: ", style="bold")
        title.append(site.name if site else "select a site")
        self.query_one("#inquiries-title", Label).update(title)
        rows = []
        for fu in ov.follow_ups:
            inquiry = fu.inquiry
            if inquiry.site_id != site_id:
                continue
            due = "" if fu.due is None else fu.due.isoformat()
            due_cell = (
                cell("not responding", "red") if fu.not_responding else cell(due, "bold red" if fu.overdue else "")
            )
            rows.append(
                (
                    str(inquiry.doc_id),
                    [  # what to act on before the subject, which a narrow pane cuts
                        inquiry.sent.isoformat(),
                        inquiry.contact,
                        due_cell,
                        f"{inquiry.display('replied')} {choice_label(inquiry.reply_gist or '')}".strip(),
                        inquiry.follow_ups,
                        inquiry.email or "",
                        inquiry.subject,
                    ],
                )
            )
        self.query_one("#inquiries", Sheet).set_rows(
            rows, empty="No inquiry to this site yet: i logs one." if site_id else "Select a site to see its inquiries."
        )
        names = {a.site.doc_id: a.site.name for a in ov.sites}
        letters = sorted(ov.snapshot.letters, key=lambda letter: (letter.site_id != site_id, letter.writer.lower()))
        self.query_one("#letters", Sheet).set_rows(
            (
                (
                    str(letter.doc_id),
                    [
                        cell(letter.writer, "bold" if letter.site_id == site_id and site_id else ""),
                        names.get(letter.site_id, "") if letter.site_id else "",
                        letter.display("us_faculty"),
                        choice_label(letter.specialty),
                        letter.display("asked"),
                        letter.display("agreed"),
                        letter.display("uploaded"),
                    ],
                )
                for letter in letters
            ),
            empty="No letters yet: press L to add one.",
        )

    # -- events
    @on(Sheet.CellHighlighted, "#sites")
    def _highlighted(self) -> None:
        self._fill_details()

    @on(Sheet.CellSelected, "#sites")
    def _cell_selected(self, event: Sheet.CellSelected) -> None:
        event.stop()
        field = SITE_COLUMNS[event.column][1]
        key = event.key
        if key is None:
            return
        if field is None:
            self.say("Strength, rubric and red flags are computed from the other columns.")
            return
        self.ask("edit_site_cell", int(key), field, self._cell_anchor())

    def _cell_anchor(self) -> tuple[int, int]:
        """Screen position of the cursor cell, so its editor opens on top of it."""
        table = self.sites_table
        return table.cell_origin(table.cursor_row, table.cursor_column)

    @on(Sheet.RowSelected, "#letters")
    def _letter_selected(self, event: Sheet.RowSelected) -> None:
        event.stop()
        if event.key is not None:
            self.ask("edit_letter", int(event.key))

    @on(Sheet.RowSelected, "#inquiries")
    def _inquiry_selected(self, event: Sheet.RowSelected) -> None:
        event.stop()
        if event.key is not None:
            self.ask("edit_inquiry", int(event.key))

    def action_delete(self) -> None:
        letters = self.query_one("#letters", Sheet)
        inquiries = self.query_one("#inquiries", Sheet)
        if letters.has_focus and letters.current_key:
            self.ask("delete_record", "letters", int(letters.current_key))
        elif inquiries.has_focus and inquiries.current_key:
            self.ask("delete_record", "inquiries", int(inquiries.current_key))
        elif (site_id := self.selected_site_id()) is not None:
            self.ask("delete_record", "sites", site_id)

    def _need_site(self) -> int | None:
        site_id = self.selected_site_id()
        if site_id is None and self.filter_text:
            self.say(self._no_match(), severity="warning")
        elif site_id is None:
            self.say("Add or select a site first (a: add site).", severity="warning")
        return site_id

    def action_next_status(self) -> None:
        if (site_id := self._need_site()) is not None:
            self.ask("next_status", site_id)

    def action_log_inquiry(self) -> None:
        if (site_id := self._need_site()) is not None:
            self.ask("log_inquiry", site_id)

    def _inquiry_target(self) -> int | None:
        inquiries = self.query_one("#inquiries", Sheet)
        if inquiries.has_focus and inquiries.current_key:
            return int(inquiries.current_key)
        if self.overview is None:
            return None
        site_id = self._need_site()
        if site_id is None:
            return None
        open_ones = [i for i in self.overview.snapshot.inquiries if i.site_id == site_id and not i.replied]
        if not open_ones:
            self.say("No unanswered inquiry for this site; log one with i.", severity="warning")
            return None
        return open_ones[-1].doc_id

    def action_mark_reply(self) -> None:
        if (inquiry_id := self._inquiry_target()) is not None:
            self.ask("mark_reply", inquiry_id)

    def action_follow_up(self) -> None:
        if (inquiry_id := self._inquiry_target()) is not None:
            self.ask("follow_up_sent", inquiry_id)

    def action_draft(self) -> None:
        """The e-mail the site's state calls for (a follow-up of the highlighted inquiry)."""
        inquiries = self.query_one("#inquiries", Sheet)
        site_id = self._need_site()
        if site_id is None:
            return
        inquiry_id = int(inquiries.current_key) if inquiries.has_focus and inquiries.current_key else None
        self.ask("draft", site_id, inquiry_id)

    def action_view(self) -> None:
        if (site_id := self._need_site()) is not None:
            self.ask("view_site", site_id)

    def action_documents(self) -> None:
        if (site_id := self._need_site()) is not None:
            self.ask("documents", site_id)

    def action_retire(self) -> None:
        if (site_id := self._need_site()) is not None:
            self.ask("retire", site_id)

    def action_snooze(self) -> None:
        if (inquiry_id := self._inquiry_target()) is not None:
            self.ask("snooze", inquiry_id)

    def action_edit_site(self) -> None:
        """Every field of the highlighted site in one form (contact e-mail, notes, full-time...)."""
        site_id = self.selected_site_id()
        if site_id is not None:
            self.ask("edit_site", site_id)

    def action_add_letter(self) -> None:
        self.ask("add_letter", self.selected_site_id() or 0)
