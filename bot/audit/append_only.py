"""Database triggers that make `audit_log` append-only (for the Alembic migration).

In a migration's `upgrade()`::

    for statement in append_only_ddl(op.get_bind().dialect.name):
        op.execute(statement)

and `drop_append_only_ddl` in `downgrade()` before the table is dropped. Every UPDATE or
DELETE of an audit row then fails, and so does TRUNCATE on PostgreSQL; inserting still works.
The statements are idempotent. Nothing in the bot ever needs to change an audit row: erasure
on /deletemydata leaves the log alone, as the log is the proof of what was done.
"""

from __future__ import annotations

TABLE = "audit_log"
ERROR_MESSAGE = "audit_log is append-only"

_SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{ERROR_MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{ERROR_MESSAGE}'); END",
]
_SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
]

_POSTGRESQL = [
    f"CREATE OR REPLACE FUNCTION {TABLE}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{ERROR_MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update_delete ON {TABLE}",
    f"CREATE TRIGGER {TABLE}_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse_change()",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse_change()",
]
_POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse_change()",
]


def _pick(dialect: str, sqlite: list[str], postgresql: list[str]) -> list[str]:
    if dialect == "sqlite":
        return list(sqlite)
    if dialect == "postgresql":
        return list(postgresql)
    raise ValueError(f"no append-only triggers for the {dialect!r} dialect")


def append_only_ddl(dialect: str) -> list[str]:
    """The statements that create the append-only triggers for `sqlite` or `postgresql`."""
    return _pick(dialect, _SQLITE, _POSTGRESQL)


def drop_append_only_ddl(dialect: str) -> list[str]:
    """The statements that remove those triggers again (migration downgrade)."""
    return _pick(dialect, _SQLITE_DROP, _POSTGRESQL_DROP)
