"""What each sign-in step returns; handlers render these, they carry no text of their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeAlias

from bot.identity.birthdate import BirthdateProblem
from bot.identity.cccd import CccdProblem


class Flow(StrEnum):
    """The sign-in conversations kept in `conversation_states.flow`."""

    LOGIN = "login"
    RECHECK = "recheck"


class Step(StrEnum):
    """What a flow waits for (`conversation_states.step`)."""

    AWAIT_ID = "await_id"
    AWAIT_PHONE = "await_phone"
    AWAIT_BIRTHDATE = "await_birthdate"


class ContactRefusal(StrEnum):
    """Why a phone number was not accepted at the phone step."""

    SOMEONE_ELSES_CONTACT = "someone_elses_contact"
    """A forwarded contact, or a contact card of another person."""
    TYPED_PHONE = "typed_phone"
    """The number was typed; only the share-my-phone button proves it is the user's own."""


@dataclass(frozen=True)
class AccountRef:
    """A Telegram account another chat message should go to."""

    telegram_user_id: int
    chat_id: int


@dataclass(frozen=True)
class Prompt:
    """The flow is waiting for `step`: ask for it."""

    flow: Flow
    step: Step


@dataclass(frozen=True)
class ConsentRequired:
    """No consent on record (or an older version): show the consent request first."""


@dataclass(frozen=True)
class OutOfStep:
    """The input does not fit: no sign-in under way, or it waits for something else (`pending`)."""

    pending: Prompt | None


@dataclass(frozen=True)
class IdRejected:
    """The typed ID cannot be a CCCD; the flow still waits for the ID."""

    problem: CccdProblem


@dataclass(frozen=True)
class ContactRefused:
    """The phone was not the user's own shared contact; the flow still waits for it."""

    reason: ContactRefusal


@dataclass(frozen=True)
class BirthdateRejected:
    """The typed date is not usable; the flow still waits for the birth date."""

    problem: BirthdateProblem


@dataclass(frozen=True)
class Locked:
    """Too many failed sign-ins for this account or this ID; the flow is over until `until`."""

    until: datetime


@dataclass(frozen=True)
class SignInFailed:
    """The same answer whatever did not match, and whether or not the ID is known.

    `retry_at` is set when this failure locked the account or the ID. `alert_owner` is the
    account linked to the citizen whose ID was used, to be told that someone failed to sign in
    with it; it must never be shown to the person who failed, as it reveals that the ID exists.
    """

    retry_at: datetime | None
    alert_owner: AccountRef | None


@dataclass(frozen=True)
class SignedIn:
    """The account is linked to `citizen_id` until `expires_at`.

    `displaced` is the account that was linked to this citizen before and has been signed out,
    to be told so.
    """

    citizen_id: int
    expires_at: datetime
    displaced: AccountRef | None


LoginStart: TypeAlias = Prompt | ConsentRequired | Locked
IdResult: TypeAlias = Prompt | OutOfStep | IdRejected | Locked
ContactResult: TypeAlias = Prompt | OutOfStep | ContactRefused
BirthdateResult: TypeAlias = SignedIn | SignInFailed | Locked | OutOfStep | BirthdateRejected
