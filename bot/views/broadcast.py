"""The /notice and /alert flow as staff see it: prompts, problems, previews and the summary."""

from __future__ import annotations

from typing import Any

from bot.broadcast.audience import Audience, AudienceKind
from bot.broadcast.compose import ParamProblem
from bot.broadcast.contacts_csv import RowProblem
from bot.broadcast.flow import FlowProblem, FlowState, Step, offered_templates
from bot.broadcast.service import Preview
from bot.broadcast.templates import ParamKind, Template
from bot.i18n import LANGUAGE_NAMES, N_, Translator
from bot.views.reply import Button, Reply, esc

CANCEL_DATA = "nf:x"


PROBLEMS = {
    ParamProblem.EMPTY: N_("Please type something."),
    ParamProblem.TOO_LONG: N_("That is too long. Please shorten it."),
    ParamProblem.BAD_DATE: N_("Please type a date such as 26/11/2026."),
    ParamProblem.BAD_DATETIME: N_("Please type a date and time such as 26/11/2026 14:30."),
    ParamProblem.BAD_PHONE: N_(
        "Please type a Vietnamese phone number, such as 0290 3831 234, or a hotline such as 115."
    ),
    ParamProblem.END_BEFORE_START: N_("The end must come after the start. Please type it again."),
    ParamProblem.MESSAGE_TOO_LONG: N_(
        "The message would be too long for Telegram in one of the languages. Please shorten it."
    ),
    FlowProblem.BAD_AGE: N_("Please type an age band such as 60-120 or 60+."),
    FlowProblem.BAD_CONDITION: N_("Please type an ICD-10 code or prefix such as E11 or I10."),
    FlowProblem.UNREADABLE_FILE: N_(
        "I could not read that file. Please send a CSV file (UTF-8) of at most 2 MB."
    ),
    FlowProblem.NO_VALID_ROWS: N_(
        "The file has no valid CCCD number. Please check it and send it again."
    ),
    FlowProblem.SCHEDULE_IN_PAST: N_("That time has passed. Please type a time in the future."),
    FlowProblem.SCHEDULE_TOO_FAR: N_("Please choose a time within the next 60 days."),
    FlowProblem.UNKNOWN_CHOICE: N_("That choice is not available here."),
}

ROW_PROBLEMS = {
    RowProblem.NOT_A_CCCD: N_("not a CCCD number"),
    RowProblem.DUPLICATE: N_("listed twice"),
}

_HINTS = {
    ParamKind.DATE: N_("for example 26/11/2026"),
    ParamKind.DATETIME: N_("for example 26/11/2026 14:30"),
    ParamKind.PHONE: N_("for example 0290 3831 234, or 115"),
}


def audience_label(t: Translator, kind: AudienceKind) -> str:
    """The button for an audience kind."""
    labels = {
        AudienceKind.ALL: t.pgettext("button", "Everyone linked"),
        AudienceKind.DISTRICT: t.pgettext("button", "A district"),
        AudienceKind.COMMUNE: t.pgettext("button", "A commune"),
        AudienceKind.AGE: t.pgettext("button", "An age band"),
        AudienceKind.CONDITION: t.pgettext("button", "A condition (ICD-10)"),
        AudienceKind.CCCD: t.pgettext("button", "A list of CCCD numbers (CSV)"),
    }
    return labels[kind]


def _cancel(t: Translator) -> list[Button]:
    return [Button(t.pgettext("button", "✖️ Cancel"), CANCEL_DATA)]


def problem(t: Translator, which: ParamProblem | FlowProblem) -> Reply:
    """Why the last input was refused."""
    return Reply("⚠️ " + esc(t.gettext(PROBLEMS[which])))


def describe_audience(t: Translator, audience: Audience) -> str:
    """The audience in words."""
    kind = audience.kind
    if kind is AudienceKind.ALL:
        return esc(t.gettext("everyone linked"))
    if kind is AudienceKind.DISTRICT:
        return t.gettext("district {name}").format(name=esc(audience.place))
    if kind is AudienceKind.COMMUNE:
        name = f"{audience.district}/{audience.place}" if audience.district else audience.place
        return t.gettext("commune {name}").format(name=esc(name))
    if kind is AudienceKind.AGE:
        return t.gettext("aged {low} to {high}").format(low=audience.min_age, high=audience.max_age)
    if kind is AudienceKind.CONDITION:
        return t.gettext("with a condition coded {code}").format(
            code=esc(audience.condition_prefix)
        )
    return t.gettext("{count} listed CCCD numbers").format(
        count=t.format_number(len(audience.national_ids))
    )


def _template_buttons(t: Translator, state: FlowState) -> list[list[Button]]:
    return [
        [Button(t.gettext(template.title), f"nf:t:{template.name}")]
        for template in offered_templates(state)
    ]


def _param_prompt(t: Translator, template: Template, state: FlowState) -> str:
    param = state.missing_param()
    assert param is not None
    position = template.params.index(param) + 1
    text = t.gettext("Step {index} of {count}: <b>{label}</b>").format(
        index=position, count=len(template.params), label=esc(t.gettext(param.label))
    )
    if param.kind in _HINTS:
        text += f" ({esc(t.gettext(_HINTS[param.kind]))})"
    return text


def prompt(
    t: Translator, state: FlowState, districts: list[tuple[str, int]] | None = None
) -> Reply:
    """The question for the flow's current step (not the confirmation, see `summary`)."""
    step, template = state.step(), state.chosen
    if step is Step.TEMPLATE:
        title = (
            t.gettext("<b>New notice</b>")
            if state.mode == "notice"
            else t.gettext("<b>New contact-tracing alert</b>")
        )
        return Reply(
            title + "\n" + t.gettext("Choose a template:"),
            _template_buttons(t, state) + [_cancel(t)],
        )
    if step is Step.AUDIENCE:
        rows = [
            [Button(audience_label(t, kind), f"nf:a:{kind.value}")]
            for kind in state.audience_choices()
        ]
        return Reply(t.gettext("Who should receive it?"), rows + [_cancel(t)])
    if step is Step.DISTRICT:
        rows = [
            [Button(f"{name} ({t.format_number(count)})", f"nf:d:{index}")]
            for index, (name, count) in enumerate(districts or [])
        ]
        if not rows:
            return Reply(t.gettext("No district has linked users yet."), [_cancel(t)])
        return Reply(t.gettext("Choose the district:"), rows + [_cancel(t)])
    texts = {
        Step.COMMUNE: N_(
            "Type the commune name (or District/Commune when the name exists in several districts):"
        ),
        Step.AGE: N_("Type the age band, for example 60-120 or 60+:"),
        Step.CONDITION: N_(
            "Type the ICD-10 code or prefix, for example E11 (type 2 diabetes) or I10 (hypertension):"
        ),
        Step.CCCD_FILE: N_(
            "Send the CSV file of CCCD numbers as a document: one number per row, or a column named cccd."
        ),
        Step.FREE_TEXT: N_(
            "Write the notice. It goes out exactly as written, between a header and a footer in each citizen's language."
        ),
        Step.SCHEDULE: N_("Type the date and time to send, for example 26/11/2026 07:30:"),
    }
    if step is Step.PARAM and template is not None:
        return Reply(_param_prompt(t, template, state), [_cancel(t)])
    return Reply(esc(t.gettext(texts[step])), [_cancel(t)])


def import_report(t: Translator, valid: int, bad_rows: list[list[object]]) -> Reply:
    """How many CCCD numbers were read, and the rows that were skipped."""
    lines = [t.gettext("Read {count} CCCD numbers.").format(count=t.format_number(valid))]
    if bad_rows:
        lines.append(t.gettext("Skipped rows:"))
        for line, value, why in bad_rows:
            reason = t.gettext(ROW_PROBLEMS[RowProblem(str(why))])
            lines.append(
                t.gettext("line {line}: {value} — {reason}").format(
                    line=line, value=esc(value), reason=esc(reason)
                )
            )
    return Reply("\n".join(lines))


def preview(t: Translator, content: dict[str, dict[str, Any]], locale: str) -> Reply:
    """The message as citizens reading `locale` get it, with buttons to see the other languages.

    One message edited in place per language keeps the staff chat within Telegram's per-chat limit.
    """
    shown = content.get(locale) or next(iter(content.values()))
    heading = t.gettext("Preview — {language}:").format(language=LANGUAGE_NAMES.get(locale, locale))
    rows = [[Button(item["label"], "nf:noop") for item in row] for row in shown["buttons"]]
    rows.append(
        [
            Button(("• " if code == locale else "") + name, f"nf:pv:{code}")
            for code, name in LANGUAGE_NAMES.items()
        ]
    )
    return Reply(f"<i>{esc(heading)}</i>\n\n{shown['text']}", rows)


def summary(t: Translator, state: FlowState, shown: Preview) -> Reply:
    """Audience size and options, with the buttons to send, schedule, mark urgent or cancel."""
    template = state.chosen
    assert template is not None and state.audience is not None
    plan = shown.plan
    lines = [
        t.gettext("<b>Ready to send: {title}</b>").format(title=esc(t.gettext(template.title))),
        t.gettext("Audience: {audience}").format(
            audience=describe_audience(t, Audience.from_json(state.audience))
        ),
        t.gettext("Recipients through the bot: <b>{count}</b>").format(
            count=t.format_number(plan.size)
        ),
    ]
    if plan.muted:
        lines.append(
            t.gettext("Muted general notices (not sent): {count}").format(
                count=t.format_number(plan.muted)
            )
        )
    if plan.unreached:
        lines.append(
            t.gettext("Cannot be reached through the bot: {count}").format(
                count=t.format_number(len(plan.unreached))
            )
        )
    if state.urgent:
        lines.append(t.gettext("⚠️ Urgent: muted users receive it too."))
    draft = state.draft()
    if draft.scheduled_at is not None:
        lines.append(
            t.gettext("Scheduled for {when}").format(
                when=esc(t.format_datetime(draft.scheduled_at))
            )
        )
    send_label = (
        t.pgettext("button", "✅ Schedule")
        if draft.scheduled_at
        else t.pgettext("button", "✅ Send now")
    )
    rows = [
        [Button(send_label, "nf:send")],
        [Button(t.pgettext("button", "🕒 Choose a send time"), "nf:sched")],
    ]
    if not template.kind.is_alert:
        urgent_label = (
            t.pgettext("button", "Mark as not urgent")
            if state.urgent
            else t.pgettext("button", "⚠️ Mark as urgent")
        )
        rows.append([Button(urgent_label, "nf:urgent")])
    rows.append(_cancel(t))
    return Reply("\n".join(lines), rows)


def cancelled(t: Translator) -> Reply:
    """The draft was thrown away."""
    return Reply(t.gettext("Cancelled. Nothing was sent."))
