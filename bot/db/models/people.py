"""Citizens, their identifiers, phones and guardians; facilities and practitioners."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, BigIntId, SourcedMixin, UTCDateTime


class Facility(SourcedMixin, Base):
    """A health facility; `code` is the 5-character insurance facility code (MA_CSKCB)."""

    __tablename__ = "facilities"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    code: Mapped[str | None] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(500))
    district: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(40))


class FacilityIdentifier(Base):
    """Any further identifier of a facility: another source's key or code, a licence number."""

    __tablename__ = "facility_identifiers"
    __table_args__ = (
        UniqueConstraint("system", "value", name="uq_facility_identifiers_system_value"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    facility_id: Mapped[int] = mapped_column(
        ForeignKey("facilities.id", ondelete="CASCADE"), index=True
    )
    system: Mapped[str] = mapped_column(String(255))
    value: Mapped[str] = mapped_column(String(255))


class Practitioner(SourcedMixin, Base):
    """A doctor, nurse or other health worker named on records."""

    __tablename__ = "practitioners"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    code: Mapped[str | None] = mapped_column(String(64), index=True)


class Citizen(SourcedMixin, Base):
    """A person with a health record; `national_id` is the 12-digit CCCD when known."""

    __tablename__ = "citizens"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    national_id: Mapped[str | None] = mapped_column(String(12), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(16), default="unknown")
    blood_type: Mapped[str | None] = mapped_column(String(8))
    address_line: Mapped[str | None] = mapped_column(String(500))
    province: Mapped[str | None] = mapped_column(String(120))
    district: Mapped[str | None] = mapped_column(String(120), index=True)
    commune: Mapped[str | None] = mapped_column(String(120), index=True)
    ethnicity: Mapped[str | None] = mapped_column(String(64))
    deceased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    identifiers: Mapped[list[CitizenIdentifier]] = relationship(
        back_populates="citizen", cascade="all, delete-orphan"
    )
    phones: Mapped[list[CitizenPhone]] = relationship(
        back_populates="citizen", cascade="all, delete-orphan"
    )


class CitizenIdentifier(Base):
    """Any identifier of a citizen: insurance card, facility patient number, foreign IDs."""

    __tablename__ = "citizen_identifiers"
    __table_args__ = (
        UniqueConstraint("system", "value", name="uq_citizen_identifiers_system_value"),
        # Importers look identifiers up by value across systems (the store's entity matching).
        Index("ix_citizen_identifiers_value", "value"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(
        ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    system: Mapped[str] = mapped_column(String(255))
    value: Mapped[str] = mapped_column(String(255))

    citizen: Mapped[Citizen] = relationship(back_populates="identifiers")


class CitizenPhone(Base):
    """A phone number of a citizen, stored in E.164 form (+84...)."""

    __tablename__ = "citizen_phones"
    __table_args__ = (UniqueConstraint("citizen_id", "e164", name="uq_citizen_phones_citizen_e164"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"))
    e164: Mapped[str] = mapped_column(String(32), index=True)

    citizen: Mapped[Citizen] = relationship(back_populates="phones")


class Guardianship(Base):
    """A guardian of a child (FHIR RelatedPerson GUARD, MTH, FTH or PRN)."""

    __tablename__ = "guardianships"
    __table_args__ = (
        UniqueConstraint("guardian_id", "child_id", name="uq_guardianships_guardian_child"),
        Index("ix_guardianships_child", "child_id"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    guardian_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"))
    child_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"))
    relationship_code: Mapped[str] = mapped_column(String(8))
    source_key: Mapped[str | None] = mapped_column(String(255), unique=True)

