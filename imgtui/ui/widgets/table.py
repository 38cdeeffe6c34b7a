"""A DataTable that never interprets user text as markup."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

SEVERITY_STYLE = {"delay": "bold red", "caution": "yellow", "ok": "green", "info": ""}


def cell(value: Any, style: str = "") -> Text:
    """Every cell is a Text: 'St. Mary [Main]' and '[/]' display as typed."""
    if isinstance(value, Text):
        return value
    return Text("" if value is None else str(value), style=style, no_wrap=True)


class TextTable(DataTable[Any]):
    """DataTable whose rows are replaced wholesale, keeping the cursor where it was."""

    def set_rows(self, rows: Iterable[tuple[str, list[Any]]]) -> None:
        row, column = self.cursor_coordinate
        key_before = None
        if self.row_count:
            try:
                key_before = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
            except Exception:
                key_before = None
        self.clear()
        keys = []
        for key, cells in rows:
            self.add_row(*[cell(c) for c in cells], key=key)
            keys.append(key)
        if not keys:
            return
        if key_before in keys:
            row = keys.index(key_before)
        self.move_cursor(row=min(row, len(keys) - 1), column=min(column, len(self.columns) - 1), animate=False)

    @property
    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:
            return None

    def select_key(self, key: str) -> None:
        for index, row_key in enumerate(self.rows):
            if row_key.value == key:
                self.move_cursor(row=index, animate=False)
                return
