"""Command line: launch the app, or log and report from a shell.

Exit status: 0 on success, 2 on bad input (one line on stderr saying what is
wrong and how to fix it; nothing written).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from . import DATE_RULE, RELATIVE_DAYS, __version__, records
from .cli_outreach import OutreachError
from .core.advice import SEVERITY, counted
from .core.overview import Overview
from .core.rules import Rules, RulesError, default_rules
from .drafts import TemplateError
from .planner import Planner
from .records import Profile, ValidationErrors
from .report_json import advice_json, decision_json, today_json
from .store import Store, StoreError


class UserError(Exception):
    """Bad input from the command line; the message says how to fix it."""


class DaysFromToday(int):
    """A --date given as a word of RELATIVE_DAYS ('--date yesterday'): resolved once today
    is known (--today may move it)."""


def _date(text: str) -> date:
    offset = RELATIVE_DAYS.get(text.strip().lower())
    if offset is not None:
        return DaysFromToday(offset)  # type: ignore[return-value]  # parse() turns it into a date
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return records.parse_date(text, "--date")
    except records.ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _validation_line(exc: ValidationErrors) -> str:
    return f"{exc}; nothing was written"  # str() already reads "field: message; field: message"


# ---------------------------------------------------------------- context


class Context:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        # "As of" commands (today, decision, advice, export-ics) move the clock with --date;
        # for the log commands --date is the day of the event, checked against today.
        self.today: date = getattr(args, "as_of", None) or getattr(args, "today", None) or date.today()
        self._planner: Planner | None = None

    @property
    def rules(self) -> Rules:
        return default_rules()  # read once per process (cached there)

    @property
    def planner(self) -> Planner:
        if self._planner is None:
            store = Store(db_path(self.args))
            for notice in store.notices:
                print(f"imgtui: note: {notice}", file=sys.stderr)
            self._planner = Planner(store, self.rules, self.today)
        return self._planner

    @property
    def store(self) -> Store:
        return self.planner.store

    def overview(self) -> Overview:
        return self.planner.overview()


def db_path(args: argparse.Namespace) -> Path | None:
    if getattr(args, "demo", False):
        if getattr(args, "demo_path", None) is None:  # one temporary copy per run
            from .demo import demo_copy

            args.demo_path = demo_copy(getattr(args, "today", None) or date.today())
        path: Path = args.demo_path
        return path
    return Path(args.db).expanduser() if getattr(args, "db", None) else None


def _json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=lambda v: v.isoformat() if isinstance(v, date) else str(v)))


STDIO = "-"  # as a FILE: standard output (exports) or standard input (import)

# The tables import-csv and export-csv know: records.RECORD_KINDS (a test holds them equal),
# named here so that building the parser imports no records.
CSV_KINDS = ("sites", "inquiries", "exams", "qbank", "letters", "documents", "programs")
DB_HELP = "database file (default: $IMGTUI_DB or your user data folder)"
MARKS = {name: severity.mark for name, severity in SEVERITY.items()}


# ---------------------------------------------------------------- commands


def cmd_log_exam(ctx: Context) -> int:
    args = ctx.args
    try:
        values = {"form": args.form, "score": args.score, "taken": args.date or ctx.today, "notes": args.notes or ""}
        saved = ctx.planner.log_exam({**values, "scale": args.scale} if args.scale else values)
    except ValidationErrors as exc:
        raise UserError(_validation_line(exc)) from None
    decision = ctx.overview().decision
    top = decision.top_reasons(1)
    why = f" ({top[0].message})" if top else ""
    print(
        f"Logged {saved.form} {saved.display('score')} on {saved.taken} (#{saved.doc_id}). "
        f"Verdict: {decision.label}{why}"
    )
    return 0


def cmd_log_qbank(ctx: Context) -> int:
    args = ctx.args
    try:
        saved = ctx.planner.log_qbank(
            {"done": args.done, "correct": args.correct, "mode": args.mode, "day": args.date or ctx.today}
        )
    except ValidationErrors as exc:
        raise UserError(_validation_line(exc)) from None
    ov = ctx.overview()
    target = ""
    if ov.catchup is not None and saved.day == ctx.today and ctx.today in ov.catchup.daily:
        target = f" Today's target: {ov.catchup.today_target} ({ov.catchup.done_today} logged today)."
    print(
        f"Logged {saved.done} questions, {saved.correct} correct ({saved.percent:.0f}%), "
        f"{records.choice_label(saved.mode)}, on {saved.day} (#{saved.doc_id}).{target}"
    )
    return 0


def cmd_today(ctx: Context) -> int:
    ov = ctx.overview()
    if ctx.args.json:
        _json(today_json(ov))
        return 0
    print(f"imgtui - today {ov.today} - {ctx.store.path}")
    for item in ov.items:
        rule = f"  <{item.rule}>" if item.rule else ""
        indent = "    " if item.kind == "reason" else ""  # reasons sit under their verdict
        print(f"{MARKS[item.severity]} {indent}{item.text}{rule}")
    return 0


def cmd_decision(ctx: Context) -> int:
    ov = ctx.overview()
    if ctx.args.json:
        _json(decision_json(ov))
        return 0
    dec = ov.decision
    exam = ov.snapshot.profile.exam_date or "not set"
    print(f"Verdict on {ov.today}: {dec.label} ({ov.target.shown}, exam {exam})")
    for reason in dec.reasons:
        print(f"{MARKS[reason.severity]} {reason.message}  <{reason.cite}>")
    if dec.suggested_exam_date:
        print(f"Suggested exam date: {dec.suggested_exam_date}")
    for option in dec.options:
        print(f"Option: {option}")
    if dec.to_go:
        print(f"To turn {dec.label} into GO:")
        for step in dec.to_go:
            print(f"  - {step.message}" + (f" by {step.by}" if step.by else ""))
    return 0


def cmd_advice(ctx: Context) -> int:
    ov = ctx.overview()
    data = advice_json(ov, ctx.rules)
    if ctx.args.json:
        _json(data)
        return 0
    print(f"Standing advice on {ov.today}")
    for reason in ov.target.reasons:
        print(f"{MARKS[reason.severity]} {reason.message}  <{reason.cite}>")
    if ov.band is not None:  # with no target yet, the first target line says how to choose one
        override = " (your override)" if ov.target.overridden else ""
        target = f"Target {ov.target.score}{override}: " if ov.target.score is not None else ""
        print(f"[  ] {target}{ov.band.message}  <{ov.band.cite}>")
    for advice in ov.usce.advice:
        print(f"{MARKS[advice.severity]} {advice.message}  <{advice.cite}>")
    if ov.outreach:
        print(f"{MARKS[ov.outreach.severity]} {ov.outreach.message}  <{ov.outreach.cite}>")
    print(f"[  ] {ov.programs.message}  <{ov.programs.cite}>")
    for note in ov.plan.notes if ov.plan else ():
        print(f"{MARKS[note.severity]} {note.message}  <{note.cite}>")
    return 0


def profile_dict(profile: Profile) -> dict[str, Any]:
    return {name: getattr(profile, name) for name in records.Profile.field_names()}


def cmd_profile(ctx: Context) -> int:
    args = ctx.args
    action = args.action
    if action == "fields":
        for spec in records.Profile.FIELDS:
            print(f"{spec.name}: {spec.label} - {spec.help}. Accepts {spec.accepted()}.")
        return 0
    if action == "set":
        if not args.assignments:
            raise UserError("profile set needs FIELD=VALUE pairs, e.g. profile set exam_date=2027-03-01")
        values: dict[str, str] = {}
        for pair in args.assignments:
            if "=" not in pair:
                raise UserError(f"{pair!r} is not FIELD=VALUE; e.g. specialty=internal_medicine")
            name, value = pair.split("=", 1)
            values[name.strip()] = value
        try:
            profile = ctx.planner.update_profile(values, "Edit profile (command line)")  # exam_date=tomorrow too
        except ValidationErrors as exc:
            raise UserError(_validation_line(exc)) from None
        print("Saved: " + ", ".join(f"{k}={profile.display(k)}" for k in values))
        return 0
    if action is not None:
        raise UserError(f"unknown profile action {action!r}; use: profile, profile set, profile fields")
    profile = ctx.store.profile()
    if args.json:
        _json(profile_dict(profile))
        return 0
    for spec in records.Profile.FIELDS:
        print(f"{spec.name:<20} {profile.display(spec.name)}")
    return 0


def _to_stdout(text: str, count: int, noun: str, of: str = "") -> None:
    """An export on standard output ('imgtui export-csv sites - | ...'): the count goes
    to stderr, so the output stays pure CSV or iCalendar."""
    sys.stdout.write(text)
    print(f"Wrote {counted(count, noun)}{of} to standard output", file=sys.stderr)


def cmd_export_csv(ctx: Context) -> int:
    from .csvio import csv_text, export_csv

    formulas = ctx.args.allow_formulas
    if ctx.args.file == STDIO:
        _to_stdout(*csv_text(ctx.store, ctx.args.kind, formulas), "row", f" of {ctx.args.kind}")
        return 0
    count = export_csv(ctx.store, ctx.args.kind, Path(ctx.args.file), formulas)
    print(f"Wrote {counted(count, 'row')} of {ctx.args.kind} to {ctx.args.file}")
    return 0


def cmd_import_csv(ctx: Context) -> int:
    raw = None
    if ctx.args.file == STDIO:
        path, raw = Path("standard input"), sys.stdin.buffer.read()
    else:
        path = Path(ctx.args.file)
        if not path.exists():
            raise UserError(f"{path} does not exist; give the path of a CSV file (or - for standard input)")
    report = ctx.planner.import_csv(
        ctx.args.kind,
        path,
        dry_run=ctx.args.dry_run,
        skip_bad=ctx.args.skip_bad,
        clear_blanks=ctx.args.clear_blanks,
        raw=raw,
    )
    for line in report.lines():
        print(line)
    if report.problems and not ctx.args.skip_bad:
        first = report.problems[0]
        raise UserError(f"{path}: {counted(len(report.problems), 'problem')}, first at {first}; nothing was imported")
    return 0


def cmd_export_ics(ctx: Context) -> int:
    from .ics import export_ics, ics_text

    if ctx.args.file == STDIO:
        _to_stdout(*ics_text(ctx.overview(), ctx.rules, ctx.store.calendar_id()), "event")
        return 0
    count = export_ics(ctx.overview(), ctx.rules, ctx.store.calendar_id(), Path(ctx.args.file))
    print(f"Wrote {counted(count, 'event')} to {ctx.args.file}")
    return 0


def cmd_app(ctx: Context) -> int:
    from .paths import default_db_path
    from .ui.launch import run_app, run_what_if

    db, today = db_path(ctx.args) or default_db_path(), ctx.args.today
    if today is not None and today != date.today() and not ctx.args.demo:
        return run_what_if(db, today)  # a planning what-if: on a copy, never the user's file
    return run_app(db, today=today)


# ---------------------------------------------------------------- parser


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments get one line on stderr (what is wrong, where to look) and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"imgtui: error: {message} (see '{self.prog} --help')\n")


def app_parser() -> argparse.ArgumentParser:
    """The options of launching the app (the whole parser adds the commands to them)."""
    parser = OneLineParser(
        prog="imgtui",
        description="Step 2 CK and USCE planner for international medical graduates.",
        epilog=DATE_RULE + "; --date and --today also take today, yesterday or tomorrow.",
    )
    parser.add_argument("--db", default=None, metavar="PATH", help=DB_HELP)
    parser.add_argument(
        "--demo", action="store_true", help="open a temporary copy of the demo database (never your own file)"
    )
    parser.add_argument(
        "--today",
        type=_date,
        default=None,
        metavar="DATE",
        help="pretend today is DATE: the app then runs on a temporary copy (a what-if never changes your data); "
        "commands use it as the as-of date, and never store an event after the real date",
    )
    parser.set_defaults(func=cmd_app)
    return parser


def build_parser() -> argparse.ArgumentParser:
    common = OneLineParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="PATH",
        help=DB_HELP,
    )
    parser = app_parser()
    parser.add_argument("--version", action="version", version=f"imgtui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)

    p = sub.add_parser("log-exam", parents=[common], help="log a practice exam score")
    p.add_argument("form", metavar="FORM", help='e.g. "NBME 12", UWSA2, "Free 120", "AMBOSS SA"')
    p.add_argument("score", metavar="SCORE", help="three-digit score, or a percentage for Free 120")
    p.add_argument(
        "--date",
        type=_date,
        default=None,
        metavar="DATE",
        help="day taken, e.g. 2026-11-21 or yesterday (default today)",
    )
    p.add_argument("--notes", default="", help="per-system notes")
    p.add_argument(
        "--scale",
        default=None,
        help="three-digit or percent, for a form imgtui does not know (it is then kept out of the prediction)",
    )
    p.set_defaults(func=cmd_log_exam)

    p = sub.add_parser("log-qbank", parents=[common], help="log a question-bank day")
    p.add_argument("done", metavar="DONE")
    p.add_argument("correct", metavar="CORRECT")
    p.add_argument("--mode", default="timed-random", help="timed-random (default), timed-system or tutor")
    p.add_argument(
        "--date",
        type=_date,
        default=None,
        metavar="DATE",
        help="day of the block, e.g. 2026-11-21 or yesterday (default today)",
    )
    p.set_defaults(func=cmd_log_qbank)

    for name, func, helptext in (
        ("today", cmd_today, "what today asks for"),
        ("decision", cmd_decision, "go / delay verdict with its reasons"),
        ("advice", cmd_advice, "all standing advice with its rules"),
    ):
        p = sub.add_parser(name, parents=[common], help=helptext)
        p.add_argument(
            "--date", dest="as_of", type=_date, default=None, metavar="DATE", help="as of DATE (default today)"
        )
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=func)

    p = sub.add_parser("profile", parents=[common], help="show or change the profile")
    p.add_argument("action", nargs="?", choices=["set", "fields"], default=None)
    p.add_argument("assignments", nargs="*", metavar="FIELD=VALUE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_profile)

    p = sub.add_parser("export-csv", parents=[common], help="write a table as CSV")
    p.add_argument("kind", choices=CSV_KINDS)
    p.add_argument("file", help="the CSV file to write, or - for standard output")
    p.add_argument(
        "--allow-formulas",
        action="store_true",
        help="write cells starting with = + - @ as they are (by default a leading ' stops a spreadsheet running them)",
    )
    p.set_defaults(func=cmd_export_csv)

    p = sub.add_parser("import-csv", parents=[common], help="read a table from CSV (validated first)")
    p.add_argument("kind", choices=CSV_KINDS)
    p.add_argument("file", help="the CSV file to read, or - for standard input")
    p.add_argument("--dry-run", action="store_true", help="report what would happen; write nothing")
    p.add_argument("--skip-bad", action="store_true", help="import the good rows even if some are bad")
    p.add_argument(
        "--clear-blanks",
        action="store_true",
        help="a blank cell clears that field of a record already stored (by default it is left as it is)",
    )
    p.set_defaults(func=cmd_import_csv)

    p = sub.add_parser("export-ics", parents=[common], help="write the plan, rotations and follow-ups as a calendar")
    p.add_argument("file", help="the .ics file to write, or - for standard output")
    p.add_argument("--date", dest="as_of", type=_date, default=None, metavar="DATE", help="as of DATE (default today)")
    p.set_defaults(func=cmd_export_ics)

    from .cli_outreach import add_parsers

    add_parsers(sub, common, _date)
    return parser


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    return _days_from_words(build_parser().parse_args(argv))


def _days_from_words(args: argparse.Namespace) -> argparse.Namespace:
    """'--today tomorrow' counts from the real day; '--date yesterday' from --today's."""
    today = getattr(args, "today", None)
    if isinstance(today, DaysFromToday):
        args.today = date.today() + timedelta(days=today)
    for name in ("date", "as_of"):
        value = getattr(args, name, None)
        if isinstance(value, DaysFromToday):
            setattr(args, name, (args.today or date.today()) + timedelta(days=value))
    return args


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parse(argv)
    except SystemExit as exc:  # --help, --version, or a one-line usage error
        return int(exc.code or 0)
    ctx = Context(args)
    try:
        return int(args.func(ctx) or 0)
    except ValidationErrors as exc:
        print(f"imgtui: error: {_validation_line(exc)}", file=sys.stderr)
        return 2
    except (UserError, StoreError, RulesError, OutreachError, TemplateError) as exc:
        print(f"imgtui: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # a reader that closed early (`imgtui today | head -1`): not an error
        # Point stdout at nothing: the interpreter's last flush would fail again on exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # unreadable or unwritable files named on the command line
        print(f"imgtui: error: {exc.filename or 'a file'}: {exc.strerror}", file=sys.stderr)
        return 2
    finally:
        if ctx._planner is not None:
            if ctx._planner.calendar_problem:
                print(f"imgtui: note: {ctx._planner.calendar_problem}", file=sys.stderr)
            ctx._planner.store.close()
        if getattr(args, "demo_path", None) is not None:  # the demo copy is thrown away
            import shutil  # only here: it imports the compression modules

            shutil.rmtree(args.demo_path.parent, ignore_errors=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
