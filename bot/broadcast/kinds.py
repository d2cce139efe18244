"""The states and kinds broadcasts, deliveries and alert answers can have."""

from __future__ import annotations

from enum import StrEnum


class BroadcastKind(StrEnum):
    """What a broadcast is; alerts bypass the citizens' mute switch."""

    NOTICE = "notice"
    CONTACT_ALERT = "contact_alert"
    PLACE_ALERT = "place_alert"

    @property
    def is_alert(self) -> bool:
        """True for contact-tracing alerts."""
        return self is not BroadcastKind.NOTICE


class BroadcastStatus(StrEnum):
    """Where a broadcast is in its life."""

    SCHEDULED = "scheduled"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class DeliveryStatus(StrEnum):
    """Where one recipient's message is."""

    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender, under a lease
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"
    CANCELLED = "cancelled"


OPEN_DELIVERY_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


class Unreachable(StrEnum):
    """Why a recipient cannot be reached through the bot."""

    NOT_FOUND = "not_found"  # no citizen with that CCCD
    NOT_LINKED = "not_linked"  # a citizen, but no consented Telegram account
    BLOCKED = "blocked"  # blocked the bot (403)
    CHAT_NOT_FOUND = "chat_not_found"  # 400 chat not found: account deleted
    WITHDRAWN = "withdrawn"  # consent withdrawn or data erased after the broadcast was written


class AlertAnswer(StrEnum):
    """A citizen's answer to an alert; the value is the short code used in callback data."""

    ACKNOWLEDGED = "ack"
    SYMPTOMS = "sym"
    CALL_ME = "call"
    WAS_THERE = "here"
    NOT_THERE = "away"

    @property
    def asks_for_phone(self) -> bool:
        """True when the health team needs to call: the citizen is asked to share their phone."""
        return self in (AlertAnswer.CALL_ME, AlertAnswer.WAS_THERE)


ANSWERS_BY_KIND: dict[BroadcastKind, tuple[AlertAnswer, ...]] = {
    BroadcastKind.NOTICE: (),
    BroadcastKind.CONTACT_ALERT: (
        AlertAnswer.ACKNOWLEDGED,
        AlertAnswer.SYMPTOMS,
        AlertAnswer.CALL_ME,
    ),
    BroadcastKind.PLACE_ALERT: (AlertAnswer.WAS_THERE, AlertAnswer.NOT_THERE),
}
