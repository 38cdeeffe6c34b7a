"""Today's lines and the panes' advice: a long line wraps under its own text, not under its mark."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from textual.content import Content
from textual.style import Style
from textual.visual import RenderOptions, Visual

from imgtui.records import choice_label
from imgtui.ui.widgets.hanging import HangingLine, Paragraphs, bullet


def rendered(visual: Visual, width: int) -> list[str]:
    """The lines as Textual draws them (the Visual protocol), as plain text."""

    def get_style(style: str | Style) -> Style:
        return style if isinstance(style, Style) else Style.parse(style)

    strips = visual.render_strips(width, None, Style(), RenderOptions(get_style, {}))
    assert len(strips) == visual.get_height({}, width)  # the height Textual lays out is the one drawn
    return [strip.text for strip in strips]


def test_a_long_line_wraps_under_its_text() -> None:
    line = HangingLine("!  ", "Behind plan by 52 questions: spread over the 64 study days left  [daily]")
    rows = rendered(line, 30)
    assert rows[0].startswith("!  Behind plan")
    assert len(rows) > 2 and all(row.startswith("   ") and row[3] != " " for row in rows[1:])
    assert " ".join(rows).split() == ["!", *line.text.plain.split()]
    assert str(line) == "!  Behind plan by 52 questions: spread over the 64 study days left  [daily]"


@given(st.text(alphabet="abc defgh", min_size=1, max_size=200), st.integers(min_value=8, max_value=60))
def test_wrapping_keeps_every_character_and_fits_the_width(text: str, width: int) -> None:
    rows = rendered(HangingLine("!     ", text), width)
    assert all(len(row) <= width for row in rows)
    # the mark, then every character in order (a word longer than the room is folded)
    assert "".join("".join(rows).split()) == "!" + "".join(text.split())
    assert all(row.startswith(" " * 6) for row in rows[1:])


def test_advice_bullets_wrap_under_their_text_and_keep_their_rule() -> None:
    block = Paragraphs(
        Content("Exam decision"), bullet("Latest NBME 12 229 is 6 below the 235 target", "", "go_score"), Content()
    )
    rows = rendered(block, 24)
    assert rows[0].rstrip() == "Exam decision" and rows[1].startswith("- Latest")
    assert len(rows) > 4 and all(row.startswith("  ") and row[2] != " " for row in rows[2:-1])
    assert rows[-1].strip() == ""  # an empty part is a blank line
    assert str(block) == "Exam decision\n- Latest NBME 12 229 is 6 below the 235 target [go_score]\n"


def test_choices_read_as_people_write_them() -> None:
    assert choice_label("j1") == "J-1" and choice_label("h1b") == "H-1B"
    assert choice_label("internal_medicine") == "internal medicine" and choice_label("none") == "none"


def test_today_says_when_the_days_target_is_met_and_the_behind_count_moves_as_you_log(tmp_path) -> None:
    """'Questions today: 42; 80 logged so far' kept its warning, and 'behind plan by 320'
    ignored today's work until tomorrow."""
    import shutil
    from datetime import date

    from imgtui.core.overview import build_overview
    from imgtui.core.rules import data_dir, default_rules
    from imgtui.planner import Planner
    from imgtui.store import Store

    db = tmp_path / "demo.json"
    shutil.copy(data_dir() / "demo.json", db)
    day = date(2026, 11, 23)
    planner = Planner(Store(db), default_rules(), day)

    def lines() -> dict[str, tuple[str, str]]:
        ov = build_overview(planner.snapshot(), day, planner.rules)
        return {item.kind: (item.text, item.severity) for item in ov.items if item.kind in ("questions", "catchup")}

    before = lines()
    assert before["questions"][1] == "caution" and "Behind plan by 52" in before["catchup"][0]
    planner.log_qbank({"day": day, "done": 40, "correct": 30})
    after = lines()
    assert after["catchup"][0].startswith("Behind plan by 12 questions, counting the 40 logged today")
    planner.log_qbank({"day": day, "done": 40, "correct": 30})
    met = lines()
    assert met["questions"] == (
        "Questions today: 61 (plan 60 + 1 catch-up); 80 logged so far: today's target is met",
        "ok",
    )
    assert "catchup" not in met
