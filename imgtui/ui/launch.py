"""Starting the app from the command line: on the user's file, or on a copy for a what-if."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..planner import Planner
from ..store import Store, StoreError
from .app import ImgtuiApp


def run_app(db: Path, today: date | None = None, title_note: str = "") -> int:
    """Run the app on ``db``."""
    import sys

    try:
        store = Store(db)
    except (StoreError, OSError) as exc:
        print(f"imgtui: error: {exc}", file=sys.stderr)
        return 2
    app = ImgtuiApp(Planner(store, today=today), title_note=title_note)
    try:
        app.run()
    finally:
        store.close()
    return app.return_code or 0


def run_what_if(db: Path, today: date) -> int:
    """The app as of another day, on a temporary copy: a what-if never changes the user's data."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="imgtui-what-if-"))
    try:
        copy = folder / db.name
        if db.exists():
            shutil.copyfile(db, copy)
        note = f"WHAT-IF as of {today}, on a copy of {db}: your file is not changed"
        return run_app(copy, today=today, title_note=note)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
