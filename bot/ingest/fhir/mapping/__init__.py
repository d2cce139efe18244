"""One mapper per imported resource type: FHIR resource -> store records (a `Draft`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.ingest.fhir.mapping.clinical import map_allergy, map_condition, map_immunization
from bot.ingest.fhir.mapping.context import Draft, Lookups, MappingContext
from bot.ingest.fhir.mapping.coverage import map_coverage
from bot.ingest.fhir.mapping.encounters import map_encounter
from bot.ingest.fhir.mapping.medications import map_medication, medication_entry_name
from bot.ingest.fhir.mapping.observations import map_diagnostic_report, map_observation
from bot.ingest.fhir.mapping.people import map_patient, map_practitioner, map_related_person
from bot.ingest.fhir.mapping.places import map_facility
from bot.ingest.fhir.mapping.scheduling import map_appointment
from bot.ingest.fhir.references import Entry

Mapper = Callable[[Entry, MappingContext], Draft]

MAPPERS: Mapping[str, Mapper] = {
    "Organization": map_facility,
    "Location": map_facility,
    "Practitioner": map_practitioner,
    "Patient": map_patient,
    "RelatedPerson": map_related_person,
    "Coverage": map_coverage,
    "Encounter": map_encounter,
    "Condition": map_condition,
    "AllergyIntolerance": map_allergy,
    "Immunization": map_immunization,
    "MedicationRequest": map_medication,
    "MedicationStatement": map_medication,
    "Observation": map_observation,
    "DiagnosticReport": map_diagnostic_report,
    "Appointment": map_appointment,
}

__all__ = ["MAPPERS", "Draft", "Lookups", "Mapper", "MappingContext", "medication_entry_name"]
