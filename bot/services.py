"""The long-lived objects every handler needs, owned by the application."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.clock import Clock, SystemClock
from bot.db.session import Database
from bot.i18n import Catalogs
from bot.settings import Settings


@dataclass
class Services:
    """Settings, database, clock and catalogs; the database is opened in post_init."""

    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    catalogs: Catalogs = field(default_factory=Catalogs)
    database: Database | None = None

    @property
    def db(self) -> Database:
        """The open database; raises if the application has not been initialised."""
        if self.database is None:
            raise RuntimeError("database not open: the application is not initialised")
        return self.database
