"""Clinical records imported from facilities: visits, diagnoses, results, medicines, ..."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, BigIntId, SourcedMixin, UTCDateTime

CITIZEN_FK = "citizens.id"
FACILITY_FK = "facilities.id"
VISIT_FK = "visits.id"
NO_START, NO_END = "0001-01-01", "9999-12-31"
"""Stand-ins for a card period's missing start and end in its unique index."""


class Visit(SourcedMixin, Base):
    """An encounter at a facility (FHIR Encounter; XML 130 table 1 keyed by MA_LK)."""

    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_citizen_start", "citizen_id", "start"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey(CITIZEN_FK, ondelete="CASCADE"))
    facility_id: Mapped[int | None] = mapped_column(ForeignKey(FACILITY_FK))
    facility_name: Mapped[str | None] = mapped_column(String(255))
    visit_type: Mapped[str | None] = mapped_column(String(64))
    department: Mapped[str | None] = mapped_column(String(255))
    practitioner_name: Mapped[str | None] = mapped_column(String(255))
    start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(255))
    main_diagnosis_code: Mapped[str | None] = mapped_column(String(32))
    main_diagnosis_name: Mapped[str | None] = mapped_column(String(500))
    total_cost: Mapped[int | None] = mapped_column(BigInteger)
    insurance_paid: Mapped[int | None] = mapped_column(BigInteger)
    patient_copay: Mapped[int | None] = mapped_column(BigInteger)
    patient_paid: Mapped[int | None] = mapped_column(BigInteger)
    follow_up_date: Mapped[date | None] = mapped_column(Date)


class Diagnosis(Base):
    """A diagnosis of a visit; `rank` 0 is the main one."""

    __tablename__ = "diagnoses"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey(VISIT_FK, ondelete="CASCADE"), index=True)
    code: Mapped[str | None] = mapped_column(String(32))
    code_system: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(500))
    rank: Mapped[int] = mapped_column(Integer, default=0)


class VisitService(Base):
    """A service or supply billed on a visit (XML 130 table 3)."""

    __tablename__ = "visit_services"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey(VISIT_FK, ondelete="CASCADE"), index=True)
    code: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[float | None] = mapped_column(Float)
    unit_price: Mapped[int | None] = mapped_column(BigInteger)
    total: Mapped[int | None] = mapped_column(BigInteger)
    insurance_paid: Mapped[int | None] = mapped_column(BigInteger)
    performed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Condition(SourcedMixin, Base):
    """A problem-list condition (FHIR Condition)."""

    __tablename__ = "conditions"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey(CITIZEN_FK, ondelete="CASCADE"), index=True)
    facility_id: Mapped[int | None] = mapped_column(ForeignKey(FACILITY_FK))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey(VISIT_FK, ondelete="SET NULL"))
    code: Mapped[str | None] = mapped_column(String(32), index=True)
    code_system: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(500))
    category: Mapped[str | None] = mapped_column(String(32))
    clinical_status: Mapped[str | None] = mapped_column(String(32))
    onset: Mapped[datetime | None] = mapped_column(UTCDateTime())
    abated: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Allergy(SourcedMixin, Base):
    """An allergy or intolerance (FHIR AllergyIntolerance)."""

    __tablename__ = "allergies"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey(CITIZEN_FK, ondelete="CASCADE"), index=True)
    facility_id: Mapped[int | None] = mapped_column(ForeignKey(FACILITY_FK))
    substance: Mapped[str] = mapped_column(String(500))
    category: Mapped[str | None] = mapped_column(String(32))
    criticality: Mapped[str | None] = mapped_column(String(32))
    severity: Mapped[str | None] = mapped_column(String(32))
    reaction: Mapped[str | None] = mapped_column(String(500))
    clinical_status: Mapped[str | None] = mapped_column(String(32))
    recorded: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Immunization(SourcedMixin, Base):
    """A vaccination (FHIR Immunization)."""

    __tablename__ = "immunizations"
    __table_args__ = (Index("ix_immunizations_citizen_date", "citizen_id", "occurred"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey(CITIZEN_FK, ondelete="CASCADE"))
    facility_id: Mapped[int | None] = mapped_column(ForeignKey(FACILITY_FK))
    vaccine_code: Mapped[str | None] = mapped_column(String(64))
    vaccine_name: Mapped[str] = mapped_column(String(500))
    target_disease: Mapped[str | None] = mapped_column(String(255))
    dose_number: Mapped[str | None] = mapped_column(String(32))
    lot_number: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str | None] = mapped_column(String(32))
    occurred: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Medication(SourcedMixin, Base):
    """A prescribed or taken medicine (FHIR MedicationRequest/Statement; XML 130 table 2)."""

    __tablename__ = "medications"
    __table_args__ = (Index("ix_medications_citizen_date", "citizen_id", "authored"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey(CITIZEN_FK, ondelete="CASCADE"))
    facility_id: Mapped[int | None] = mapped_column(ForeignKey(FACILITY_FK))
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey(VISIT_FK, ondelete="CASCADE"), index=True
    )
    code: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(500))
    strength: Mapped[str | None] = mapped_column(String(255))
    route: Mapped[str | None] = mapped_column(String(128))
    dosage: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(64))
    unit_price: Mapped[int | None] = mapped_column(BigInteger)
    total: Mapped[int | None] = mapped_column(BigInteger)
    insurance_paid: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    authored: Mapped[datetime | None] = mapped_column(UTCDateTime())
    prescriber: Mapped[str | None] = mapped_column(String(255))


class Observation(SourcedMixin, Base):
    """A measurement or lab result (FHIR Observation; XML 130 table 4)."""

    __tablename__ = "observations"
    __table_args__ = (
        Index("ix_observations_citizen_code_time", "citizen_id", "code", "effective"),
        Index("ix_observations_citizen_time", "citizen_id", "effective"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey(CITIZEN_FK, ondelete="CASCADE"))
    facility_id: Mapped[int | None] = mapped_column(ForeignKey(FACILITY_FK))
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey(VISIT_FK, ondelete="CASCADE"), index=True
    )
    category: Mapped[str | None] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(64))
    code_system: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(500))
    value_number: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(64))
    reference_low: Mapped[float | None] = mapped_column(Float)
    reference_high: Mapped[float | None] = mapped_column(Float)
    reference_text: Mapped[str | None] = mapped_column(String(255))
    interpretation: Mapped[str | None] = mapped_column(String(16))
    conclusion: Mapped[str | None] = mapped_column(Text)
    effective: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DiagnosticReport(SourcedMixin, Base):
    """A report grouping results, with its conclusion (FHIR DiagnosticReport)."""

    __tablename__ = "diagnostic_reports"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey(CITIZEN_FK, ondelete="CASCADE"), index=True)
    facility_id: Mapped[int | None] = mapped_column(ForeignKey(FACILITY_FK))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey(VISIT_FK, ondelete="CASCADE"))
    code: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(500))
    conclusion: Mapped[str | None] = mapped_column(Text)
    issued: Mapped[datetime | None] = mapped_column(UTCDateTime())
    result_count: Mapped[int | None] = mapped_column(Integer)


class Appointment(SourcedMixin, Base):
    """A booked, past or cancelled appointment (FHIR Appointment; XML 130 table 14)."""

    __tablename__ = "appointments"
    __table_args__ = (
        Index("ix_appointments_citizen_start", "citizen_id", "start"),
        Index("ix_appointments_status_start", "status", "start"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey(CITIZEN_FK, ondelete="CASCADE"))
    facility_id: Mapped[int | None] = mapped_column(ForeignKey(FACILITY_FK))
    status: Mapped[str] = mapped_column(String(32))
    start: Mapped[datetime] = mapped_column(UTCDateTime())
    end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    department: Mapped[str | None] = mapped_column(String(255))
    practitioner_name: Mapped[str | None] = mapped_column(String(255))
    reason: Mapped[str | None] = mapped_column(Text)
    instructions: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_telegram_id: Mapped[int | None] = mapped_column(BigInteger)


class Coverage(SourcedMixin, Base):
    """A health-insurance (BHYT) card period (FHIR Coverage; XML 130 table 1 card fields)."""

    __tablename__ = "coverages"
    __table_args__ = (
        Index("ix_coverages_citizen_valid_to", "citizen_id", "valid_to"),
        Index("ix_coverages_valid_to", "valid_to"),
        Index(
            "uq_coverages_card_period",
            "citizen_id",
            "card_number",
            func.coalesce(text("valid_from"), text(f"'{NO_START}'")),
            func.coalesce(text("valid_to"), text(f"'{NO_END}'")),
            unique=True,
        ),
    )
    """One row per citizen, card number and validity period: the period's missing ends are
    compared as the sentinels (NULLs would otherwise count as distinct)."""

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey(CITIZEN_FK, ondelete="CASCADE"))
    card_number: Mapped[str] = mapped_column(String(32), index=True)
    beneficiary_group: Mapped[str | None] = mapped_column(String(8))
    benefit_level: Mapped[int | None] = mapped_column(Integer)
    benefit_percent: Mapped[int | None] = mapped_column(Integer)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    primary_care_code: Mapped[str | None] = mapped_column(String(16))
    primary_care_name: Mapped[str | None] = mapped_column(String(255))
    five_years_date: Mapped[date | None] = mapped_column(Date)
    copay_exempt_from: Mapped[date | None] = mapped_column(Date)
    residence_area: Mapped[str | None] = mapped_column(String(8))
