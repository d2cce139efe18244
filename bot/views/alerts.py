"""What citizens read after answering an alert or switching notices, and staff's /alerts."""

from __future__ import annotations

from bot.broadcast.kinds import AlertAnswer
from bot.broadcast.responses import AlertCounts
from bot.i18n import N_, Translator
from bot.views.broadcast_progress import kind_name
from bot.views.reply import Button, Reply, esc

ANSWER_THANKS = {
    AlertAnswer.ACKNOWLEDGED: N_("Thank you. Please follow the advice in the alert."),
    AlertAnswer.SYMPTOMS: N_(
        "Thank you for telling us. Please stay at home, wear a mask and call the health team at the "
        "number in the alert. In an emergency call 115."
    ),
    AlertAnswer.CALL_ME: N_("Thank you. The health team needs your phone number to call you."),
    AlertAnswer.WAS_THERE: N_(
        "Thank you. Please watch your health for 14 days; the health team may want to call you."
    ),
    AlertAnswer.NOT_THERE: N_("Thank you. No further action is needed."),
}
ANSWER_NAMES = {
    AlertAnswer.ACKNOWLEDGED: N_("acknowledged"),
    AlertAnswer.SYMPTOMS: N_("have symptoms"),
    AlertAnswer.CALL_ME: N_("asked for a call"),
    AlertAnswer.WAS_THERE: N_("were there"),
    AlertAnswer.NOT_THERE: N_("were not there"),
}


def phone_sharing_data(delivery_id: int, share: bool) -> str:
    """Callback data of the phone-sharing buttons."""
    return f"alp:{delivery_id}:{'y' if share else 'n'}"


def answer_recorded(t: Translator, answer: AlertAnswer, delivery_id: int) -> Reply:
    """Thanks for the answer; for a call request or presence, ask to share the phone number."""
    text = esc(t.gettext(ANSWER_THANKS[answer]))
    if not answer.asks_for_phone:
        return Reply(text)
    question = t.gettext(
        "May the health team see the phone number on your health record to call you?"
    )
    rows = [
        [
            Button(
                t.pgettext("button", "📞 Yes, share my phone number"),
                phone_sharing_data(delivery_id, True),
            )
        ],
        [
            Button(
                t.pgettext("button", "No, do not share it"), phone_sharing_data(delivery_id, False)
            )
        ],
    ]
    return Reply(f"{text}\n\n{esc(question)}", rows)


def phone_decision(t: Translator, shared: bool) -> Reply:
    """Confirmation of the phone-sharing choice."""
    if shared:
        return Reply(
            t.gettext("Thank you. The health team will call you on the number in your record.")
        )
    return Reply(
        t.gettext(
            "Understood. Your number will not be shared. You can call the health team at the number in the alert."
        )
    )


def not_yours(t: Translator) -> str:
    """A forwarded alert's button pressed by someone else."""
    return t.gettext("This button belongs to a message for someone else.")


def no_longer_valid(t: Translator) -> str:
    """A button of a message that no longer exists."""
    return t.gettext("This button is no longer valid.")


def notices_switched(t: Translator, muted: bool) -> Reply:
    """Confirmation of /notices off or on."""
    if muted:
        return Reply(
            t.gettext(
                "General notices are off. You will still receive contact-tracing alerts and urgent "
                "notices. Send /notices on to turn them back on."
            )
        )
    return Reply(t.gettext("General notices are on. Send /notices off to stop them."))


def notices_usage(t: Translator, muted: bool) -> Reply:
    """/notices without on or off: the current state and how to change it."""
    state = t.gettext("General notices are off.") if muted else t.gettext("General notices are on.")
    return Reply(f"{esc(state)}\n" + esc(t.gettext("Send /notices off or /notices on.")))


def alerts_overview(t: Translator, alerts: list[AlertCounts]) -> Reply:
    """Live counts of the latest alerts, with a CSV export button for each."""
    if not alerts:
        return Reply(t.gettext("No alerts have been sent yet."))
    n = t.format_number
    lines = [t.gettext("<b>Latest alerts</b>")]
    rows = []
    for item in alerts:
        lines.append("")
        lines.append(
            "<b>{}</b> · {}".format(
                esc(
                    t.gettext("{kind} #{id}").format(
                        kind=kind_name(t, item.kind), id=item.broadcast_id
                    )
                ),
                esc(t.format_datetime(item.created_at)),
            )
        )
        lines.append(
            esc(
                t.gettext(
                    "Delivered: {delivered} · Unreachable: {unreachable} · Pending: {pending}"
                ).format(
                    delivered=n(item.delivered),
                    unreachable=n(item.unreachable),
                    pending=n(item.pending),
                )
            )
        )
        answers = ", ".join(
            f"{esc(t.gettext(ANSWER_NAMES[answer]))}: {n(count)}"
            for answer, count in sorted(item.answers.items())
        )
        lines.append(t.gettext("Answers: {answers}").format(answers=answers or "—"))
        lines.append(
            esc(t.gettext("Phone numbers shared: {count}").format(count=n(item.phones_shared)))
        )
        rows.append(
            [
                Button(
                    t.pgettext("button", "⬇️ CSV #{id}").format(id=item.broadcast_id),
                    f"ale:{item.broadcast_id}",
                )
            ]
        )
    return Reply("\n".join(lines), rows)


def export_caption(t: Translator, broadcast_id: int, rows: int) -> str:
    """Caption of the exported CSV."""
    return esc(
        t.gettext("Answers and unreachable contacts of alert #{id}: {rows} rows.").format(
            id=broadcast_id, rows=t.format_number(rows)
        )
    )
