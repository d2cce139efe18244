"""Write many decoded HOSOs in one transaction, with the result of writing them one by one.

A HOSO's patient is matched against what earlier HOSOs wrote, so a batch is written in
rounds (planned by `rounds.next_round`): each round matches its HOSOs' patients with one
lookup and writes them with one batched statement per table, and the next round looks again.
A batch of different patients, or of a few patients' successive visits, is one round.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain

from sqlalchemy import Table

from bot.db.models import Appointment
from bot.ingest.store import (
    AppointmentRecord,
    Change,
    CitizenRecord,
    CitizenRef,
    CoverageRecord,
    StoreWriter,
    VisitRecord,
    delete_records,
    is_newer,
    prefetch_records,
    table_of,
    upsert_appointments,
    upsert_citizens,
    upsert_coverages,
    upsert_visits,
)
from bot.ingest.store.lookups import (
    CitizenCandidates,
    find_citizen_candidates,
    source_keys_of_citizens,
    visit_owners,
)
from bot.ingest.xml130.codes import DIED
from bot.ingest.xml130.errors import HosoError
from bot.ingest.xml130.mapping import (
    appointment_family,
    appointment_record,
    citizen_record,
    coverage_records,
    visit_key,
    visit_record,
)
from bot.ingest.xml130.matching import PatientMatch, match_patient
from bot.ingest.xml130.patient import PatientKeys
from bot.ingest.xml130.records import Xml130Visit
from bot.ingest.xml130.rounds import Claims, Placed, next_round

APPOINTMENTS: Table = table_of(Appointment)


@dataclass(slots=True)
class PreparedHoso:
    """A decoded, checked HOSO waiting to be written; `sequence` is its place in the run."""

    sequence: int
    label: str
    index: int
    visit: Xml130Visit
    keys: PatientKeys
    stamp: datetime

    @property
    def visit_key(self) -> str:
        """The visit's source key."""
        return visit_key(self.visit.summary)

    @property
    def lines(self) -> int:
        """Rows the HOSO becomes, roughly (bounds a batch's memory)."""
        visit = self.visit
        return 1 + len(visit.drugs) + len(visit.services) + len(visit.results) + len(visit.reexams)


@dataclass(frozen=True, slots=True)
class HosoWritten:
    """What writing one HOSO did."""

    citizen_created: bool
    visit_change: Change
    coverages: int


@dataclass(slots=True)
class BatchOutcome:
    """Per HOSO of a batch: written, or rejected while matching its patient."""

    written: list[tuple[PreparedHoso, HosoWritten]] = field(default_factory=list)
    rejected: list[tuple[PreparedHoso, HosoError]] = field(default_factory=list)


async def write_batch(writer: StoreWriter, hosos: Sequence[PreparedHoso]) -> BatchOutcome:
    """Write `hosos` (in file order) as if one after the other, in as few rounds as that allows.

    Raises the database's error when a statement fails; the caller rolls back and retries
    HOSO by HOSO to find the one at fault.
    """
    outcome = BatchOutcome()
    pending = list(hosos)
    while pending:
        # Look (again): earlier rounds wrote citizens and identifiers these HOSOs may name.
        found = await find_citizen_candidates(writer, [hoso.keys.query() for hoso in pending])
        candidates = {hoso.sequence: f for hoso, f in zip(pending, found, strict=True)}
        claims = {hoso.sequence: _claims(hoso, candidates[hoso.sequence]) for hoso in pending}
        taken, pending = next_round(pending, lambda hoso: claims[hoso.sequence])
        placed = [(item, candidates[item.item.sequence]) for item in taken]
        deferred = await _write_round(writer, placed, outcome)
        pending = sorted([*deferred, *pending], key=lambda hoso: hoso.sequence)
    return outcome


def _claims(hoso: PreparedHoso, found: CitizenCandidates) -> Claims:
    """What a HOSO shares with others (see `rounds`)."""
    keys = hoso.keys
    patient: set[Hashable] = {("card", value) for value in keys.card_lookup_values()}
    if keys.national_id is not None:
        patient.add(("cccd", keys.national_id))
    if keys.patient_number is not None:
        patient.add(("patient number", keys.patient_number))
    patient.update(("citizen", citizen) for citizen in found.citizen_ids())
    identity = (keys.query(), hoso.visit.summary.birth_date)
    return Claims(frozenset(patient), identity, hoso.visit_key)


@dataclass(frozen=True, slots=True)
class _Matched:
    """A HOSO whose patient is decided; only a leader may create the citizen."""

    hoso: PreparedHoso
    match: PatientMatch
    creates_citizen: bool


async def _write_round(
    writer: StoreWriter,
    placed: Sequence[tuple[Placed[PreparedHoso], CitizenCandidates]],
    outcome: BatchOutcome,
) -> list[PreparedHoso]:
    """Match and write a round's HOSOs; returns those to retry in the next round."""
    matched: list[_Matched] = []
    deferred: list[PreparedHoso] = []
    decided: dict[int, PatientMatch | HosoError | None] = {}  # None: to the next round
    chosen: set[int] = set()
    for item, found in placed:
        hoso, leader = item.item, item.leader
        if leader is None:
            decision = _decide(hoso, found, chosen)
        else:  # the same patient as its leader, as the leader found them
            decision = decided[leader.sequence]
        decided[hoso.sequence] = decision
        if decision is None:
            deferred.append(hoso)
        elif isinstance(decision, HosoError):
            outcome.rejected.append((hoso, decision))
        else:
            creates = decision.known is None and leader is None
            matched.append(_Matched(hoso, decision, creates))
    if matched:
        await _write_matched(writer, matched, outcome)
    return deferred


def _decide(
    hoso: PreparedHoso, found: CitizenCandidates, chosen: set[int]
) -> PatientMatch | HosoError | None:
    """Match a leader's patient: a match, a rejection, or None to wait for the next round."""
    try:
        match = match_patient(hoso.keys, found)
    except HosoError as error:
        return error
    if match.known is not None:
        # Leaders name different stored citizens (see `rounds`); should two reach one
        # anyway, the later waits, to be merged into it after the earlier.
        if match.known.id in chosen:
            return None
        chosen.add(match.known.id)
    return match


async def _write_matched(
    writer: StoreWriter, matched: Sequence[_Matched], outcome: BatchOutcome
) -> None:
    """Citizens, card periods, visits with their children, appointments; withdrawn papers."""
    owners = await visit_owners(writer, (item.hoso.visit_key for item in matched))
    citizens = await upsert_citizens(writer, [_citizen(item.hoso, item.match) for item in matched])
    cards: list[list[CoverageRecord]] = []
    papers: list[AppointmentRecord] = []
    visits: list[VisitRecord] = []
    for item in matched:
        hoso, ref = item.hoso, CitizenRef.by_key(item.match.source_key)
        summary = hoso.visit.summary
        cards.append(coverage_records(summary, hoso.keys, ref))
        papers += [
            appointment_record(paper, number, summary, ref, hoso.stamp)
            for number, paper in enumerate(hoso.visit.reexams, start=1)
        ]
        visits.append(visit_record(hoso.visit, ref, hoso.stamp))
    periods = _first_newest(chain.from_iterable(cards))
    children = chain.from_iterable((v.medications or ()) + (v.observations or ()) for v in visits)
    await prefetch_records(writer, chain(periods, visits, children, papers))
    await upsert_coverages(writer, periods)
    written = await upsert_visits(writer, visits)
    await upsert_appointments(writer, papers)
    resubmitted = [
        (appointment_family(item.hoso.visit.summary), {citizens.ids[item.match.source_key], owner})
        for item in matched
        if (owner := owners.get(item.hoso.visit_key)) is not None
    ]
    await _drop_withdrawn_papers(writer, resubmitted, {paper.source_key for paper in papers})
    for item, hoso_cards in zip(matched, cards, strict=True):
        change = written.changes[item.hoso.visit_key]
        written_hoso = HosoWritten(item.creates_citizen, change, len(hoso_cards))
        outcome.written.append((item.hoso, written_hoso))


def _first_newest(periods: Iterable[CoverageRecord]) -> list[CoverageRecord]:
    """One card period per key, as writing them one after the other leaves it: the first of
    the newest (a record replaces a stored one only when strictly newer)."""
    chosen: dict[str, CoverageRecord] = {}
    for period in periods:
        previous = chosen.get(period.source_key)
        if previous is None or is_newer(period.source_updated, previous.source_updated):
            chosen[period.source_key] = period
    return list(chosen.values())


def _citizen(hoso: PreparedHoso, match: PatientMatch) -> CitizenRecord:
    """The patient as the visit gives them; a death at the facility is recorded."""
    summary = hoso.visit.summary
    birth = summary.birth_date
    known = match.known.birth_date if match.known else None
    # An uncertain birth date (0000, 00, 0101) does not replace a stored one of the same year.
    keep_birth_date = (
        birth is not None
        and birth.uncertain
        and known is not None
        and known.year == birth.value.year
    )
    citizen = citizen_record(summary, hoso.keys, match.source_key, keep_birth_date=keep_birth_date)
    if summary.outcome_code == DIED and summary.discharged is not None:
        citizen.deceased_at = summary.discharged
    return citizen


async def _drop_withdrawn_papers(
    writer: StoreWriter, resubmitted: Sequence[tuple[str, set[int]]], kept: set[str]
) -> None:
    """Delete the appointments of earlier versions of resubmitted visits that the new ones lack.

    `resubmitted` holds each visit's appointment key family and the citizens that may own
    its earlier papers (the visit's patient now and before).
    """
    if not resubmitted:
        return
    owners = set().union(*(citizens for _, citizens in resubmitted))
    stored = await source_keys_of_citizens(writer, APPOINTMENTS, owners)
    stale = [
        key
        for family, citizens in resubmitted
        for citizen in citizens
        for key in stored.get(citizen, ())
        if key.startswith(family + "#") and key not in kept
    ]
    await delete_records(writer, Appointment, stale)
