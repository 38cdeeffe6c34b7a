"""The footer: the keys that work where the focus is, drawn as one line of text.

Textual's Footer is a widget per key and recomposes all of them whenever the
focus moves; on this app that is about 1 MB kept and a few ms per move. This is
one widget: it reads the same bindings (``screen.active_bindings``) on the same
signal and draws them, with the command palette key at the right. A click on a
key presses it, as on Footer. Unlike Footer, a narrow bar keeps the pane's own
keys and Quit and lets the keys shown elsewhere go (``_fitted``).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description", "key-bar--disabled"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--disabled {
            text-style: dim;
        }
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        # (start, end, key, enabled) of each drawn key, for clicks.
        self._spans: list[tuple[int, int, str, bool]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def _shown(self) -> tuple[list[tuple[Binding, bool]], tuple[Binding, bool] | None]:
        """The bindings to draw, one per action in binding order, and the palette's."""
        palette_key = self.app.COMMAND_PALETTE_BINDING
        shown: list[tuple[Binding, bool]] = []
        actions: set[str] = set()
        palette = None
        for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            if key == palette_key and self.app.ENABLE_COMMAND_PALETTE:
                palette = (binding, enabled)
            elif binding.show and binding.action not in actions:
                actions.add(binding.action)
                shown.append((binding, enabled))
        return self._fitted(shown, palette)

    def _fitted(
        self, shown: list[tuple[Binding, bool]], palette: tuple[Binding, bool] | None
    ) -> tuple[list[tuple[Binding, bool]], tuple[Binding, bool] | None]:
        """The bindings that fit. When not all do, what is shown elsewhere gives way first:
        the pane keys (on the tab bar) go; Quit stays; then the focused widget's own keys
        in their order, then Help, Undo and the palette's key, as room allows."""

        def width(items: list[tuple[Binding, bool]]) -> int:
            return sum(len(self._text(binding)) for binding, _ in items)

        room = self.size.width
        if width(shown) + (width([palette]) + 1 if palette else 0) <= room:
            return shown, palette
        shown = [item for item in shown if not item[0].action.startswith("show_pane")]
        app_wide = [item for item in shown if (item[0].id or "").startswith("app.")]
        kept = [item for item in app_wide if item[0].id == "app.quit"]
        room -= width(kept)
        for item in [item for item in shown if item not in app_wide]:
            if width([item]) > room:
                break
            kept.append(item)
            room -= width([item])
        for item in sorted((item for item in app_wide if item not in kept), key=lambda i: i[0].id != "app.help"):
            if width([item]) <= room:
                kept.append(item)
                room -= width([item])
        fits_palette = palette is not None and width([palette]) + 1 <= room
        return [item for item in shown if item in kept], palette if fits_palette else None

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        disabled = self.get_component_rich_style("key-bar--disabled")
        shown, palette = self._shown()
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        spans: list[tuple[int, int, str, bool]] = []

        def add(binding: Binding, enabled: bool) -> None:
            start = len(line)
            line.append(f" {self.app.get_key_display(binding)} ", style=key_style if enabled else key_style + disabled)
            line.append(f"{binding.description} ", style=description_style if enabled else description_style + disabled)
            spans.append((start, len(line), binding.key, enabled))

        for binding, enabled in shown:
            add(binding, enabled)
        if palette is not None:
            line.append(" " * max(1, self.size.width - len(line) - len(self._text(palette[0]))))
            add(*palette)
        self._spans = spans
        return line

    def _text(self, binding: Binding) -> str:
        return f" {self.app.get_key_display(binding)} {binding.description} "

    def key_at(self, x: int) -> tuple[str, bool] | None:
        """The key drawn at column ``x``, and whether it works now."""
        for start, end, key, enabled in self._spans:
            if start <= x < end:
                return key, enabled
        return None

    def on_click(self, event: events.Click) -> None:
        hit = self.key_at(event.x)
        if hit is None:
            return
        key, enabled = hit
        if enabled:
            self.app.simulate_key(key)
        else:
            self.app.bell()
