"""imgtui as the benchmark starts it: the clock at the first frame and when Today is filled.

Usage: started_app.py DB YYYY-MM-DD STAMP [every-pane]
Writes "FIRST_FRAME TODAY_FILLED" (time.perf_counter, the system's monotonic clock) to
STAMP and quits; with every-pane it first shows Profile, Schedule and USCE in turn
(for the peak memory of a session that opened everything).
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from imgtui.planner import Planner
from imgtui.store import Store
from imgtui.ui.app import ImgtuiApp
from imgtui.ui.panes import PANES

PAUSE_SECONDS = 0.3  # per pane: filled and drawn


class StartedApp(ImgtuiApp):
    def __init__(self, store: Store, today: date, stamp: Path, every_pane: bool) -> None:
        super().__init__(Planner(store, today=today), poll_seconds=0)
        self.stamp, self.every_pane = stamp, every_pane
        self.first_frame: float | None = None

    def post_display_hook(self) -> None:
        if self.first_frame is None:
            self.first_frame = time.perf_counter()

    def on_imgtui_app_loaded(self, message: ImgtuiApp.Loaded) -> None:
        # (Textual runs ImgtuiApp's handler for this message as well: no super() call.)
        self.call_after_refresh(self._today_filled)

    def _today_filled(self) -> None:
        self.stamp.write_text(f"{self.first_frame} {time.perf_counter()}")
        self._next = list(PANES[1:]) if self.every_pane else []
        self._show_next()

    def _show_next(self) -> None:
        if not self._next:
            self.exit()
            return
        self.go_to(self._next.pop(0))
        self.set_timer(PAUSE_SECONDS, self._show_next)


if __name__ == "__main__":
    store = Store(Path(sys.argv[1]))
    StartedApp(store, date.fromisoformat(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:] == ["every-pane"]).run(
        headless=True
    )
    store.close()
