"""How advice looks by severity, in every pane (Rich styles for Text)."""

SEVERITY_STYLE = {"delay": "bold red", "caution": "yellow", "ok": "green", "info": ""}
