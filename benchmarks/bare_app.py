"""The start-up baseline: a bare Textual app showing one Static, quit after its first frame.

Usage: bare_app.py STAMP  (writes "FRAME FRAME": its clock at the first frame, twice,
as started_app.py writes its first frame and the moment Today is filled)"""

import sys
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("imgtui benchmark baseline")

    def post_display_hook(self) -> None:
        now = time.perf_counter()
        Path(sys.argv[1]).write_text(f"{now} {now}")
        self.exit()


if __name__ == "__main__":
    BareApp().run(headless=True)
