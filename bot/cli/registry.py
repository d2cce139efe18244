"""The list of subcommands; each module exposes `add_parser(subparsers)` setting `handler`."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Iterator
from typing import Any

ParserBuilder = Callable[["argparse._SubParsersAction[Any]"], None]

SUBCOMMAND_MODULES = (
    "bot.cli.run",
    "bot.cli.migrate",
    "bot.cli.importing",
    "bot.ingest.synthetic.cli",
    "bot.cli.staff",
    "bot.cli.notice",
    "bot.cli.alert",
    "bot.cli.broadcast",
    "bot.cli.audit",
)


def parser_builders() -> Iterator[ParserBuilder]:
    """Each subcommand module's `add_parser`."""
    for name in SUBCOMMAND_MODULES:
        module = importlib.import_module(name)
        yield module.add_parser
