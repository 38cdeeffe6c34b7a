from __future__ import annotations

import contextlib
import shutil
from datetime import date
from pathlib import Path

import pytest

from imgtui.core.rules import data_dir, default_rules
from imgtui.store import Store

DEMO_DAY = date(2026, 11, 23)  # a Monday in the demo's core phase


@pytest.fixture
def rules():
    return default_rules()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "imgtui.json"


@pytest.fixture
def store(db_path: Path):
    s = Store(db_path)
    yield s
    s.close()


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    target = tmp_path / "demo.json"
    shutil.copy(data_dir() / "demo.json", target)
    return target


@pytest.fixture
def demo_store(demo_path: Path):
    s = Store(demo_path)
    yield s
    s.close()


@contextlib.asynccontextmanager
async def started(app, size=(100, 32)):
    """``app.run_test``, once the app has loaded its records (a worker does that after the first frame)."""
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        yield pilot


async def loaded(pilot) -> None:
    """For snapshots: wait for the loading worker before the keys are pressed."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
