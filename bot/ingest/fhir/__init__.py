"""FHIR R4 importer: Bundles and bulk data into the health-record store.

The command line is `healthbot import fhir PATH...` (`cli.py`); the library API is `import_paths`.
"""

from bot.ingest.fhir.importer import import_paths
from bot.ingest.fhir.report import ImportReport, Outcome, Rejection, TypeCounts

__all__ = ["ImportReport", "Outcome", "Rejection", "TypeCounts", "import_paths"]
