"""Sheet: the table widget of every pane, driven by keys and the mouse on its own."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult

from imgtui.ui.widgets import sheet as sheet_module
from imgtui.ui.widgets.sheet import Sheet, cell, text_width

ROWS = [(str(n), [f"Site {n:03d}", "St. Mary [Main]" if n == 7 else f"City {n}", n * 2]) for n in range(120)]


class SheetApp(App[None]):
    def __init__(self, cursor_type: str = "cell", fixed_columns: int = 0) -> None:
        super().__init__()
        self.cursor_type = cursor_type
        self.fixed_columns = fixed_columns
        self.messages: list[object] = []

    def compose(self) -> ComposeResult:
        yield Sheet(id="sheet", cursor_type=self.cursor_type, fixed_columns=self.fixed_columns)

    def on_mount(self) -> None:
        sheet = self.query_one(Sheet)
        sheet.add_columns("Name", "City", "Weeks")
        sheet.set_rows(ROWS)
        sheet.focus()

    def on_sheet_cell_selected(self, message: Sheet.CellSelected) -> None:
        self.messages.append(("cell", message.key, message.column))

    def on_sheet_row_selected(self, message: Sheet.RowSelected) -> None:
        self.messages.append(("row", message.key))

    def on_sheet_header_selected(self, message: Sheet.HeaderSelected) -> None:
        self.messages.append(("header", message.column))


async def test_keys_move_the_cursor_and_keep_it_in_view() -> None:
    app = SheetApp()
    async with app.run_test(size=(60, 12)) as pilot:
        sheet = app.query_one(Sheet)
        await pilot.press("down", "down", "right")
        assert (sheet.cursor_row, sheet.cursor_column, sheet.current_key) == (2, 1, "2")
        await pilot.press("pagedown", "pagedown")
        assert sheet.cursor_row > 10
        assert sheet.scroll_y <= sheet.cursor_row < sheet.scroll_y + sheet.size.height - 1  # visible
        await pilot.press("ctrl+end")
        assert sheet.cursor_row == len(ROWS) - 1 and sheet.scroll_y > 100
        await pilot.press("end")
        assert sheet.cursor_column == 2
        await pilot.press("home", "ctrl+home", "up", "left")  # never past the edges
        assert (sheet.cursor_row, sheet.cursor_column) == (0, 0)
        await pilot.press("enter")
        assert app.messages == [("cell", "0", 0)]


async def test_an_empty_sheet_says_what_to_do_under_its_header() -> None:
    app = SheetApp()
    async with app.run_test(size=(60, 12)) as pilot:
        sheet = app.query_one(Sheet)
        sheet.set_rows([], empty="No sites yet: press a to add one.")
        await pilot.pause()
        lines = [sheet.render_line(y).text for y in range(3)]
        assert lines[0].split() == ["Name", "City", "Weeks"]
        assert lines[1].strip() == "No sites yet: press a to add one." and lines[2].strip() == ""
        assert sheet.virtual_size.height == 2  # the header and that line
        sheet.set_rows(ROWS[:1])  # rows again: the line is gone, the text kept for the next time
        await pilot.pause()
        assert sheet.render_line(1).text.split()[:2] == ["Site", "000"]
        sheet.set_rows([], empty="")
        assert sheet.virtual_size.height == 1 and sheet.render_line(1).text.strip() == ""


async def test_rows_are_replaced_keeping_the_cursor_on_its_key() -> None:
    app = SheetApp()
    async with app.run_test(size=(60, 12)) as pilot:
        sheet = app.query_one(Sheet)
        sheet.select_key("50")
        await pilot.pause()
        sheet.set_rows(list(reversed(ROWS)))
        assert sheet.current_key == "50" and sheet.cursor_row == len(ROWS) - 1 - 50
        sheet.set_rows(ROWS[:10])  # the key is gone: the cursor stays within the rows
        assert sheet.cursor_row == 9
        sheet.set_rows([])
        assert sheet.current_key is None
        await pilot.press("enter", "down")  # nothing to select or move to
        assert app.messages == []


async def test_user_text_is_shown_as_typed_and_cut_to_the_column() -> None:
    app = SheetApp()
    async with app.run_test(size=(60, 12)) as pilot:
        sheet = app.query_one(Sheet)
        sheet.set_rows([("1", ["St. Mary [Main] [/]", "x" * 100, 3]), ("2", [Text("line one\nline two"), "", None])])
        await pilot.pause()
        first = sheet.render_line(1).text
        assert "St. Mary [Main] [/]" in first
        assert sheet.widths[1] == 40  # long notes are cut, not wrapped
        assert "line one line two" in sheet.render_line(2).text


async def test_clicks_select_cells_and_headers() -> None:
    app = SheetApp(cursor_type="row")
    async with app.run_test(size=(60, 12)) as pilot:
        sheet = app.query_one(Sheet)
        await pilot.click(Sheet, offset=(3, 3))  # row 2
        assert sheet.cursor_row == 2 and app.messages == []
        await pilot.click(Sheet, offset=(3, 3))  # the same row again selects it
        assert app.messages == [("row", "2")]
        name_width = sheet.widths[0] + 2
        await pilot.click(Sheet, offset=(name_width + 1, 0))
        assert app.messages[-1] == ("header", 1)


WIDE = [(str(n), [f"Site {n:03d}", *(f"c{col}-{n}".ljust(12, ".") for col in range(1, 9))]) for n in range(30)]


async def test_a_fixed_first_column_stays_at_the_left_while_the_others_scroll() -> None:
    app = SheetApp(fixed_columns=1)
    async with app.run_test(size=(50, 12)) as pilot:
        sheet = app.query_one(Sheet)
        sheet.set_rows(WIDE, labels=["Name", *(f"Col {c}" for c in range(1, 9))])
        await pilot.pause()
        frozen = sheet.frozen_width
        assert frozen == sheet.widths[0] + 2
        await pilot.press("end")  # to the last column: the name is still shown, then that column
        line = sheet.render_line(1).text
        assert line.startswith(" Site 000 ") and "c8-0" in line and sheet.scroll_x > 0
        x, _ = sheet.cell_origin(0, 8)
        assert frozen <= x - sheet.content_region.x < sheet.size.width  # an editor goes on the cell
        name_x, _ = sheet.cell_origin(0, 0)
        assert name_x == sheet.content_region.x
        # A column cut at its left beside the name shows blank, not the end of its text.
        shown = line[frozen:]
        cells = [part for part in shown.split() if part]
        assert all(part.startswith("c") and "-0" in part for part in cells), line
        await pilot.click(Sheet, offset=(2, 3))  # on the name of row 2: the name's column
        assert (sheet.cursor_row, sheet.cursor_column) == (2, 0) and int(sheet.scroll_x) > 0
        await pilot.click(Sheet, offset=(frozen + sheet.size.width // 4, 3))  # right of it: a scrolled column
        assert sheet.cursor_column > 1
        await pilot.press("home")
        assert sheet.scroll_x == 0 and sheet.render_line(1).text.startswith(" Site 000  c1-0")


async def test_fixed_columns_scroll_with_the_rest_when_they_would_take_most_of_the_width() -> None:
    app = SheetApp(fixed_columns=1)
    async with app.run_test(size=(15, 12)) as pilot:
        sheet = app.query_one(Sheet)
        sheet.set_rows(WIDE, labels=["Name", *(f"Col {c}" for c in range(1, 9))])
        await pilot.press("end")
        assert sheet.frozen_width == 0 and "Site" not in sheet.render_line(1).text


async def test_control_codes_in_user_text_never_reach_the_terminal() -> None:
    app = SheetApp()
    async with app.run_test(size=(60, 12)) as pilot:
        sheet = app.query_one(Sheet)
        sheet.set_rows([("1", ["bell\x07 and escape\x1b[31m red", "tab\tstop"])])
        await pilot.pause()
        shown = sheet.get_row_at(0)[0].plain
        assert shown == "bell and escape[31m red"  # no bell, no ESC: the terminal is never instructed
        assert sheet.get_row_at(0)[1].plain == "tab stop"


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40))
def test_text_width_is_the_terminal_width(text: str) -> None:
    assert text_width(text) == cell_len(text)


def test_wide_characters_widen_their_column() -> None:
    sheet = Sheet()
    sheet.add_columns("Name", "City")
    sheet.set_rows([("1", ["東京病院", "Tokyo"]), ("2", ["Mercy", "Zürich"])])
    assert sheet.widths == [8, 6]


async def test_columns_fit_the_rows_shown_and_a_reorder_keeps_them(monkeypatch) -> None:
    app = SheetApp()
    async with app.run_test(size=(60, 12)):
        sheet = app.query_one(Sheet)
        rows = [(str(n), [cell(f"Site {'x' * n}"), cell("City"), cell(n)]) for n in range(1, 30)]
        sheet.set_rows(rows)
        assert sheet.widths == [5 + 29, 4, 5]  # "Weeks" is wider than any number
        measured: list[str] = []
        monkeypatch.setattr(sheet_module, "text_width", lambda text: measured.append(text) or len(text))
        sheet.set_rows(list(reversed(rows)), labels=["Name ▲", "City", "Weeks"])  # a sort: the very same rows
        assert sheet.widths == [34, 4, 5] and sheet.current_key is not None
        assert measured == ["Name ▲", "City", "Weeks"]  # the labels, not the 87 cells again
        monkeypatch.undo()
        sheet.set_rows(rows[:3])  # a filter: narrower
        assert sheet.widths == [5 + 3, 4, 5]
        edited = [(key, [cell("Site with a much longer name"), *values[1:]]) for key, values in rows[:3]]
        sheet.set_rows(edited)  # new lists for changed values: measured again
        assert sheet.widths == [28, 4, 5]
        sheet.set_rows(edited, labels=["Name of the site, in full", "City", "Weeks"])
        assert sheet.widths[0] == 28
        sheet.set_rows(edited, labels=["Name of the rotation site, in full", "City", "Weeks"])
        assert sheet.widths[0] == len("Name of the rotation site, in full")
        sheet.replace_row(edited[0][0], ["x", "Chicago, IL", 4])  # a quick update: its column widens
        assert sheet.widths == [34, len("Chicago, IL"), 5]
        sheet.replace_row(edited[0][0], ["x", "y" * 90, 4])  # within MAX_COLUMN_WIDTH
        assert sheet.widths[1] == sheet_module.MAX_COLUMN_WIDTH
