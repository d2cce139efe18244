"""The single way importers write the health-record store.

Usage::

    caches = IdCaches()                                   # one per import run
    async with store_transaction(db, caches) as writer:   # one transaction per bundle/file
        await upsert_facilities(writer, [FacilityRecord(...)])
        await upsert_citizens(writer, [CitizenRecord(...)])
        await upsert_visits(writer, [VisitRecord(citizen=CitizenRef.by_key(...), ...)])

Every `upsert_*` is idempotent by `source_key`: a record replaces the stored one only when
its `source_updated` is strictly newer (no stamp counts as oldest), and re-importing the same
data changes nothing. Citizens and facilities are merged instead (see `CitizenRecord`).
Statements are batched: one SELECT to see what is stored and one INSERT ... ON CONFLICT per
call, whatever the number of records. References to unknown rows raise `UnresolvedReference`.
"""

from bot.ingest.store.citizens import (
    require_citizens,
    resolve_citizens,
    set_blood_types,
    upsert_citizens,
    upsert_guardianships,
)
from bot.ingest.store.clinical import (
    ConditionSummary,
    condition_summaries,
    delete_records,
    prefetch_records,
    resolve_visits,
    upsert_allergies,
    upsert_appointments,
    upsert_conditions,
    upsert_diagnostic_reports,
    upsert_immunizations,
    upsert_medications,
    upsert_observations,
    upsert_visits,
)
from bot.ingest.store.coverages import upsert_coverages
from bot.ingest.store.facilities import (
    practitioner_names,
    resolve_facilities,
    upsert_facilities,
    upsert_practitioners,
)
from bot.ingest.store.phones import phone_to_e164
from bot.ingest.store.records import (
    CODE_SYSTEM_ICD10,
    CODE_SYSTEM_LOINC,
    CODE_SYSTEM_SNOMED,
    FACILITY_CODE_SYSTEM,
    INSURANCE_NUMBER_SYSTEM,
    NATIONAL_ID_SYSTEM,
    PATIENT_INTERNAL_ID_SYSTEM,
    SOURCE_KEY_SYSTEM,
    AllergyRecord,
    AppointmentRecord,
    CitizenRecord,
    CitizenRef,
    ConditionRecord,
    CoverageRecord,
    DiagnosisRecord,
    DiagnosticReportRecord,
    FacilityRecord,
    FacilityRef,
    GuardianshipRecord,
    Identifier,
    ImmunizationRecord,
    MedicationRecord,
    ObservationRecord,
    PractitionerRecord,
    VisitRecord,
    VisitServiceRecord,
)
from bot.ingest.store.sourced import prune_key_family
from bot.ingest.store.writer import (
    Change,
    FacilityInfo,
    IdCaches,
    StoreWriter,
    UnresolvedReference,
    UpsertResult,
    is_newer,
    store_transaction,
    table_of,
)

__all__ = [
    "CODE_SYSTEM_ICD10",
    "CODE_SYSTEM_LOINC",
    "CODE_SYSTEM_SNOMED",
    "FACILITY_CODE_SYSTEM",
    "INSURANCE_NUMBER_SYSTEM",
    "NATIONAL_ID_SYSTEM",
    "PATIENT_INTERNAL_ID_SYSTEM",
    "SOURCE_KEY_SYSTEM",
    "AllergyRecord",
    "AppointmentRecord",
    "Change",
    "CitizenRecord",
    "CitizenRef",
    "ConditionRecord",
    "ConditionSummary",
    "CoverageRecord",
    "DiagnosisRecord",
    "DiagnosticReportRecord",
    "FacilityInfo",
    "FacilityRecord",
    "FacilityRef",
    "GuardianshipRecord",
    "IdCaches",
    "Identifier",
    "ImmunizationRecord",
    "MedicationRecord",
    "ObservationRecord",
    "PractitionerRecord",
    "StoreWriter",
    "UnresolvedReference",
    "UpsertResult",
    "VisitRecord",
    "VisitServiceRecord",
    "condition_summaries",
    "delete_records",
    "is_newer",
    "phone_to_e164",
    "practitioner_names",
    "prefetch_records",
    "prune_key_family",
    "require_citizens",
    "resolve_citizens",
    "resolve_facilities",
    "resolve_visits",
    "set_blood_types",
    "store_transaction",
    "table_of",
    "upsert_allergies",
    "upsert_appointments",
    "upsert_citizens",
    "upsert_conditions",
    "upsert_coverages",
    "upsert_diagnostic_reports",
    "upsert_facilities",
    "upsert_guardianships",
    "upsert_immunizations",
    "upsert_medications",
    "upsert_observations",
    "upsert_practitioners",
    "upsert_visits",
]
