"""Where the database lives (kept light: the app's first frame needs it before the store)."""

from __future__ import annotations

import os
from pathlib import Path


def default_db_path() -> Path:
    """``IMGTUI_DB`` if set, else the per-user data directory."""
    env = os.environ.get("IMGTUI_DB", "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path("imgtui") / "imgtui.json"
