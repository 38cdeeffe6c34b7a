"""Child process for the two-writer test: N inserts tagged with a writer name."""

import sys

from imgtui.records import PracticeExam
from imgtui.store import Store


def main() -> None:
    db, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = Store(db)
    for n in range(count):
        store.save(
            PracticeExam.from_input({"form": "NBME 9", "taken": "2026-01-01", "score": 200, "notes": f"{tag}-{n}"})
        )
    store.close()


if __name__ == "__main__":
    main()
