"""The start-up baseline: a bare Textual app showing one Static, quit after its first frame."""

import os
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("imgtui benchmark baseline")

    def post_display_hook(self) -> None:
        if stamp := os.environ.get("IMGTUI_FIRST_FRAME_STAMP"):  # as imgtui does (bench.py)
            Path(stamp).write_text(repr(time.perf_counter()))
        self.exit()


if __name__ == "__main__":
    BareApp().run(headless=True)
