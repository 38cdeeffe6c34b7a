"""Lines that wrap under their own text, not under their mark ('- ', '!  ').

Textual Visuals over ``Content``, Textual's own text: a Rich renderable doing the
same (or a Rich table grid) is drawn through Rich's console, and cost Today's
first frame about 10 ms for a dozen lines (measured).
"""

from __future__ import annotations

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual


class HangingLine(Visual):
    """A mark, then a text that wraps under itself rather than under the mark."""

    def __init__(self, mark: Content | str, text: Content | str) -> None:
        self.mark = Content(mark) if isinstance(mark, str) else mark
        self.text = Content(text) if isinstance(text, str) else text
        self._wrapped: tuple[int, list[Content]] | None = None  # (width, lines): asked for height, then drawn

    def __str__(self) -> str:
        return self.mark.plain + self.text.plain

    def lines(self, width: int) -> list[Content]:
        if self._wrapped is None or self._wrapped[0] != width:
            indent = self.mark.cell_length
            pad = Content(" " * indent)
            wrapped = self.text.wrap(max(1, width - indent)) or [Content("")]
            self._wrapped = (width, [(self.mark if n == 0 else pad) + line.rstrip() for n, line in enumerate(wrapped)])
        return self._wrapped[1]

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return Content("\n").join(self.lines(width)).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.mark.cell_length + self.text.cell_length

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width))


def bullet(message: str, style: str, cite: str | None = None) -> HangingLine:
    """'- message [cite]': advice as the panes list it, the rule it comes from dimmed."""
    text = Content.styled(message, style)
    if cite:
        text += Content.styled(f" [{cite}]", "dim")
    return HangingLine(Content.styled("- ", style), text)


class Paragraphs(Visual):
    """Lines and hanging lines one below the other (a Static's content); str() is their text."""

    def __init__(self, *parts: Content | HangingLine) -> None:
        self.parts = parts

    def __str__(self) -> str:
        return "\n".join(part.plain if isinstance(part, Content) else str(part) for part in self.parts)

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        strips: list[Strip] = []
        for part in self.parts:
            strips += part.render_strips(width, None, style, options)
        return strips if height is None else strips[:height]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((part.get_optimal_width(rules, container_width) for part in self.parts), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(part.get_height(rules, width) for part in self.parts)
