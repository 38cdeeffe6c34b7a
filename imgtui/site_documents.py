"""A site's document checklist: one record per item (CV, transcript, immunisations...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from .fields import FieldSpec, Record, ValidationError


@dataclass(slots=True, frozen=True)
class SiteDocument(Record):
    """One item of a site's document checklist (CV, transcript, immunisations...)."""

    TABLE: ClassVar[str] = "documents"
    site_id: int = 0
    name: str = ""
    requested: date | None = None
    sent: date | None = None
    needed: bool = True
    notes: str = ""
    doc_id: int | None = field(default=None, compare=False, repr=False)

    FIELDS: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("site_id", "Site", "int", "the USCE site that asks for it", required=True, minimum=1),
        FieldSpec("name", "Document", "text", "e.g. CV, immunisation records", required=True, maximum=120),
        FieldSpec("requested", "Requested", "date", "date the site asked for it (or you ordered it)"),
        FieldSpec("sent", "Sent", "date", "date you sent it (blank while missing)"),
        FieldSpec("needed", "Needed", "bool", "no: this site does not need it", default=True),
        FieldSpec("notes", "Notes", "text", "", maximum=1000, default=""),
    )

    def describe(self) -> str:
        return f"document {self.name}"

    def check(self) -> None:
        if self.requested and self.sent and self.sent < self.requested:
            raise ValidationError("sent", f"{self.sent} is before it was requested ({self.requested})")
