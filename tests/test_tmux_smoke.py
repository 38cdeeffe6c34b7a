"""Run the real app in tmux (scripts/smoke_tmux.sh) when tmux is installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_real_app_in_tmux() -> None:
    imgtui = Path(sys.executable).parent / "imgtui"
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "smoke_tmux.sh"), str(imgtui)], capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke: ok" in result.stdout
