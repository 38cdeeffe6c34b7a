"""Today's lines: a long line wraps under its own text, not under its mark."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from imgtui.ui.screens.forms import choice_label
from imgtui.ui.widgets.hanging import HangingLine


def rendered(line: HangingLine, width: int) -> list[str]:
    console = Console(width=width, color_system=None, legacy_windows=False)
    lines = console.render_lines(line, console.options.update_width(width), pad=False)
    return ["".join(segment.text for segment in row) for row in lines]


def test_a_long_line_wraps_under_its_text() -> None:
    line = HangingLine(Text("!  "), Text("Behind plan by 52 questions: spread over the 64 study days left  [daily]"))
    rows = rendered(line, 30)
    assert rows[0].startswith("!  Behind plan")
    assert len(rows) > 2 and all(row.startswith("   ") and row[3] != " " for row in rows[1:])
    assert " ".join(rows).split() == ["!", *str(line.text).split()]
    assert str(line) == "!  Behind plan by 52 questions: spread over the 64 study days left  [daily]"


@given(st.text(alphabet="abc defgh", min_size=1, max_size=200), st.integers(min_value=8, max_value=60))
def test_wrapping_keeps_every_word_and_fits_the_width(text: str, width: int) -> None:
    line = HangingLine(Text("!     "), Text(text))
    rows = rendered(line, width)
    assert all(len(row) <= width for row in rows)
    # the mark, then every character in order (a word longer than the room is folded)
    assert "".join("".join(rows).split()) == "!" + "".join(text.split())
    assert all(row.startswith(" " * 6) for row in rows[1:])
    # Textual sizes an option by the line breaks the renderable yields
    console = Console(width=width)
    breaks = sum(segment.text.count("\n") for segment in console.render(line, console.options.update_width(width)))
    assert breaks == len(rows)


def test_choices_read_as_people_write_them() -> None:
    assert choice_label("j1") == "J-1" and choice_label("h1b") == "H-1B"
    assert choice_label("internal_medicine") == "internal medicine" and choice_label("none") == "none"


def test_advice_bullets_wrap_under_their_text_and_keep_their_rule() -> None:
    from imgtui.ui.widgets.hanging import Paragraphs, bullet

    block = Paragraphs(Text("Exam decision"), bullet("Latest NBME 12 229 is 6 below the 235 target", "", "go_score"))
    rows = rendered(block, 24)  # type: ignore[arg-type]
    assert rows[0].rstrip() == "Exam decision" and rows[1].startswith("- Latest")
    assert len(rows) > 3 and all(row.startswith("  ") and row[2] != " " for row in rows[2:])
    assert str(block) == "Exam decision\n- Latest NBME 12 229 is 6 below the 235 target [go_score]"
