"""Child process for the crash test of the app: the real app, headless, saving question-bank
blocks through its own write path as fast as it can, acknowledging each save it finished.

Usage: app_writer.py DB ACKFILE
Each line of ACKFILE is "<doc_id> <done>", written only after the save returned.
"""

import os
import sys
from datetime import date
from pathlib import Path

from imgtui.planner import Planner
from imgtui.store import Store
from imgtui.ui.app import ImgtuiApp


class WritingApp(ImgtuiApp):
    def on_imgtui_app_loaded(self, message: ImgtuiApp.Loaded) -> None:
        # (Textual runs ImgtuiApp's handler for this message as well: no super() call.)
        self.ack = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        self.count = 0
        self.set_interval(0.005, self.save_one)

    def save_one(self) -> None:
        self.count += 1
        done = 1 + (os.getpid() * 7 + self.count) % 900
        saved = []
        if self._write(
            "Logged", lambda: saved.append(self.planner.log_qbank({"day": "2026-11-20", "done": done, "correct": 0}))
        ):
            os.write(self.ack, f"{saved[0].doc_id} {done}\n".encode())


if __name__ == "__main__":
    store = Store(Path(sys.argv[1]))
    WritingApp(Planner(store, today=date(2026, 11, 23)), poll_seconds=0).run(headless=True)
