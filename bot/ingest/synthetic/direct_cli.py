"""`healthbot demo-data --direct`: migrate the database, then load a skewed population into it."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time

from bot.cli.support import configure_logging, redact_url
from bot.db.migrate import upgrade
from bot.db.session import Database
from bot.ingest.synthetic.direct import DirectLoadError, DirectSummary, load_direct
from bot.ingest.synthetic.generator import local_today
from bot.settings import load_settings

logger = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 10.0


class _ProgressLog:
    """Logs how far the load is, at most every ten seconds."""

    def __init__(self) -> None:
        self._started = time.monotonic()
        self._next = self._started + PROGRESS_EVERY_SECONDS

    def __call__(self, written: int, total: int) -> None:
        now = time.monotonic()
        if now < self._next and written < total:
            return
        self._next = now + PROGRESS_EVERY_SECONDS
        rate = written / max(now - self._started, 1e-9)
        logger.info("direct load: %d of %d citizens (%.0f citizens/s)", written, total, rate)


async def _load(url: str, citizens: int, seed: int, args: argparse.Namespace) -> DirectSummary:
    await upgrade(url)
    db = Database(url)
    try:
        return await load_direct(
            db, citizens, seed, today=args.today or local_today(), progress=_ProgressLog()
        )
    finally:
        await db.dispose()


def run_direct(args: argparse.Namespace) -> int:
    """Load `--citizens` citizens into `--database-url` (or DATABASE_URL); 1 if it is not empty."""
    overrides = {"database_url": args.database_url} if args.database_url else {}
    settings = load_settings(**overrides)
    configure_logging(settings.log_level)
    logger.info("direct load into %s", redact_url(settings.database_url))
    try:
        summary = asyncio.run(_load(settings.database_url, args.citizens, args.seed, args))
    except DirectLoadError as error:
        print(f"healthbot demo-data: {error}", file=sys.stderr)
        return 1
    print(summary.line())
    return 0
