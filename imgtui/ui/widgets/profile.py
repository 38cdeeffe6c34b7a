"""Profile: one row per field in a sheet; Enter edits the value in place.

A sheet of rows rather than a form of inputs: the form was about 85 widgets (a
label, an input or a select and an error line per field): about 5.5 MB, and
225 ms the first time the pane was shown (now 66 ms, measured on the benchmark
database). The sheet is one widget; the editor on top
of a value is the same one-field form the USCE cells use, and exists only while
it is open.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from ...core.overview import Overview
from ...records import Profile, choice_label
from .base import PaneMixin
from .hanging import HangingLine, Paragraphs, bullet
from .severity import SEVERITY_STYLE
from .sheet import Cell, Sheet

# Postponements are counted by the store, not typed in (shown beside the target).
PROFILE_FIELDS = [s.name for s in Profile.FIELDS if s.name != "exam_delays"]
NOT_SET = Cell("not set", "dim italic")


# Below this width the target advice goes under the fields: beside them, the values
# were cut to two letters at 60 columns.
NARROW_COLUMNS = 70  # the pane's width: 76 in an 80-column terminal, where the two still fit


class ProfilePane(PaneMixin, Horizontal):
    def compose(self) -> ComposeResult:
        with Vertical(id="profile-form"):
            yield Sheet(id="profile-fields", cursor_type="row", zebra_stripes=True)
            yield Static("", id="profile-about")
        with VerticalScroll(id="profile-side"):
            yield Static("", id="profile-target")

    def on_mount(self) -> None:
        sheet = self.fields_sheet
        sheet.add_columns("Field", "Value")
        # Tall enough for every field and no taller: the about lines sit right below,
        # and on a short terminal the sheet gives way (it scrolls) so they stay in view.
        sheet.styles.max_height = len(PROFILE_FIELDS) + sheet.header_height

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW_COLUMNS, "-narrow")

    @property
    def fields_sheet(self) -> Sheet:
        return self.query_one("#profile-fields", Sheet)

    def default_focus(self) -> Widget:
        return self.fields_sheet

    def select_field(self, name: str) -> None:
        self.fields_sheet.select_key(name)

    @property
    def current_field(self) -> str | None:
        return self.fields_sheet.current_key

    def update_overview(self, ov: Overview) -> None:
        profile = ov.snapshot.profile
        self.fields_sheet.set_rows((name, [Profile.spec(name).label, _value(profile, name)]) for name in PROFILE_FIELDS)
        self._show_about()
        self._show_target(ov)

    def value_origin(self) -> tuple[int, int]:
        """Screen position of the highlighted value, so its editor opens on top of it."""
        sheet = self.fields_sheet
        return sheet.cell_origin(sheet.cursor_row, 1)

    @on(Sheet.CellHighlighted, "#profile-fields")
    def _show_about(self) -> None:
        name = self.current_field
        if name is None:
            return
        spec = Profile.spec(name)
        text = Text()
        text.append(f"{spec.label}: ", style="bold")
        text.append(spec.help)
        if spec.kind == "enum":  # as the editor's list shows them
            text.append(f"\nTakes one of: {', '.join(choice_label(c) for c in spec.choices)}.", style="dim")
        elif spec.kind != "text":
            text.append(f"\nTakes {spec.accepted()}.", style="dim")
        text.append("\nEnter: change it (saved at once; ctrl+z undoes)", style="dim")
        self.query_one("#profile-about", Static).update(text)

    @on(Sheet.RowSelected, "#profile-fields")
    def _edit(self, event: Sheet.RowSelected) -> None:
        event.stop()
        if event.key is not None:
            self.ask("edit_profile_field", event.key, self.value_origin())

    def _show_target(self, ov: Overview) -> None:
        target = ov.target
        parts: list[Content | HangingLine] = [Content.styled("Step 2 CK target", "bold")]
        if target.overridden:
            parts.append(Content.styled(f"Your target: {target.score} (override)", "bold"))
            if target.suggested is not None:
                parts.append(Content(f"Suggested: {target.suggested}"))
        elif target.score is not None:
            parts.append(Content.styled(f"Suggested target: {target.score}", "bold"))
        else:
            parts.append(Content.styled("No target yet", "bold"))
        if target.low is not None:
            parts.append(Content(f"Range for your programs: {target.low}-{target.high}"))
        parts += [bullet(reason.message, SEVERITY_STYLE[reason.severity], reason.cite) for reason in target.reasons]
        if ov.band is not None:  # with no target yet, the first reason says how to choose one
            band = Content(ov.band.message) + Content.styled(f" [{ov.band.cite}]", "dim")
            parts += [Content(), band]
        if ov.decision.eras_safe_date:
            parts += [Content(), Content(f"Latest ERAS-safe exam date: {ov.decision.eras_safe_date} [eras_timing]")]
        parts += [Content(), Content.styled(f"Exam postponements so far: {ov.snapshot.profile.exam_delays}", "dim")]
        self.query_one("#profile-target", Static).update(Paragraphs(*parts))


def _value(profile: Profile, name: str) -> str | Cell:
    """The value as the editor shows it (choices with spaces), or 'not set'."""
    shown = profile.display(name)
    if not shown:
        return NOT_SET
    return choice_label(shown) if Profile.spec(name).kind == "enum" else shown
