"""imgtui with every pane opened: shows Profile, Schedule and USCE (2,000 rows) in turn
after the records are loaded, then quits. The benchmark reads its peak RSS.

Run: .venv/bin/python benchmarks/every_pane.py DB_PATH YYYY-MM-DD
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from imgtui.store import Store
from imgtui.ui.app import PANES, ImgtuiApp

PAUSE_SECONDS = 0.5  # per pane: mounted, filled and drawn


class EveryPaneApp(ImgtuiApp):
    def on_mount(self) -> None:
        super().on_mount()
        self._next = list(PANES[1:])
        self.set_timer(PAUSE_SECONDS, self._show_next)

    def _show_next(self) -> None:
        if not self._next:
            self.exit()
            return
        self.action_show_pane(self._next.pop(0))
        self.set_timer(PAUSE_SECONDS, self._show_next)


if __name__ == "__main__":
    db, today = Path(sys.argv[1]), date.fromisoformat(sys.argv[2])
    app = EveryPaneApp(Store(db), today=today, poll_seconds=0)
    app.run(headless=True)
    app.store.close()
