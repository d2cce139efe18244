"""Visits: a paged list (five a page, newest first) and one visit in detail."""

from __future__ import annotations

from bot.i18n import Translator
from bot.records.access import SubjectCitizen
from bot.records.callbacks import CallbackAction
from bot.records.common import Page
from bot.records.medications import MedicationItem
from bot.records.visits import DiagnosisItem, ServiceItem, VisitCosts, VisitDetail, VisitItem
from bot.views.formatting import (
    clip,
    day,
    department,
    diagnosis_name,
    facility,
    heading,
    money,
    name,
    number,
    page_heading,
    result_line,
    route,
    with_buttons,
)
from bot.views.navigation import back_to_record, button, pager, with_banner
from bot.views.record import medication_title, visit_line
from bot.views.reply import Reply, esc
from bot.views.split import split_at_items


def _visit_item(t: Translator, position: int, item: VisitItem) -> str:
    lines = [f"{position}. {visit_line(t, item)}"]
    department_line = department(t, item.department)
    if department_line:
        lines.append("   " + department_line)
    return "\n".join(lines)


def visits_page(
    t: Translator, page: Page[VisitItem], subject: SubjectCitizen | None = None
) -> Reply:
    """One page of visits with a details button for each and previous/next buttons.

    The handler edits the same message when a page button is pressed.
    """
    title = page_heading(t, "📋", t.gettext("Visits"), page.number, page.pages)
    if not page.items:
        text = with_banner(t, subject, f"{title}\n\n{esc(t.gettext('No visits recorded.'))}")
        return Reply(text, [[back_to_record(t)]], protect=True)
    first = (page.number - 1) * page.size + 1
    items = [_visit_item(t, first + index, item) for index, item in enumerate(page.items)]
    text = with_banner(t, subject, title + "\n\n" + "\n\n".join(items))
    detail_buttons = [
        [
            button(
                t.pgettext("button", "🔎 {number}. {date}").format(
                    number=first + index, date=t.format_date(item.start) if item.start else "—"
                ),
                CallbackAction.VISIT,
                item.visit_id,
            )
        ]
        for index, item in enumerate(page.items)
    ]
    navigation = pager(t, CallbackAction.VISITS, page)
    rows = detail_buttons + ([navigation] if navigation else []) + [[back_to_record(t)]]
    return Reply(text, rows, protect=True)


def _diagnosis(t: Translator, item: DiagnosisItem) -> str:
    code = f" <code>{esc(item.code)}</code>" if item.code else ""
    main = f" ({esc(t.pgettext('diagnosis', 'main'))})" if item.main else ""
    return f"• {diagnosis_name(t, item.icd10, item.name)}{code}{main}"


def _medication(t: Translator, item: MedicationItem) -> str:
    parts = [f"• {medication_title(item)}"]
    if item.dosage:
        parts.append(clip(item.dosage, 200))
    how = route(t, item.route)
    if how:
        parts.append(how)
    if item.quantity is not None:
        unit = f" {clip(item.unit, 30)}" if item.unit else ""
        parts.append(
            t.gettext("quantity {quantity}").format(quantity=number(t, item.quantity) + unit)
        )
    return " — ".join(parts)


def _service(t: Translator, item: ServiceItem) -> str:
    text = f"• {name(item.name)}"
    if item.quantity is not None and item.quantity != 1:
        text += f" × {number(t, item.quantity)}"
    if item.total is not None:
        text += f" — {money(t, item.total)}"
    return text


def _costs(t: Translator, costs: VisitCosts) -> list[str]:
    lines = [heading("💰", t.gettext("Costs"))]
    if not costs.known:
        return [*lines, esc(t.gettext("No costs recorded."))]
    lines.append(t.gettext("Total: {amount}").format(amount=money(t, costs.total)))
    lines.append(
        t.gettext("Paid by insurance: {amount}").format(amount=money(t, costs.insurance_paid))
    )
    if costs.patient_copay is not None:
        lines.append(t.gettext("Co-payment: {amount}").format(amount=money(t, costs.patient_copay)))
    lines.append(
        t.gettext("Paid by the patient: {amount}").format(amount=money(t, costs.patient_share))
    )
    return lines


def _section(title: str, lines: list[str], empty: str) -> str:
    return "\n".join([title, *lines]) if lines else f"{title}\n{esc(empty)}"


def visit_detail(
    t: Translator, detail: VisitDetail, subject: SubjectCitizen | None = None
) -> list[Reply]:
    """A visit: facility, diagnoses, medicines, results, services and costs (split if long)."""
    visit = detail.visit
    when = t.format_date(visit.start) if visit.start else "—"
    head = [heading("🏥", t.gettext("Visit of {date}").format(date=when))]
    head.append(facility(t, visit.facility))
    department_line = department(t, visit.department)
    if department_line:
        head.append(department_line)
    if detail.practitioner:
        head.append(t.gettext("Doctor: {name}").format(name=name(detail.practitioner)))
    if visit.end and visit.start and day(t, visit.end) != day(t, visit.start):
        head.append(t.gettext("Until: {date}").format(date=day(t, visit.end)))
    if detail.reason:
        head.append(t.gettext("Reason: {reason}").format(reason=clip(detail.reason)))
    if detail.follow_up_date:
        head.append(t.gettext("Follow-up visit: {date}").format(date=day(t, detail.follow_up_date)))
    items = [
        _section(
            heading("🩺", t.gettext("Diagnoses")),
            [_diagnosis(t, d) for d in detail.diagnoses],
            t.gettext("No diagnoses recorded."),
        ),
        _section(
            heading("💊", t.gettext("Prescribed medicines")),
            [_medication(t, m) for m in detail.medications],
            t.gettext("No medicines prescribed."),
        ),
        _section(
            heading("🧪", t.gettext("Results")),
            [f"• {name(r.name)}: {result_line(t, r, with_date=False)}" for r in detail.results],
            t.gettext("No results recorded."),
        ),
        _section(
            heading("🧾", t.gettext("Services")),
            [_service(t, s) for s in detail.services],
            t.gettext("No services recorded."),
        ),
        "\n".join(_costs(t, detail.costs)),
    ]
    header = with_banner(t, subject, "\n".join(head))
    messages = split_at_items(header, items, separator="\n\n")
    buttons = [
        [button(t.pgettext("button", "⬅️ Visits"), CallbackAction.VISITS, 1), back_to_record(t)]
    ]
    return with_buttons(messages, buttons)


def visit_not_found(t: Translator) -> Reply:
    """The visit does not exist or is not in this record."""
    return Reply(esc(t.gettext("This visit is not in your record.")), [[back_to_record(t)]])
