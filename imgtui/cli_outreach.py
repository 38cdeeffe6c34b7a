"""The outreach commands: ``draft``, ``templates`` and ``remind`` (cli.py wires them in)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cli import Context


class OutreachError(Exception):
    """Bad input to an outreach command; cli.main prints it in one line and exits 2."""


def cmd_templates(ctx: Context) -> int:
    from .drafts import user_template_dir

    templates = ctx.planner.templates()
    if ctx.args.json:
        rows = [
            {
                "name": t.name,
                "purpose": t.purpose,
                "placeholders": t.placeholders(),
                "file": str(t.path),
                "yours": t.overridden,
            }
            for t in templates.values()
        ]
        from .cli import _json

        _json(rows)
        return 0
    for t in templates.values():
        mine = " (your copy)" if t.overridden else ""
        print(f"{t.name}\t{t.purpose}{mine}\t{' '.join('{' + p + '}' for p in t.placeholders())}")
    print(f"Your own copies go in {user_template_dir()} (same file name overrides one).", file=sys.stderr)
    return 0


def cmd_draft(ctx: Context) -> int:
    from .paths import write_private

    planner = ctx.planner
    site = planner.find_site(ctx.args.site)
    assert site.doc_id is not None
    draft = planner.draft(ctx.args.template, site.doc_id, contact=ctx.args.contact)
    problem = draft.problem()
    if problem:
        raise OutreachError(f"{draft.template} for {site.name}: {problem}; nothing written")
    if ctx.args.out:
        out = Path(ctx.args.out).expanduser()
        data = draft.eml() if out.suffix.lower() == ".eml" else draft.text().encode("utf-8")
        write_private(out, data)
        print(f"Wrote the {draft.template} draft for {site.name} to {out}")
        return 0
    sys.stdout.write(draft.text())
    return 0


WINDOW = re.compile(r"^\s*(\d{1,4})\s*([hdw]?)\s*$", re.I)


def window_hours(text: str) -> int:
    match = WINDOW.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"'{text}' is not a window: give hours, days or weeks, e.g. 24h, 3d or 1w")
    number, unit = int(match.group(1)), (match.group(2) or "h").lower()
    return number * {"h": 1, "d": 24, "w": 168}[unit]


def cmd_remind(ctx: Context) -> int:
    from .core.remind import reminders

    hours = ctx.args.within if ctx.args.within is not None else ctx.rules["outreach_cadence"]["remind_window_hours"]
    found = reminders(ctx.overview(), hours, ctx.rules)
    if ctx.args.json:
        from .cli import _json

        def row(task: Any) -> dict[str, Any]:
            return {
                "due": task.due,
                "kind": task.kind,
                "text": task.text,
                "site_id": task.site_id or None,
                "template": task.template,
                "rule": task.rule,
            }

        _json(
            {
                "as_of": found.today,
                "until": found.until,
                "overdue": [row(t) for t in found.overdue],
                "due": [row(t) for t in found.due],
            }
        )
        return 0
    if not found.overdue and not found.due:
        if not ctx.args.quiet:
            print(f"Nothing overdue, nothing due by {found.until}.")
        return 0
    for task in found.overdue:
        print(f"OVERDUE {task.due}  {task.text}")
    for task in found.due:
        when = "TODAY  " if task.due == found.today else "DUE    "
        print(f"{when} {task.due}  {task.text}")
    return 0


def add_parsers(sub: Any, common: argparse.ArgumentParser, date_type: Any) -> None:
    p = sub.add_parser("templates", parents=[common], help="list the e-mail templates and their placeholders")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_templates)

    p = sub.add_parser("draft", parents=[common], help="print an e-mail draft for a site (imgtui never sends it)")
    p.add_argument("template", metavar="TEMPLATE", help="a template name ('imgtui templates' lists them)")
    p.add_argument("site", metavar="SITE", help="the site's number (#3) or name, or a part only one site's name has")
    p.add_argument("--contact", default=None, metavar="NAME", help='who it goes to, e.g. "Dr. Patel"')
    p.add_argument("--out", default=None, metavar="FILE", help="write it to FILE (.eml: a draft mail programs open)")
    p.set_defaults(func=cmd_draft)

    p = sub.add_parser("remind", parents=[common], help="what is overdue and what falls due soon (for cron)")
    p.add_argument(
        "--within",
        type=window_hours,
        default=None,
        metavar="WINDOW",
        help="how far ahead: hours, days or weeks, e.g. 24h (default), 3d, 1w",
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--quiet", action="store_true", help="print nothing when nothing is due (cron mails only news)")
    p.add_argument("--date", dest="as_of", type=date_type, default=None, metavar="DATE", help="as of DATE")
    p.set_defaults(func=cmd_remind)
