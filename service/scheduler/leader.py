"""Only one worker schedules at a time: a PostgreSQL advisory lock held on its own connection.

The lock lives as long as the connection; when the holder dies, PostgreSQL releases it and the
next worker to try takes over. On SQLite (one process by design) there is nothing to elect.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text

# An arbitrary constant that names "the recwatch scheduler" among advisory locks.
SCHEDULER_LOCK_ID = 0x7265_6377  # "recw"


class SchedulerLease:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None

    def try_acquire(self) -> bool:
        """Take the lock if free; True while we hold it."""
        if self.engine.dialect.name != "postgresql":
            return True
        if self._conn is not None:
            return self._alive()
        conn = self.engine.connect()
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": SCHEDULER_LOCK_ID}).scalar()
        conn.commit()
        if got:
            self._conn = conn
            return True
        conn.close()
        return False

    def _alive(self) -> bool:
        try:
            self._conn.execute(text("SELECT 1"))
            return True
        except Exception:  # connection lost: so is the lock
            self._conn = None
            return False

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": SCHEDULER_LOCK_ID})
                self._conn.commit()
            finally:
                self._conn.close()
                self._conn = None
