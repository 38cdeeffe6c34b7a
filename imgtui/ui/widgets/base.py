"""What every pane shares: typed access to the app that owns the store."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from ..app import ImgtuiApp


class PaneMixin:
    """Mixed into pane widgets (a plain class, so it adds no CSS type or focus rules)."""

    def on_mount(self) -> None:
        # Textual calls this besides the pane's own on_mount (it walks the MRO): panes
        # are mounted when first shown, and filled when they arrive.
        self.planner.pane_mounted(self.id or "")  # type: ignore[attr-defined]

    @property
    def planner(self) -> ImgtuiApp:
        """The imgtui app: panes ask it to change data (it owns the store)."""
        return cast("ImgtuiApp", self.app)  # type: ignore[attr-defined]
