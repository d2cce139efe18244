"""`healthbot import fhir PATH...`: load FHIR R4 bundles and bulk-data files."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.cli.support import bulk_allocation_gc, configure_logging
from bot.db.migrate import upgrade
from bot.db.session import Database
from bot.ingest.fhir.importer import import_paths
from bot.ingest.fhir.report import ImportReport
from bot.settings import load_settings


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `fhir` under `import`."""
    parser = subparsers.add_parser(
        "fhir",
        help="import FHIR R4 Bundles (.json) and bulk data (.ndjson), files or folders",
        description=(
            "Import FHIR R4 Bundles and bulk-data files into the health-record store. Each "
            "bundle is one transaction; an invalid bundle is rejected whole and reported, "
            "the others still load. Exits 1 when anything was rejected."
        ),
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="file or folder")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar or log lines")
    parser.set_defaults(handler=run)


async def _import(url: str, paths: list[Path], progress: bool) -> ImportReport:
    await upgrade(url)
    db = Database(url)
    try:
        return await import_paths(db, paths, progress=progress)
    finally:
        await db.dispose()


def print_report(report: ImportReport) -> None:
    """The summary table on stdout, rejections on stderr."""
    print(report.table())
    print(
        f"{report.files} files, {report.batches_loaded} batches loaded, "
        f"{report.batches_rejected} rejected, {report.elapsed_seconds:.1f} s "
        f"({report.resources_per_second:.0f} resources/s)"
    )
    for rejection in report.rejections:
        print(f"rejected: {rejection}", file=sys.stderr)
    if report.rejections_not_kept:
        print(f"rejected: {report.rejections_not_kept} more not listed", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Migrate the configured database, import, print the summary; 1 when anything was rejected."""
    settings = load_settings()
    configure_logging(settings.log_level)
    with bulk_allocation_gc():
        report = asyncio.run(_import(settings.database_url, list(args.paths), not args.no_progress))
    print_report(report)
    return 0 if report.ok else 1
