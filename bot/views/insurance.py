"""The health-insurance card (/insurance) and the visits it paid for."""

from __future__ import annotations

from bot.i18n import Translator
from bot.records.access import SubjectCitizen
from bot.records.beneficiary_groups import beneficiary_group_name
from bot.records.insurance import (
    CardState,
    CardStatus,
    InsuranceCard,
    InsuranceOverview,
    InsuredVisit,
)
from bot.views.formatting import clip, day, facility, heading, money, name
from bot.views.navigation import back_to_record, with_banner
from bot.views.reply import Reply, esc
from bot.views.split import split_at_items


def card_status_label(t: Translator, status: CardStatus) -> str:
    """`✅ Valid`, `⚠️ Expires in 5 days`, `❌ Expired`, ... (escaped)."""
    days = status.days or 0
    if status.state is CardState.EXPIRING:
        if days == 0:
            return "⚠️ " + esc(t.gettext("Expires today"))
        text = t.ngettext("Expires in {count} day", "Expires in {count} days", days)
        return "⚠️ " + esc(text.format(count=days))
    if status.state is CardState.EXPIRED:
        text = t.ngettext("Expired {count} day ago", "Expired {count} days ago", days)
        return "❌ " + esc(text.format(count=days))
    if status.state is CardState.NOT_YET_VALID:
        text = t.ngettext("Valid in {count} day", "Valid in {count} days", days)
        return "⏳ " + esc(text.format(count=days))
    if status.state is CardState.VALID:
        return "✅ " + esc(t.gettext("Valid"))
    return "❔ " + esc(t.gettext("Validity not recorded"))


def group_label(t: Translator, code: str) -> str:
    """`<b>DN</b> — Employee of an enterprise` (the name translated when the code is known)."""
    group = beneficiary_group_name(code)
    label = f"<b>{esc(code)}</b>"
    return f"{label} — {esc(t.gettext(group))}" if group else label


def _card(t: Translator, card: InsuranceCard) -> list[str]:
    lines = [
        t.gettext("Card number: {number}").format(number=f"<code>{esc(card.card_number)}</code>")
    ]
    if card.beneficiary_group:
        lines.append(
            t.gettext("Beneficiary group: {group}").format(
                group=group_label(t, card.beneficiary_group)
            )
        )
    if card.benefit_percent is not None:
        percent = esc(t.format_percent(card.benefit_percent))
        if card.benefit_level is not None:
            lines.append(
                t.gettext("Benefit level: {level} ({percent})").format(
                    level=card.benefit_level, percent=percent
                )
            )
        else:
            lines.append(t.gettext("Benefit: {percent}").format(percent=percent))
    lines.append(
        t.gettext("Valid: {start} – {end}").format(
            start=day(t, card.valid_from), end=day(t, card.valid_to)
        )
    )
    lines.append(t.gettext("Status: {status}").format(status=card_status_label(t, card.status)))
    if card.primary_care_name or card.primary_care_code:
        place = name(card.primary_care_name or "")
        code = f" <code>{esc(card.primary_care_code)}</code>" if card.primary_care_code else ""
        lines.append(
            t.gettext("Registered primary care: {facility}").format(
                facility=f"{place}{code}".strip()
            )
        )
    if card.five_years_date:
        lines.append(
            t.gettext("Five continuous years of cover since: {date}").format(
                date=day(t, card.five_years_date)
            )
        )
    if card.copay_exempt_from:
        lines.append(
            t.gettext("Exempt from co-payments from: {date}").format(
                date=day(t, card.copay_exempt_from)
            )
        )
    if card.residence_area:
        lines.append(t.gettext("Residence area: {area}").format(area=clip(card.residence_area, 8)))
    return lines


def _visit(t: Translator, visit: InsuredVisit) -> str:
    paid = t.gettext("insurance paid {amount}").format(amount=money(t, visit.insurance_paid))
    text = f"• {day(t, visit.start)} · {facility(t, visit.facility)} — {paid}"
    if visit.total is not None:
        text += " " + t.gettext("of {total}").format(total=money(t, visit.total))
    if visit.patient_paid is not None:
        text += "; " + t.gettext("you paid {amount}").format(amount=money(t, visit.patient_paid))
    return text


def insurance(
    t: Translator, overview: InsuranceOverview, subject: SubjectCitizen | None = None
) -> list[Reply]:
    """The card, its status and the last visits paid by insurance."""
    title = heading("🪪", t.gettext("Health insurance card"))
    if overview.card is None:
        body = esc(t.gettext("No health insurance card is recorded for you."))
    else:
        body = "\n".join(_card(t, overview.card))
    visits_title = heading("🧾", t.gettext("Recent visits paid by insurance"))
    visits = [_visit(t, visit) for visit in overview.visits] or [
        esc(t.gettext("No visits paid by insurance recorded."))
    ]
    header = with_banner(t, subject, f"{title}\n{body}")
    messages = split_at_items(header, ["\n".join([visits_title, *visits])], separator="\n\n")
    last = len(messages) - 1
    return [
        Reply(text, [[back_to_record(t)]] if index == last else [], protect=True)
        for index, text in enumerate(messages)
    ]
