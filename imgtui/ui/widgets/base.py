"""What every pane shares: asking the app for an action, as a binding to "app.<action>" does."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal, cast

from textual.widget import Widget
from textual.widgets import Input

from .sheet import Sheet


class PaneMixin:
    """Mixed into pane widgets (a plain class, so it adds no CSS type or focus rules)."""

    def ask(self, action: str, *args: object) -> None:
        """Run the app's ``action`` with ``args`` (ints, text, tuples), as a key bound to
        "app.<action>" would: the pane never reaches into the app class."""
        widget = cast("Widget", self)
        call = f"{action}({', '.join(repr(arg) for arg in args)})"
        widget.app.call_later(widget.app.run_action, call)

    def say(self, message: str, severity: Literal["information", "warning", "error"] = "information") -> None:
        """A toast; user text in it (a site named 'St. Mary [Main]') is never read as markup."""
        cast("Widget", self).notify(message, markup=False, severity=severity)


def sort_key(value: Any) -> tuple[Any, ...]:
    """How a sheet sorts a column's value: blanks last, text without case, dates in order."""
    if value is None:
        return (1, "")
    if isinstance(value, str):
        return (0, value.lower())
    if isinstance(value, date):
        return (0, value.toordinal())
    return (0, value)


class SortFilterMixin(PaneMixin):
    """Sort by the cursor's column (s, or a click on a header) and filter by typing (/),
    for a pane with one main Sheet and a filter box above it. The pane names its sheet,
    its filter box and its columns, and redraws its rows in ``refill``."""

    COLUMNS: ClassVar[list[tuple[str, str | None]]]
    SHEET_ID: ClassVar[str]
    FILTER_ID: ClassVar[str]
    sort_column: int | None = None
    sort_reverse: bool = False
    filter_text: str = ""

    def refill(self) -> None:
        raise NotImplementedError

    def set_up_sheet(self) -> None:
        """On mount: the filter box hidden until /, the main sheet's column headers."""
        self._widget().query_one(f"#{self.FILTER_ID}", Input).display = False
        self.main_sheet().add_columns(*[header for header, _ in self.COLUMNS])

    def _widget(self) -> Widget:
        return cast("Widget", self)

    def main_sheet(self) -> Sheet:
        return self._widget().query_one(f"#{self.SHEET_ID}", Sheet)

    def headers(self) -> list[str]:
        """The column headers, the sorted one marked with its direction."""
        marks = []
        for index, (header, _) in enumerate(self.COLUMNS):
            mark = (" ▼" if self.sort_reverse else " ▲") if index == self.sort_column else ""
            marks.append(header + mark)
        return marks

    def action_sort(self) -> None:
        self.sort_by(self.main_sheet().cursor_column)

    def sort_by(self, column: int) -> None:
        if self.sort_column == column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self.refill()
        direction = "descending" if self.sort_reverse else "ascending"
        self.say(f"Sorted by {self.COLUMNS[column][0]}, {direction} (s again to reverse)")

    def on_sheet_header_selected(self, event: Sheet.HeaderSelected) -> None:
        if event.sheet.id == self.SHEET_ID:
            self.sort_by(event.column)

    def action_filter(self) -> None:
        box = self._widget().query_one(f"#{self.FILTER_ID}", Input)
        box.display = True
        # Focus at once (focus() waits its turn behind keys already typed): the app
        # then hands those keys to the box (ImgtuiApp.on_key).
        self._widget().screen.set_focus(box)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == self.FILTER_ID:
            self.filter_text = event.value.strip()
            self.refill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == self.FILTER_ID:
            self.main_sheet().focus()

    def key_escape(self) -> None:
        box = self._widget().query_one(f"#{self.FILTER_ID}", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.main_sheet().focus()
