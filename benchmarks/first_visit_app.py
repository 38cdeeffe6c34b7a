"""imgtui as a user meets the tracker: started on DB, then '4' pressed once Today is filled.

Usage: first_visit_app.py DB YYYY-MM-DD SITES
Prints the milliseconds from the key to the first frame showing the tracker with all SITES
(its screen is built on this first visit), and quits. A process of its own, as a user's is.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from imgtui.planner import Planner
from imgtui.store import Store
from imgtui.ui.app import ImgtuiApp


class FirstVisitApp(ImgtuiApp):
    def __init__(self, store: Store, today: date, sites: int) -> None:
        super().__init__(Planner(store, today=today), poll_seconds=0)
        self.sites = sites
        self.pressed: float | None = None

    def on_imgtui_app_loaded(self, message: ImgtuiApp.Loaded) -> None:
        # (Textual runs ImgtuiApp's handler for this message as well: no super() call.)
        self.set_timer(0.2, self._press)  # Today filled and drawn, as a user would see it

    def _press(self) -> None:
        self.pressed = time.perf_counter()
        self.simulate_key("4")

    def post_display_hook(self) -> None:
        if self.pressed is None:
            return
        sheets = self.screen.query("#sites")
        if sheets and getattr(sheets.first(), "row_count", 0) == self.sites:
            print(f"{(time.perf_counter() - self.pressed) * 1000:.2f}")
            self.pressed = None
            self.exit()


if __name__ == "__main__":
    store = Store(Path(sys.argv[1]))
    FirstVisitApp(store, date.fromisoformat(sys.argv[2]), int(sys.argv[3])).run(headless=True)
    store.close()
