"""The `healthbot` command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from bot.cli import registry


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="healthbot",
        description="Cà Mau health bot: citizens' health records on Telegram.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add_parser in registry.parser_builders():
        add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen subcommand; returns the exit code."""
    os.environ.setdefault("PTB_TIMEDELTA", "true")  # python-telegram-bot 22: durations as timedelta
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except KeyboardInterrupt:
        print("healthbot: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
