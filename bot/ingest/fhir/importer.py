"""`import_paths`: load FHIR R4 files and folders into the health-record store."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path

from bot.db.session import Database
from bot.ingest.fhir.batch import RunState, import_batch
from bot.ingest.fhir.progress import Progress
from bot.ingest.fhir.report import ImportReport
from bot.ingest.fhir.sources import Batch, discover, read_file
from bot.ingest.store.statistics import StatisticsRefresher

logger = logging.getLogger(__name__)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


async def import_paths(db: Database, paths: Sequence[Path], progress: bool = True) -> ImportReport:
    """Import Bundles and bulk-data files (folders are searched recursively).

    Each bundle is one transaction, rejected whole when an entry is invalid; other files
    still load. `progress` shows a bar when stderr is a terminal, log lines otherwise.
    """
    started = time.monotonic()
    report = ImportReport()
    files, missing = discover(Path(p) for p in paths)
    for rejection in missing:
        report.reject(rejection)
        report.batches_rejected += 1
    run = RunState()
    statistics = StatisticsRefresher(db)
    meter = Progress(sum(_file_size(f) for f in files), enabled=progress)
    try:
        for file in files:
            report.files += 1
            for item in read_file(file):
                if isinstance(item, Batch):
                    await import_batch(db, run, item, report)
                    await statistics.batch_written()
                    meter.advance(item.size_bytes, len(item.entries))
                else:
                    report.reject(item)
                    report.batches_rejected += 1
    finally:
        meter.close()
    report.elapsed_seconds = time.monotonic() - started
    logger.info(
        "FHIR import: %d files, %d resources in %.1f s (%.0f/s), %d batches rejected",
        report.files,
        report.total(),
        report.elapsed_seconds,
        report.resources_per_second,
        report.batches_rejected,
    )
    return report
