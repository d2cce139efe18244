"""One update, one unit of work: the consent gate, the sign-in guard and the record share it.

And the audit entry of a view is committed before the view is sent, also when many users look
at their records at the same moment (on SQLite their audit writes take turns).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from bot.app import services_of
from tests.e2e_record_support import audit_entries, say, signed_in_user, tap_for_edit
from tests.e2e_support import RunningBot

pytestmark = pytest.mark.e2e


def _for_an_update() -> bool:
    """True inside the task processing an update (not the broadcast sender or a job)."""
    task = asyncio.current_task()
    return task is not None and task.get_name().endswith(":process_concurrent_update")


class Counts:
    """Connection checkouts, commits and audit INSERT statements made while processing updates."""

    def __init__(self) -> None:
        self.checkouts = 0
        self.commits = 0
        self.audit_inserts = 0

    def statement(self, _connection: Any, _cursor: Any, sql: str, *_: Any) -> None:
        self.audit_inserts += _for_an_update() and sql.lstrip().upper().startswith("INSERT INTO AUDIT_LOG")

    def checkout(self, *_: Any) -> None:
        self.checkouts += _for_an_update()

    def commit(self, *_: Any) -> None:
        self.commits += _for_an_update()


@contextmanager
def counting(bot: RunningBot) -> Iterator[Counts]:
    """Count what the running bot's own engine does inside the block."""
    assert bot.application is not None
    engine = services_of(bot.application).db.engine.sync_engine
    counts = Counts()
    event.listen(engine.pool, "checkout", counts.checkout)
    event.listen(engine, "commit", counts.commit)
    event.listen(engine, "before_cursor_execute", counts.statement)
    try:
        yield counts
    finally:
        event.remove(engine.pool, "checkout", counts.checkout)
        event.remove(engine, "commit", counts.commit)
        event.remove(engine, "before_cursor_execute", counts.statement)


async def test_a_record_view_uses_one_connection_and_one_commit(running_bot: RunningBot) -> None:
    user, citizen = await signed_in_user(running_bot)
    await say(running_bot, user, "/help")  # the first update of a connection pool warms it up
    with counting(running_bot) as counts:
        [summary] = await say(running_bot, user, "/record")
    assert summary.protect_content and citizen.full_name in (summary.text or "")
    assert (counts.checkouts, counts.commits) == (1, 1)
    assert counts.audit_inserts == 1  # the summary's and the family check's entries together
    views = await audit_entries(running_bot.db, action="view")
    assert [(v.section, v.actor_citizen_id, v.subject_citizen_id, v.outcome) for v in views] == [
        ("record", citizen.id, citizen.id, "success"),
        ("family", citizen.id, citizen.id, "success"),
    ]


async def test_a_pressed_record_button_uses_one_connection_too(running_bot: RunningBot) -> None:
    user, _ = await signed_in_user(running_bot)
    [summary] = await say(running_bot, user, "/record")
    with counting(running_bot) as counts:
        page = await tap_for_edit(running_bot, user, "rec:v:1", summary)
    assert "Visits" in (page.text or "")
    assert (counts.checkouts, counts.commits) == (1, 1)
    sections = [entry.section for entry in await audit_entries(running_bot.db, action="view")]
    assert sections == ["record", "family", "visits"]


async def test_every_view_is_audited_when_many_users_look_at_once(running_bot: RunningBot) -> None:
    people = [await signed_in_user(running_bot) for _ in range(16)]
    replies = await asyncio.gather(*(say(running_bot, user, "/record") for user, _ in people))
    assert all(reply.protect_content for [reply] in replies)
    views = await audit_entries(running_bot.db, action="view", section="record")
    seen = sorted((view.actor_telegram_id, view.subject_citizen_id) for view in views)
    assert seen == sorted((user.id, citizen.id) for user, citizen in people)


async def test_a_user_who_is_not_signed_in_sees_nothing_and_nothing_is_audited(
    running_bot: RunningBot,
) -> None:
    user, _ = await signed_in_user(running_bot, session_length=timedelta(days=-1))
    [answer] = await say(running_bot, user, "/record")
    assert "birth" in (answer.text or "").lower()
    assert await audit_entries(running_bot.db, action="view") == []
