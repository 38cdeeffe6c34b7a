"""Child process for the crash-safety test: writes forever, acknowledging each returned write.

Usage: writer.py DB ACKFILE SEED
Each line in ACKFILE is "insert <doc_id> <done>" or "update <doc_id> <done>" written
only after Store.save returned, so the parent knows which changes must survive.
"""

import os
import random
import sys

from imgtui.records import QbankDay
from imgtui.store import Store


def main() -> None:
    db, ack_path, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(seed)
    store = Store(db)
    ids = [d.doc_id for d in store.qbank_days()]
    ack = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    while True:
        if ids and rng.random() < 0.5:
            doc_id = rng.choice(ids)
            day = store.get(QbankDay, doc_id)
            done = rng.randint(1, 900)
            store.save(day.replace(done=done, correct=0))
            os.write(ack, f"update {doc_id} {done}\n".encode())
        else:
            done = rng.randint(1, 900)
            saved = store.save(QbankDay.from_input({"day": "2026-01-01", "done": done, "correct": 0}))
            ids.append(saved.doc_id)
            os.write(ack, f"insert {saved.doc_id} {done}\n".encode())


if __name__ == "__main__":
    main()
