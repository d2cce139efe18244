"""A broadcast's progress message (edited in place), its final report, and `broadcast status`."""

from __future__ import annotations

from collections.abc import Sequence

from bot.broadcast.kinds import BroadcastKind, BroadcastStatus
from bot.broadcast.service import CancelOutcome, Progress
from bot.i18n import N_, Translator
from bot.views.reply import Button, Reply, esc


def kind_name(t: Translator, kind: BroadcastKind) -> str:
    """A broadcast kind in words (short labels carry a context: they could collide)."""
    names = {
        BroadcastKind.NOTICE: t.pgettext("broadcast kind", "Notice"),
        BroadcastKind.CONTACT_ALERT: t.pgettext("broadcast kind", "Contact alert"),
        BroadcastKind.PLACE_ALERT: t.pgettext("broadcast kind", "Place alert"),
    }
    return names[kind]


def status_name(t: Translator, status: BroadcastStatus) -> str:
    """A broadcast status in words."""
    names = {
        BroadcastStatus.SCHEDULED: t.pgettext("broadcast status", "scheduled"),
        BroadcastStatus.SENDING: t.pgettext("broadcast status", "sending"),
        BroadcastStatus.DONE: t.pgettext("broadcast status", "finished"),
        BroadcastStatus.CANCELLED: t.pgettext("broadcast status", "cancelled"),
    }
    return names[status]


_ICONS = {
    BroadcastStatus.SCHEDULED: "🕒",
    BroadcastStatus.SENDING: "📤",
    BroadcastStatus.DONE: "✅",
    BroadcastStatus.CANCELLED: "⛔",
}


def cancel_data(broadcast_id: int) -> str:
    """Callback data of the progress message's cancel button."""
    return f"bc:x:{broadcast_id}"


def progress_lines(t: Translator, state: Progress) -> list[str]:
    """Plain lines: title, counts, rate and times (shared by the bot and the command line)."""
    n = t.format_number
    title = t.gettext("{kind} #{id} — {status}").format(
        kind=kind_name(t, state.kind),
        id=state.broadcast_id,
        status=status_name(t, state.status),
    )
    lines = [f"{_ICONS[state.status]} {title}"]
    lines.append(
        t.gettext(
            "Sent: {sent} · Failed: {failed} · Unreachable: {unreachable} · Pending: {pending}"
        ).format(
            sent=n(state.sent),
            failed=n(state.failed),
            unreachable=n(state.unreachable),
            pending=n(state.pending),
        )
    )
    if state.cancelled:
        lines.append(t.gettext("Not sent (cancelled): {count}").format(count=n(state.cancelled)))
    if state.status is BroadcastStatus.SENDING:
        lines.append(
            t.gettext("Rate: {rate} per second").format(
                rate=t.format_number(state.rate_per_second, 1)
            )
        )
    if state.status is BroadcastStatus.SCHEDULED and state.scheduled_at:
        lines.append(
            t.gettext("Starts at {when}").format(when=t.format_datetime(state.scheduled_at))
        )
    if state.finished_at and state.started_at:
        seconds = max(int((state.finished_at - state.started_at).total_seconds()), 0)
        lines.append(
            t.gettext("Took {minutes} min {seconds} s").format(
                minutes=seconds // 60, seconds=seconds % 60
            )
        )
    return lines


def progress_message(
    t: Translator, state: Progress
) -> tuple[str, Sequence[Sequence[tuple[str, str]]]]:
    """The HTML progress message and its cancel button while the broadcast can still be stopped."""
    lines = [esc(line) for line in progress_lines(t, state)]
    lines[0] = f"<b>{lines[0]}</b>"
    buttons: list[list[tuple[str, str]]] = []
    if state.status in (BroadcastStatus.SCHEDULED, BroadcastStatus.SENDING):
        buttons.append([(t.pgettext("button", "⛔ Stop sending"), cancel_data(state.broadcast_id))])
    return "\n".join(lines), buttons


def progress_reply(t: Translator, state: Progress) -> Reply:
    """The progress message as a reply (the first time it is sent)."""
    text, buttons = progress_message(t, state)
    return Reply(text, [[Button(label, data) for label, data in row] for row in buttons])


CANCEL_ANSWERS = {
    CancelOutcome.CANCELLED: N_("Stopped. Messages not yet sent will not be sent."),
    CancelOutcome.ALREADY_FINISHED: N_("This broadcast has already finished."),
    CancelOutcome.NOT_FOUND: N_("This broadcast does not exist."),
    CancelOutcome.NOT_ALLOWED: N_("Only its author or an administrator can stop this broadcast."),
}


def cancel_answer(t: Translator, outcome: CancelOutcome) -> str:
    """The short answer to the stop button."""
    return t.gettext(CANCEL_ANSWERS[outcome])
