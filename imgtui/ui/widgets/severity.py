"""How advice looks by severity, in every pane (Rich styles for Text): from the one table in core."""

from ...core.advice import SEVERITY, VERDICT_SEVERITY

SEVERITY_STYLE = {name: severity.style for name, severity in SEVERITY.items()}
ICONS = {name: severity.icon for name, severity in SEVERITY.items()}
# A verdict is shown bold, in its severity's colour.
VERDICT_STYLE = {verdict: f"bold {SEVERITY[sev].style}".strip() for verdict, sev in VERDICT_SEVERITY.items()}
