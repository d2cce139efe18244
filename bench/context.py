"""What every benchmark of a run shares: where files go, which databases to use, the recorder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bench.databases import BenchDatabase
from bench.report import Recorder

BACKENDS = ("sqlite", "postgresql")


@dataclass(frozen=True, slots=True)
class BenchContext:
    """One run's settings.

    Attributes:
        recorder: Where measurements go.
        run_dir: This run's logs (`bench/results/<run>/`).
        data_dir: Generated data and SQLite files, kept between runs (`bench/results/data/`).
        postgres_admin_url: A PostgreSQL server where `hb_bench_*` databases may be created,
            or None to skip PostgreSQL.
        keep_data: Keep loaded databases for the next run instead of dropping them.
    """

    recorder: Recorder
    run_dir: Path
    data_dir: Path
    postgres_admin_url: str | None
    keep_data: bool = False
    chosen_backends: tuple[str, ...] = BACKENDS
    """The databases asked for (`--backend`); PostgreSQL only with a server."""
    loaded: dict[str, BenchDatabase] = field(default_factory=dict)
    """Databases loaded in this run, by URL: reused by later benchmarks, dropped at the end."""

    @property
    def backends(self) -> tuple[str, ...]:
        """The databases to measure on."""
        return tuple(b for b in self.chosen_backends if b == "sqlite" or self.postgres_admin_url)

    def database(self, backend: str, name: str) -> BenchDatabase:
        """The benchmark database `name` on `backend`."""
        if backend == "sqlite":
            return BenchDatabase.sqlite(self.data_dir, name)
        if self.postgres_admin_url is None:
            raise ValueError("no PostgreSQL server configured")
        return BenchDatabase.postgres(self.postgres_admin_url, name)

    def logs(self, *parts: str) -> Path:
        """A folder for one benchmark's process logs."""
        folder = self.run_dir.joinpath(*parts)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def remember(self, database: BenchDatabase) -> None:
        """Note a database loaded with a population, for reuse later in the run."""
        self.loaded[database.url] = database

    def is_loaded(self, database: BenchDatabase) -> bool:
        """True when this run already loaded the database."""
        return database.url in self.loaded

    async def cleanup(self) -> None:
        """Drop the databases loaded in this run, unless data is kept."""
        if not self.keep_data:
            for database in self.loaded.values():
                await database.drop()
        self.loaded.clear()
