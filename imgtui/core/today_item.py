"""One line of the Today list: kept apart so the first frame can show cached lines
without importing the planning core."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class TodayItem:
    kind: str
    text: str
    severity: str = "info"
    rule: str | None = None
    pane: str = "today"  # where Enter leads: today | profile | schedule | usce
    record_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
