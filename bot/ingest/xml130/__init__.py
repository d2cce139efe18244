"""Insurance-portal XML importer and writer (QĐ 130/QĐ-BYT, amended by QĐ 4750 and QĐ 3176).

`import_paths` streams GIAMDINHHS submissions (files, folders, zips) into the health-record
store, each HOSO all or nothing, a few hundred per transaction; `write_submission` writes
visits as one facility's daily submission. Decisions worth knowing:

- Patients are matched by SO_CCCD, then by a card of MA_THE_BHYT (as written or by its
  10-digit number, among citizen identifiers and card periods), then by MA_BN under the
  identifier system `http://fhir.ehealth.gov.vn/core/sid/patient-internal-id|<MA_CSKCB>`.
  A citizen is created only from a valid CCCD; contradictions reject the HOSO.
- A re-examination paper with a day only (8 characters) is booked at 07:30 Vietnam time.
- KET_QUA_DTRI 5 (died) records the discharge time as the citizen's time of death.
- XML6 (HIV/AIDS) is counted and dropped unread; other unused tables are counted by name.
"""

from bot.ingest.xml130.importer import Xml130Importer, import_paths
from bot.ingest.xml130.records import (
    DrugLine,
    InsuranceCard,
    Moment,
    ReexamAppointment,
    ResultLine,
    ServiceLine,
    VisitSummary,
    Xml130Visit,
)
from bot.ingest.xml130.report import Rejection, Xml130Report
from bot.ingest.xml130.writer import SubmissionWriter, write_submission

__all__ = [
    "DrugLine",
    "InsuranceCard",
    "Moment",
    "ReexamAppointment",
    "Rejection",
    "ResultLine",
    "ServiceLine",
    "SubmissionWriter",
    "VisitSummary",
    "Xml130Importer",
    "Xml130Report",
    "Xml130Visit",
    "import_paths",
    "write_submission",
]
