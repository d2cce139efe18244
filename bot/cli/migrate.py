"""`healthbot migrate`: create or upgrade the database schema."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.support import configure_logging, redact_url
from bot.db.migrate import upgrade_blocking
from bot.settings import load_settings


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register the subcommand."""
    parser = subparsers.add_parser("migrate", help="create or upgrade the database schema")
    parser.add_argument("--revision", default="head", help="target revision (default: head)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Upgrade the configured database."""
    settings = load_settings()
    configure_logging(settings.log_level)
    upgrade_blocking(settings.database_url, args.revision)
    print(f"healthbot: database {redact_url(settings.database_url)} is at revision {args.revision}")
    return 0
