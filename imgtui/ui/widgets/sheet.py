"""Sheet: a keyboard-driven table that draws only the rows in view.

Textual's DataTable measures and stores every cell as rows are added (about
0.35 s per 1,000 rows of 10 columns), so re-sorting or filtering 2,000 sites
meant seconds. A Sheet keeps its rows as a plain list: replacing them is a list
assignment plus one pass to size the columns, and drawing costs the same for 20
rows or 20,000 (the Line API renders only the lines on screen).

Cells are ``Cell`` pairs of plain text and one style: user text such as
'St. Mary [Main]' shows as typed and is never read as markup, and 30,000 cells
cost a fraction of the memory of as many ``rich.text.Text`` objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, ClassVar, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

MAX_COLUMN_WIDTH = 40  # long notes are cut in the sheet; the editor shows them whole
MAX_FROZEN_SHARE = 0.6  # fixed columns taking more of the width than this scroll like the rest
PADDING = 1  # blank cells either side of each column
# C0 controls and DEL: a tab shows as a space, the rest (ESC of an escape sequence...) is dropped.
CONTROL_CODES = {code: None for code in (*range(32), 127)} | {ord("\t"): " "}


class Cell(NamedTuple):
    """One cell: its text, shown as typed, and one style (a Rich style string)."""

    plain: str
    style: str = ""


def cell(value: Any, style: str = "") -> Cell:
    """Any value as a cell on one line, without control codes: '[/]' displays as typed."""
    if type(value) is str:  # most values: checked first
        text = value
    elif isinstance(value, Cell):
        return value
    elif isinstance(value, Text):
        text, style = value.plain, str(value.style) or style
    else:
        text = "" if value is None else str(value)
    if not text.isprintable():  # line breaks, tabs, escape sequences from pasted or imported text
        text = " ".join(text.splitlines()).translate(CONTROL_CODES)
    return Cell(text, style)


def text_width(text: str) -> int:
    """Terminal cells a cell's text takes. ASCII text (cells hold no control codes) is one
    cell a character: measured directly, it stays out of Rich's width cache, which kept
    thousands of sheet texts (about 0.6 MB with 2,000 sites)."""
    return len(text) if text.isascii() else cell_len(text)


@lru_cache(maxsize=256)
def _parse_style(style: str) -> Style:
    return Style.parse(style) if style else Style()


class Sheet(ScrollView, can_focus=True):
    """Rows of cells under a fixed header, with a row or cell cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("left", "cursor_left", "Left", show=False),
        Binding("right", "cursor_right", "Right", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        # As in a spreadsheet: Home/End go along the row, ctrl+Home/End to the first/last row.
        Binding("home", "home", "First column", show=False),
        Binding("end", "end", "Last column", show=False),
        Binding("ctrl+home", "first_row", "First row", show=False),
        Binding("ctrl+end", "last_row", "Last row", show=False),
        Binding("enter", "select", "Select", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"sheet--header", "sheet--cursor", "sheet--even-row"}
    DEFAULT_CSS = """
    Sheet {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        & > .sheet--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .sheet--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .sheet--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .sheet--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        &:dark > .sheet--even-row {
            background: $surface-darken-1 40%;
        }
    }
    """

    cursor_row: reactive[int] = reactive(0, always_update=False, layout=False)
    cursor_column: reactive[int] = reactive(0, always_update=False, layout=False)

    class _SheetMessage(Message):
        def __init__(self, sheet: Sheet, row: int, column: int, key: str | None) -> None:
            super().__init__()
            self.sheet, self.row, self.column, self.key = sheet, row, column, key

        @property
        def control(self) -> Sheet:
            return self.sheet

    class CellHighlighted(_SheetMessage):
        """The cursor moved to another cell (or the rows under it changed)."""

    class CellSelected(_SheetMessage):
        """Enter (or a click) on the cursor cell of a cell-cursor sheet."""

    class RowSelected(_SheetMessage):
        """Enter (or a click) on the cursor row of a row-cursor sheet."""

    class HeaderSelected(Message):
        def __init__(self, sheet: Sheet, column: int) -> None:
            super().__init__()
            self.sheet, self.column = sheet, column

        @property
        def control(self) -> Sheet:
            return self.sheet

    def __init__(
        self, *, cursor_type: str = "row", zebra_stripes: bool = True, fixed_columns: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.cursor_type = cursor_type
        # Columns kept at the left while the rest scroll sideways (a site's name beside its
        # status), as a spreadsheet freezes them; not when they would take most of the width.
        self.fixed_columns = fixed_columns
        self.zebra_stripes = zebra_stripes
        self.labels: list[str] = []
        self.widths: list[int] = []
        self._cell_widths: list[int] = []  # the widest cell of each labelled column
        self.keys: list[str] = []
        self.rows: list[list[Cell]] = []
        self.empty_text = ""  # drawn dim under the header when there are no rows (what to do about it)
        self._last_highlight: tuple[int, int, str | None] | None = None

    # -- data
    def add_columns(self, *labels: str) -> None:
        self.set_rows(list(zip(self.keys, self.rows, strict=True)), labels)

    def set_rows(
        self, rows: Iterable[tuple[str, list[Any]]], labels: Sequence[str] | None = None, empty: str | None = None
    ) -> None:
        """Replace every row (and the labels, and the line shown when there are no rows);
        the cursor stays on the same key when it is still there.

        A row's list of cells is taken by identity: pass a new list for changed values,
        never the same list edited. The same lists again in another order (a sort, a
        save elsewhere) keep the columns' widths instead of measuring 30,000 cells.
        """
        if labels is not None:
            self.labels = list(labels)
        if empty is not None:
            self.empty_text = empty
        key_before = self.current_key
        keys: list[str] = []
        cells: list[list[Cell]] = []
        held = {id(row) for row in self.rows}  # lists of cells already: no need to look at them again
        all_held = True
        for key, values in rows:
            keys.append(key)
            if id(values) in held:
                cells.append(values)
                continue
            all_held = False
            cells.append(values if all(type(v) is Cell for v in values) else [cell(v) for v in values])
        reordered = (
            all_held
            and len(cells) == len(held) == len({id(row) for row in cells})
            and len(self._cell_widths) == len(self.labels)
        )
        if not reordered:
            widths = [0] * len(self.labels)
            for row_cells in cells:
                for index, value in enumerate(row_cells[: len(widths)]):
                    width = text_width(value.plain)
                    if width > widths[index]:
                        widths[index] = width
            self._cell_widths = widths
        self.keys, self.rows = keys, cells
        self._fit_columns()
        row = keys.index(key_before) if key_before in keys else self.cursor_row
        self.move_cursor(row=row, column=self.cursor_column)
        self._announce()

    def replace_row(self, key: str, values: list[Any]) -> None:
        """Show new values for one row (a quick update before the next ``set_rows``)."""
        if key not in self.keys:
            return
        row = [cell(value) for value in values]
        self.rows[self.keys.index(key)] = row
        self._cell_widths = [
            max(width, text_width(value.plain)) for width, value in zip(self._cell_widths, row, strict=False)
        ]
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Each column as wide as its label or its widest cell, within MAX_COLUMN_WIDTH.
        The labels apart: a sort marks its column's label (" ▲") and leaves the cells as they were."""
        self.widths = [
            min(max(text_width(label), width), MAX_COLUMN_WIDTH)
            for label, width in zip(self.labels, self._cell_widths, strict=True)
        ]
        self._resize()

    def _resize(self) -> None:
        total = sum(width + 2 * PADDING for width in self.widths)
        shown = len(self.rows) or (1 if self.empty_text else 0)  # an empty sheet's line saying what to do
        self.virtual_size = Size(total, shown + 1)  # + the header line
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def header_height(self) -> int:
        return 1

    @property
    def current_key(self) -> str | None:
        if 0 <= self.cursor_row < len(self.keys):
            return self.keys[self.cursor_row]
        return None

    def get_row_at(self, row: int) -> list[Cell]:
        return self.rows[row]

    def select_key(self, key: str) -> None:
        if key in self.keys:
            self.move_cursor(row=self.keys.index(key))

    # -- cursor
    def move_cursor(self, row: int | None = None, column: int | None = None, **_: Any) -> None:
        if row is not None:
            self.cursor_row = max(0, min(row, len(self.rows) - 1))
        if column is not None:
            self.cursor_column = max(0, min(column, len(self.labels) - 1))
        self._scroll_to_cursor()
        self._announce()

    def watch_cursor_row(self) -> None:
        self.refresh()

    def watch_cursor_column(self) -> None:
        self.refresh()

    def _announce(self) -> None:
        highlight = (self.cursor_row, self.cursor_column, self.current_key)
        if highlight != self._last_highlight and self.rows:
            self._last_highlight = highlight
            self.post_message(self.CellHighlighted(self, *highlight))

    def column_start(self, column: int) -> int:
        return sum(width + 2 * PADDING for width in self.widths[:column])

    @property
    def frozen_width(self) -> int:
        """Cells taken by the fixed columns at the left (0 when they are not kept there)."""
        frozen = self.column_start(min(self.fixed_columns, len(self.widths)))
        return frozen if frozen <= self.scrollable_content_region.width * MAX_FROZEN_SHARE else 0

    def _scrolls(self, column: int) -> bool:
        return column >= self.fixed_columns or not self.frozen_width

    def cell_origin(self, row: int, column: int) -> tuple[int, int]:
        """Screen position of a cell (for an editor placed on top of it)."""
        region = self.content_region
        x = region.x + self.column_start(column) - (int(self.scroll_x) if self._scrolls(column) else 0)
        y = region.y + self.header_height + row - int(self.scroll_y)
        return x, y

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height - self.header_height
        width = self.scrollable_content_region.width
        if height <= 0 or width <= 0:
            return
        x, y = int(self.scroll_x), int(self.scroll_y)
        if self.cursor_row < y:
            y = self.cursor_row
        elif self.cursor_row >= y + height:
            y = self.cursor_row - height + 1
        if self.cursor_type == "cell" and self.widths and self._scrolls(self.cursor_column):
            frozen = self.frozen_width  # the scrolling columns are drawn after it
            start = self.column_start(self.cursor_column) - frozen
            end = start + self.widths[self.cursor_column] + 2 * PADDING
            width -= frozen
            if start < x:
                x = start
            elif end > x + width:
                x = max(0, min(start, end - width))
        if (x, y) != (int(self.scroll_x), int(self.scroll_y)):
            self.scroll_to(x, y, animate=False, immediate=True)

    def on_resize(self) -> None:
        self._scroll_to_cursor()

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - self.header_height - 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self.cursor_row + 1)

    def action_cursor_left(self) -> None:
        if self.cursor_type == "cell":
            self.move_cursor(column=self.cursor_column - 1)
        else:
            self.scroll_left(animate=False)

    def action_cursor_right(self) -> None:
        if self.cursor_type == "cell":
            self.move_cursor(column=self.cursor_column + 1)
        else:
            self.scroll_right(animate=False)

    def action_page_up(self) -> None:
        self.move_cursor(row=self.cursor_row - self._page())

    def action_page_down(self) -> None:
        self.move_cursor(row=self.cursor_row + self._page())

    def action_home(self) -> None:
        if self.cursor_type == "cell":
            self.move_cursor(column=0)
            self.scroll_to(x=0, animate=False, immediate=True)  # a fixed first column does not scroll
        else:
            self.action_first_row()

    def action_end(self) -> None:
        if self.cursor_type == "cell":
            self.move_cursor(column=len(self.labels) - 1)
        else:
            self.action_last_row()

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self.move_cursor(row=len(self.rows) - 1)

    def action_select(self) -> None:
        if not self.rows:
            return
        message = self.CellSelected if self.cursor_type == "cell" else self.RowSelected
        self.post_message(message(self, self.cursor_row, self.cursor_column, self.current_key))

    def _column_at(self, x: int) -> int | None:
        start = 0
        for index, width in enumerate(self.widths):
            start += width + 2 * PADDING
            if x < start:
                return index
        return None

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        frozen = self.frozen_width
        column = self._column_at(offset.x if offset.x < frozen else offset.x + int(self.scroll_x))
        if offset.y < self.header_height:
            if column is not None:
                self.post_message(self.HeaderSelected(self, column))
            return
        row = offset.y - self.header_height + int(self.scroll_y)
        if row >= len(self.rows):
            return
        same = row == self.cursor_row and (self.cursor_type == "row" or column == self.cursor_column)
        self.move_cursor(row=row, column=column)
        if same:
            self.action_select()

    # -- drawing
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y < self.header_height:
            header = base + self.get_component_rich_style("sheet--header")
            line = [(label, header) for label in self.labels]
            return self._strip(line, width, header)
        row = y - self.header_height + int(self.scroll_y)
        if row >= len(self.rows):
            if row == 0 and self.empty_text:
                fill = base + Style(dim=True)
                text = " " * PADDING + self.empty_text[: max(0, width - PADDING)]
                return Strip([Segment(text, fill)], len(text)).extend_cell_length(width, base)
            return Strip.blank(width, base)
        row_style = base
        if self.zebra_stripes and row % 2:
            row_style = base + self.get_component_rich_style("sheet--even-row")
        cursor = self.get_component_rich_style("sheet--cursor")
        line = []
        for index, value in enumerate(self.rows[row]):
            style = row_style + _parse_style(value.style)
            if row == self.cursor_row and (self.cursor_type == "row" or index == self.cursor_column):
                style += cursor
            line.append((value.plain, style))
        return self._strip(line, width, row_style)

    def _strip(self, cells: list[tuple[str, Style]], width: int, fill: Style) -> Strip:
        pad = " " * PADDING
        scroll_x, frozen = int(self.scroll_x), self.frozen_width
        cut = frozen + scroll_x if frozen else -1  # where the scrolled columns start showing
        segments, start = [], 0
        for (text, style), column_width in zip(cells, self.widths, strict=False):
            end = start + column_width + 2 * PADDING
            # Beside the fixed columns, a column cut at its left shows blank, not as a stray
            # word's end that reads like part of the name.
            shown = " " * column_width if start < cut < end else set_cell_size(text, column_width)
            segments.append(Segment(pad + shown + pad, style))
            start = end
        whole = Strip(segments, start)
        if frozen:  # the fixed columns, then the others from where they are scrolled to
            strip = Strip.join([whole.crop(0, frozen), whole.crop(frozen + scroll_x, scroll_x + width)])
        else:
            strip = whole.crop(scroll_x, scroll_x + width)
        return strip.extend_cell_length(width, fill)
