"""The reminder schedule: one row per reminder, claimed and marked sent exactly once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, BigIntId, UTCDateTime, utcnow


class ReminderDelivery(Base):
    """A reminder of one kind about one object (an appointment, an insurance card).

    The unique (kind, object_id) pair makes a second row for the same reminder impossible;
    `claimed_at` is a lease taken by one bot process with a conditional UPDATE before it
    sends, and `sent_at` is set once the message went out.
    """

    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        UniqueConstraint("kind", "object_id", name="uq_reminder_deliveries_kind_object"),
        Index("ix_reminder_deliveries_pending", "sent_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    object_id: Mapped[int] = mapped_column(BigInteger)
    citizen_id: Mapped[int] = mapped_column(
        ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
