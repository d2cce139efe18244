"""Sign-in fixtures: a fake clock, the policy, the service, and a store with append-only audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.audit.append_only import append_only_ddl
from bot.db.session import Database
from bot.signin import SignInPolicy, SignInService

START = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
SALT = "test-salt"


class FakeClock:
    """A clock that only moves when told."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move forward by a `timedelta(**delta)`."""
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    """Starts at 2026-03-01 02:00 UTC."""
    return FakeClock()


@pytest.fixture
def policy() -> SignInPolicy:
    """The default limits with a test salt."""
    return SignInPolicy(identifier_salt=SALT, session_days=30)


@pytest.fixture
def service(policy: SignInPolicy, clock: FakeClock) -> SignInService:
    """The sign-in service on the fake clock."""
    return SignInService(policy, clock)


@pytest.fixture
async def store(db: Database) -> Database:
    """The test database with the audit log made append-only, as in production."""
    async with db.engine.begin() as connection:
        for statement in append_only_ddl(db.dialect):
            await connection.execute(text(statement))
    return db
