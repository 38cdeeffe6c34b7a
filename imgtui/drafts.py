"""E-mail drafts from templates: ``data/templates/NAME.txt``, each overridden by a file of
the same name in the user's config folder (``imgtui templates`` says where).

A template is plain text: a ``Purpose:`` line, a ``Subject:`` line, a blank line, then
the body, with ``{placeholders}`` filled from the profile, the site and the inquiry.
A placeholder with no value is never left blank: the draft shows ``[[...]]`` there
and ``missing`` says which field to fill in. imgtui never sends anything.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote

from .paths import find_data_dir
from .records import Inquiry, Profile, UsceSite, choice_label, clean_text

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


class TemplateError(ValueError):
    """A template that cannot be read or used; the message says which and why."""


@dataclass(frozen=True)
class Template:
    name: str
    purpose: str
    subject: str
    body: str
    path: Path
    overridden: bool = False  # the user's own copy

    def placeholders(self) -> list[str]:
        found: list[str] = []
        for text in (self.subject, self.body):
            for _, name, _, _ in string.Formatter().parse(text):
                if name is not None and name not in found:
                    found.append(name)
        return found


def user_template_dir() -> Path:
    env = os.environ.get("IMGTUI_CONFIG", "").strip()
    if env:
        return Path(env).expanduser() / "templates"
    import platformdirs

    return platformdirs.user_config_path("imgtui") / "templates"


def parse_template(name: str, text: str, path: Path, overridden: bool = False) -> Template:
    head, sep, body = text.replace("\r\n", "\n").partition("\n\n")
    fields: dict[str, str] = {}
    for line in head.splitlines():
        key, colon, value = line.partition(":")
        if colon:
            fields[key.strip().lower()] = value.strip()
    if not sep or "subject" not in fields:
        raise TemplateError(f"{path}: needs a 'Subject:' line, then a blank line, then the body")
    try:  # a stray brace would fail at the first draft: fail when the file is read
        for part in (fields["subject"], body):
            list(string.Formatter().parse(part))
    except ValueError as exc:
        raise TemplateError(f"{path}: {exc} (write {{{{ and }}}} for a literal brace)") from None
    return Template(name, fields.get("purpose", ""), fields["subject"], body.strip("\n") + "\n", path, overridden)


def load_templates(user_dir: Path | None = None) -> dict[str, Template]:
    """The shipped templates, each replaced by the user's copy of the same name; the user's
    other ``.txt`` files are templates too."""
    found: dict[str, Template] = {}
    data = find_data_dir()
    folders = [(data / "templates", False)] if data else []
    folders.append((user_dir or user_template_dir(), True))
    for folder, mine in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.txt")):
            name = path.stem.lower()
            if not NAME.match(name):
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise TemplateError(f"{path}: cannot be read as UTF-8 text ({exc})") from None
            found[name] = parse_template(name, text, path, mine)
    return found


# ---------------------------------------------------------------- values


def long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _step1(p: Profile) -> str | None:
    return {
        "pass": "passed on the first attempt",
        "pass_after_fail": "passed",
        "numeric": f"{p.step1_score}" if p.step1_score else None,
        "fail": None,
        "pending": None,
    }.get(p.step1_status)


def _step2(p: Profile) -> str | None:
    if p.step2_passed and p.step2_score:
        return str(p.step2_score)
    if p.exam_date:
        return f"scheduled for {long_date(p.exam_date)}"
    return None


def _visa(p: Profile) -> str:
    return "no visa needed" if p.visa == "none" else f"I will need a {choice_label(p.visa)} visa"


# Each kind of rotation as an e-mail names it.
ROTATION_WORDS = {
    "core_rotation": "core clerkship rotation",
    "sub_internship": "sub-internship",
    "inpatient_elective": "inpatient elective",
    "observership_inpatient": "inpatient observership",
    "observership_outpatient": "outpatient observership",
    "shadowing": "shadowing opportunity",
    "tele_rotation": "tele-rotation",
    "research": "research position",
}


def _rotation(site: UsceSite) -> str:
    return ROTATION_WORDS.get(site.usce_type) or choice_label(site.usce_type).lower()


def _with_article(label: str) -> str | None:
    if not label:
        return None
    return f"{'an' if label[0].lower() in 'aeiou' else 'a'} {label.lower()}"


def _dates(site: UsceSite) -> str | None:
    if site.start is None:
        return None
    end = site.end
    return f"{long_date(site.start)} to {long_date(end)}" if end else f"from {long_date(site.start)}"


@dataclass(frozen=True)
class Placeholder:
    name: str
    where: str  # the field to fill in when it has no value
    value: Callable[[Profile, UsceSite, Inquiry | None, str], str | None]
    fields: tuple[str, ...] = ()  # "profile.full_name", "site.start": what fills it in

    def __post_init__(self) -> None:
        if not self.fields and self.where.startswith("Profile > "):
            label = self.where.removeprefix("Profile > ")
            found = tuple(f"profile.{s.name}" for s in Profile.FIELDS if s.label == label)
            object.__setattr__(self, "fields", found)


def _text(value: object) -> str | None:
    return None if value in (None, "") else str(value)


PLACEHOLDERS: dict[str, Placeholder] = {
    p.name: p
    for p in (
        Placeholder("my_name", "Profile > Your name", lambda p, s, i, c: _text(p.full_name)),
        Placeholder("my_email", "Profile > Your e-mail", lambda p, s, i, c: _text(p.email)),
        Placeholder("my_phone", "Profile > Your phone", lambda p, s, i, c: _text(p.phone)),
        Placeholder("medical_school", "Profile > Medical school", lambda p, s, i, c: _text(p.medical_school)),
        Placeholder("graduation_year", "Profile > Graduation year", lambda p, s, i, c: _text(p.graduation_year)),
        Placeholder("eras_year", "Profile > ERAS year", lambda p, s, i, c: _text(p.eras_year)),
        Placeholder(
            "target_specialty",
            "Profile > Target specialty",
            lambda p, s, i, c: choice_label(p.specialty) if p.specialty else "",
        ),
        Placeholder(
            "step1",
            "Profile > Step 1 status (or score)",
            lambda p, s, i, c: _step1(p),
            ("profile.step1_status", "profile.step1_score"),
        ),
        Placeholder(
            "step2",
            "Profile > Step 2 CK score or exam date",
            lambda p, s, i, c: _step2(p),
            ("profile.exam_date",),
        ),
        Placeholder("visa", "Profile > Visa need", lambda p, s, i, c: _visa(p)),
        Placeholder("site_name", "the site's Name", lambda p, s, i, c: _text(s.name)),
        Placeholder("site_city", "the site's City/State", lambda p, s, i, c: _text(s.city)),
        Placeholder("site_specialty", "the site's Specialty", lambda p, s, i, c: choice_label(s.specialty)),
        Placeholder("rotation_type", "the site's Type", lambda p, s, i, c: _rotation(s) or None),
        Placeholder("a_rotation_type", "the site's Type", lambda p, s, i, c: _with_article(_rotation(s))),
        Placeholder(
            "start", "the site's Start", lambda p, s, i, c: long_date(s.start) if s.start else None, ("site.start",)
        ),
        Placeholder("weeks", "the site's Weeks", lambda p, s, i, c: _text(s.weeks), ("site.weeks",)),
        Placeholder(
            "dates_wanted", "the site's Start and Weeks", lambda p, s, i, c: _dates(s), ("site.start", "site.weeks")
        ),
        Placeholder("contact_name", "the contact (the inquiry's Contact, or --contact)", lambda p, s, i, c: _text(c)),
        Placeholder(
            "first_sent", "the first inquiry (log it first)", lambda p, s, i, c: long_date(i.sent) if i else None
        ),
        Placeholder("first_subject", "the first inquiry's Subject", lambda p, s, i, c: _text(i.subject) if i else None),
    )
}


@dataclass(frozen=True)
class Missing:
    placeholder: str
    where: str
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{{{self.placeholder}}}: fill in {self.where}"


@dataclass(frozen=True)
class Draft:
    template: str
    to: str
    subject: str
    body: str
    missing: tuple[Missing, ...]
    site_id: int
    inquiry_id: int | None = None
    contact: str = ""
    values: dict[str, str] = field(default_factory=dict, compare=False)  # each placeholder filled

    def fields_to_fill(self, record: str) -> list[str]:
        """The ``record`` ("profile" or "site") fields that would fill the missing placeholders."""
        wanted: list[str] = []
        for missing in self.missing:
            for name in missing.fields:
                kind, _, attr = name.partition(".")
                if kind == record and attr not in wanted:
                    wanted.append(attr)
        return wanted

    def summary(self) -> str:
        """What to fill in, grouped by where (one short paragraph)."""
        profile = [m.where.removeprefix("Profile > ") for m in self.missing if m.where.startswith("Profile > ")]
        site = [m.where.removeprefix("the site's ") for m in self.missing if m.where.startswith("the site's ")]
        other = [f"[[{m.placeholder}]]" for m in self.missing if not m.where.startswith(("Profile > ", "the site's "))]
        parts = []
        if profile:
            parts.append("Profile: " + ", ".join(profile))
        if site:
            parts.append("site: " + ", ".join(site))
        if other:
            parts.append("type over " + ", ".join(other))
        return "; ".join(parts)

    def problem(self) -> str | None:
        if not self.missing:
            return None
        return "no value for " + "; ".join(str(m) for m in self.missing)

    def text(self) -> str:
        """The draft as one text: headers, then the body (for a .txt file)."""
        return f"To: {self.to}\nSubject: {self.subject}\n\n{self.body}"

    def eml(self) -> bytes:
        """An unsent message mail programs open as a draft (X-Unsent)."""
        from email.message import EmailMessage
        from email.policy import SMTP

        message = EmailMessage(policy=SMTP)
        if self.to:
            message["To"] = self.to
        message["Subject"] = self.subject
        message["X-Unsent"] = "1"
        message.set_content(self.body)
        return bytes(message)

    def mailto(self) -> str:
        return f"mailto:{quote(self.to, safe='@')}?subject={quote(self.subject)}&body={quote(self.body)}"


def _mark(name: str) -> str:
    return f"[[{name}]]"


def _fill(text: str, values: dict[str, str]) -> str:
    """Each {name} replaced by its value as it is ({{ and }} are literal braces); unlike
    str.format, no attribute or index look-ups, so a template cannot reach into objects."""
    out = []
    for literal, name, _, _ in string.Formatter().parse(text):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, _mark(name)))
    return "".join(out)


def render(
    template: Template,
    profile: Profile,
    site: UsceSite,
    inquiry: Inquiry | None = None,
    contact: str | None = None,
) -> Draft:
    """The template with every placeholder filled; one without a value is marked and listed."""
    who = contact if contact is not None else (inquiry.contact if inquiry else "")
    values: dict[str, str] = {}
    missing: list[Missing] = []
    for name in template.placeholders():
        known = PLACEHOLDERS.get(name)
        value = known.value(profile, site, inquiry, who) if known else None
        if value is None:
            where = known.where if known else f"nothing: {{{name}}} is not a placeholder imgtui knows ({template.path})"
            missing.append(Missing(name, where, known.fields if known else ()))
            values[name] = _mark(name)
        else:
            values[name] = clean_text(value)  # text is data: no escape sequences in a draft
    subject, body = _fill(template.subject, values), _fill(template.body, values)
    to = (inquiry.email if inquiry and inquiry.email else None) or site.contact_email or ""
    return Draft(
        template.name,
        to,
        subject,
        body,
        tuple(missing),
        site.doc_id or 0,
        inquiry.doc_id if inquiry else None,
        who,
        {k: v for k, v in values.items() if not v.startswith("[[")},
    )
