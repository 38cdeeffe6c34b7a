"""Advice carries the rule that produced it and the numbers involved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .rules import Rule


@dataclass(frozen=True)
class Severity:
    """How a severity shows everywhere: the command line's mark, Today's icon, the style."""

    mark: str
    icon: str
    style: str  # a Rich style


# The one table of severities, least to most urgent; marks, icons and styles come from it.
SEVERITY = {
    "ok": Severity("[ok]", "ok", "green"),
    "info": Severity("[  ]", "  ", ""),
    "caution": Severity("[! ]", "! ", "yellow"),
    "delay": Severity("[!!]", "!!", "bold red"),
}
SEVERITIES = tuple(SEVERITY)
# Each exam verdict's severity, and so its mark and style.
VERDICT_SEVERITY = {"GO": "ok", "BORDERLINE": "caution", "DELAY": "delay", "NOT_ENOUGH_DATA": "info"}


@dataclass(frozen=True)
class Advice:
    rule: str
    sources: tuple[str, ...]
    message: str
    severity: str = "info"
    numbers: dict[str, Any] = field(default_factory=dict)

    @property
    def cite(self) -> str:
        return f"{self.rule} [{', '.join(self.sources)}]"

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "sources": list(self.sources),
            "severity": self.severity,
            "message": self.message,
            "numbers": {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.numbers.items()},
        }


def advise(rule: Rule, message: str, severity: str = "info", **numbers: Any) -> Advice:
    assert severity in SEVERITIES, severity
    return Advice(rule.id, rule.sources, message, severity, numbers)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """'1 US letter', '2 US letters', '0 US letters': advice reads as written by hand."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def only_counted(count: int, noun: str, plural: str | None = None) -> str:
    """A count short of a goal: 'Only 1 promising site', 'Only 3 ...', 'No promising sites'."""
    return f"Only {counted(count, noun, plural)}" if count else f"No {plural or noun + 's'}"
