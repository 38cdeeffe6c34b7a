"""Lines that wrap under their own text, not under their mark ('- ', '!  ')."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.text import Text


class HangingLine:
    """A mark, then a text that wraps under itself rather than under the mark.
    (A Rich table grid does the same, but importing it costs the first frame 2 ms.)"""

    def __init__(self, mark: Text, text: Text) -> None:
        self.mark, self.text = mark, text

    def __str__(self) -> str:
        return self.mark.plain + self.text.plain

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = self.mark.cell_len
        lines = self.text.wrap(console, max(1, options.max_width - indent))
        out = Text()  # ends with a line break: Textual counts them for the height
        for number, line in enumerate(lines):
            line.rstrip()  # the space a line was broken at
            if number:
                out.append("\n" + " " * indent)
            else:
                out.append_text(self.mark)
            out.append_text(line)
        yield out

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = self.mark.cell_len
        return Measurement(indent + 1, indent + self.text.cell_len)


def bullet(message: str, style: str, cite: str | None = None) -> HangingLine:
    """'- message [cite]': advice as the panes list it, the rule it comes from dimmed."""
    text = Text(message, style=style)
    if cite:
        text.append(f" [{cite}]", style="dim")
    return HangingLine(Text("- ", style=style), text)


class Paragraphs:
    """Texts and hanging lines one below the other (a Static's content); str() is their text."""

    def __init__(self, *parts: Text | HangingLine) -> None:
        self.parts = parts

    def __str__(self) -> str:
        return "\n".join(str(part) for part in self.parts)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        renderables: tuple[RenderableType, ...] = self.parts
        yield from renderables
