"""`healthbot import fhir|xml130 PATH...`: load records from facilities."""

from __future__ import annotations

import argparse
from typing import Any

from bot.ingest.fhir import cli as fhir_cli
from bot.ingest.xml130 import cli as xml130_cli


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `import` with one sub-subcommand per format."""
    parser = subparsers.add_parser("import", help="import health records (FHIR R4 or XML 130)")
    formats = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)
    fhir_cli.add_parser(formats)
    xml130_cli.add_parser(formats)
