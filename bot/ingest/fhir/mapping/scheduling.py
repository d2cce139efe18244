"""Appointment -> an appointment."""

from __future__ import annotations

from bot.db.models import Appointment
from bot.ingest.fhir.datatypes import arr, string, texts, to_datetime
from bot.ingest.fhir.errors import EntryError
from bot.ingest.fhir.mapping.context import (
    Draft,
    Lookups,
    MappingContext,
    required_status,
    updated_at,
)
from bot.ingest.fhir.references import Entry, Target
from bot.ingest.store import AppointmentRecord, CitizenRef, FacilityRef

_WITHOUT_START = frozenset({"proposed", "cancelled", "waitlist"})


def map_appointment(entry: Entry, ctx: MappingContext) -> Draft:
    """Appointment -> status, times, facility (Location), practitioner, department, reason."""
    resource, path = entry.resource, "Appointment"
    status = required_status(resource, path)
    if status == "entered-in-error":
        return Draft(entry, withdrawn=[(Appointment, entry.key)])
    citizen: CitizenRef | None = None
    facility: FacilityRef | None = None
    practitioner_target: Target | None = None
    for position, participant in enumerate(arr(resource, "participant", path)):
        target = (
            ctx.target(participant, "actor", f"{path}.participant[{position}]")
            if isinstance(participant, dict)
            else None
        )
        if target is None:
            continue
        if target.type == "Patient" and citizen is None:
            citizen = ctx.citizen_of(target, f"{path}.participant[{position}].actor")
        elif target.type in ("Location", "Organization") and facility is None:
            facility = ctx.facility(target)
        elif target.type in ("Practitioner", "PractitionerRole") and practitioner_target is None:
            practitioner_target = target
    if citizen is None:
        raise EntryError(f"{path}.participant has no Patient")
    start = to_datetime(resource.get("start"), f"{path}.start")
    if start is None:
        if status in _WITHOUT_START:
            return Draft(entry)
        raise EntryError(f"{path}.start is missing")
    record = AppointmentRecord(
        source_key=entry.key,
        citizen=citizen,
        status=status,
        start=start,
        end=to_datetime(resource.get("end"), f"{path}.end"),
        facility=facility,
        department=texts(arr(resource, "serviceType", path))
        or texts(arr(resource, "specialty", path)),
        reason=texts(arr(resource, "reasonCode", path)) or string(resource, "description", path),
        instructions=string(resource, "patientInstruction", path)
        or string(resource, "comment", path),
        source_updated=updated_at(resource, path),
    )
    draft = Draft(entry, [record])
    practitioner = ctx.practitioner(practitioner_target)
    if practitioner is not None:

        def finish(lookups: Lookups) -> None:
            record.practitioner_name = practitioner.resolve(lookups)

        draft.finishers.append(finish)
    return draft
