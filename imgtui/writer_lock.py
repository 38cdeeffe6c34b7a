"""The lock that lets one writer at a time change a database: ``<database>.lock``.

On POSIX this is ``fcntl.flock`` on that file, exactly what the filelock package
does there (so the two can hold it against each other). Written out because
importing filelock cost the app 14 ms and 1.1 MB (it brings hashlib, hmac and
OpenSSL's hashes along, for a feature imgtui does not use); measured after the
first frame, where the store is opened. Elsewhere (Windows) filelock does it.
"""

from __future__ import annotations

import os
import time
from typing import Any

RETRY_SECONDS = 0.05


class LockTimeout(Exception):
    """Another process held the lock for longer than the timeout."""


class WriterLock:
    """An exclusive, non-reentrant lock on a file, waited for up to ``timeout`` seconds."""

    def __init__(self, lock_file: str, timeout: float) -> None:
        self.lock_file, self.timeout = lock_file, timeout
        self._fd: int | None = None
        self._fallback: Any = None  # filelock.FileLock where fcntl is missing

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            self._acquire_elsewhere()
            return
        # Private like the database: the lock's name says where it lives.
        fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockTimeout(self.lock_file) from None
                time.sleep(RETRY_SECONDS)
            except BaseException:
                os.close(fd)
                raise
            else:
                self._fd = fd
                return

    def release(self) -> None:
        if self._fallback is not None:  # pragma: no cover - Windows
            self._fallback.release()
            return
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the only descriptor releases the flock

    def _acquire_elsewhere(self) -> None:  # pragma: no cover - Windows
        from filelock import FileLock, Timeout

        self._fallback = self._fallback or FileLock(self.lock_file, timeout=self.timeout)
        try:
            self._fallback.acquire()
        except Timeout:
            raise LockTimeout(self.lock_file) from None
