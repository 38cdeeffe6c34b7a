"""What every pane shares: typed access to the app whose actions the pane asks for."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from ..app import ImgtuiApp


class PaneMixin:
    """Mixed into pane widgets (a plain class, so it adds no CSS type or focus rules)."""

    @property
    def imgtui(self) -> ImgtuiApp:
        """The imgtui app: panes ask it to change data (it holds the planner)."""
        return cast("ImgtuiApp", self.app)  # type: ignore[attr-defined]
