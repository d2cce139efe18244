"""Translators for every language, and a counter of the SQL statements a view needs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from bot.db.session import Database
from bot.i18n import Catalogs, Translator
from bot.settings import SUPPORTED_LOCALES


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    """The real catalogs (untranslated messages fall back as at runtime)."""
    return Catalogs()


@pytest.fixture(params=SUPPORTED_LOCALES)
def t(request: pytest.FixtureRequest, catalogs: Catalogs) -> Translator:
    """A translator, once per supported language."""
    return catalogs.get(request.param)


class StatementCounter:
    """Counts the statements sent to the database."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args: Any) -> None:
        self.count += 1


@contextmanager
def counting_statements(db: Database) -> Iterator[StatementCounter]:
    """Count every statement the engine executes inside the block."""
    counter = StatementCounter()
    event.listen(db.engine.sync_engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", counter)
