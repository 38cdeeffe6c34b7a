"""The app's program-list actions: add a program, edit a cell or every field, move its
status on. Each calls one planner use case."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from ..records import Program, Record

if TYPE_CHECKING:
    from .app import ImgtuiApp


class ProgramActions:
    """Mixed into ImgtuiApp."""

    def _app(self) -> ImgtuiApp:
        return cast("ImgtuiApp", self)

    def action_add_program(self) -> None:
        app = self._app()

        def added(record: Record | None) -> None:
            if isinstance(record, Program):
                app.show_added(app._do(lambda: app.planner.add_program(record)), "programs", "#program-sheet")

        app._open_form(
            "New program",
            Program,
            added,
            fields=["name", "city", "state", "kind", "visa", "img_share", "grad_cutoff", "step2_min"],
            initial={"specialty": app.store.profile().specialty},
        )

    def action_edit_program_cell(self, doc_id: int, field: str, anchor: tuple[int, int] | None = None) -> None:
        app = self._app()
        program = app.store.get(Program, int(doc_id))
        if program is None:
            return
        label = Program.spec(field).label

        def reopen(stored: Record) -> None:
            self.action_edit_program_cell(int(doc_id), field)

        def edited(record: Record | None) -> None:
            if isinstance(record, Program):
                app._save_edit(record, program, f"Edited {label.lower()}", reopen)

        app._open_form(f"{program.name}: {label}", Program, edited, fields=[field], base=program, anchor=anchor)

    def action_edit_program(self, doc_id: int) -> None:
        app = self._app()
        if (program := app.store.get(Program, int(doc_id))) is not None:
            app._open_form(f"Edit {program.name}", Program, "Edited program", base=program)

    def action_next_program_status(self, doc_id: int) -> None:
        app = self._app()
        app._do(lambda: app.planner.next_program_status(int(doc_id)))
