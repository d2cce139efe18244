"""Chat-side state: Telegram accounts, consent, conversations, sign-in throttling, audit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, BigIntId, UTCDateTime, utcnow


class TelegramAccount(Base):
    """A Telegram user who has talked to the bot, and the citizen it is linked to."""

    __tablename__ = "telegram_accounts"

    telegram_user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str | None] = mapped_column(String(8))
    telegram_language_code: Mapped[str | None] = mapped_column(String(16))
    consent_version: Mapped[str | None] = mapped_column(String(16))
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    citizen_id: Mapped[int | None] = mapped_column(
        ForeignKey("citizens.id", ondelete="SET NULL"), unique=True
    )
    linked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    link_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acting_for_citizen_id: Mapped[int | None] = mapped_column(
        ForeignKey("citizens.id", ondelete="SET NULL")
    )
    reminders_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    notices_muted: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ConversationState(Base):
    """Where a user is in a multi-step conversation; kept in the database to survive restarts."""

    __tablename__ = "conversation_states"

    telegram_user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SignInAttempt(Base):
    """One sign-in attempt; `national_id_hash` is a salted hash, never the ID itself."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        Index("ix_sign_in_attempts_user_time", "telegram_user_id", "attempted_at"),
        Index("ix_sign_in_attempts_id_time", "national_id_hash", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger)
    national_id_hash: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    failed_factor: Mapped[str | None] = mapped_column(String(32))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SignInLock(Base):
    """A lock on a Telegram account or a national ID after too many failed sign-ins."""

    __tablename__ = "sign_in_locks"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    locked_until: Mapped[datetime] = mapped_column(UTCDateTime())
    level: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """An append-only access-log entry: sign-ins, record views, broadcasts, staff actions."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_subject_time", "subject_citizen_id", "at"),
        Index("ix_audit_log_actor_time", "actor_telegram_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_citizen_id: Mapped[int | None] = mapped_column(BigInteger)
    subject_citizen_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(64))
    section: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
