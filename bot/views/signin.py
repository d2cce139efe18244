"""Every answer of the sign-in flows: prompts, problems, locks, the greeting, warnings to owners."""

from __future__ import annotations

from datetime import datetime
from typing import TypeAlias

from bot.i18n import Translator
from bot.identity.birthdate import BirthdateProblem
from bot.identity.cccd import CccdProblem
from bot.signin import (
    BirthdateRejected,
    ContactRefusal,
    ContactRefused,
    Flow,
    IdRejected,
    Locked,
    OutOfStep,
    Prompt,
    SignInFailed,
    Step,
)
from bot.views.reply import Button, Reply, esc
from bot.views.start import main_menu

LOGIN = "login"
CANCEL = "cancel"

StepAnswer: TypeAlias = (
    Prompt | IdRejected | ContactRefused | BirthdateRejected | Locked | SignInFailed | OutOfStep
)


def _cancel_row(t: Translator) -> list[Button]:
    return [Button(t.pgettext("button", "✖️ Cancel"), CANCEL)]


def _sign_in_row(t: Translator) -> list[Button]:
    return [Button(t.pgettext("button", "🔐 Sign in"), LOGIN)]


def id_problem(t: Translator, problem: CccdProblem) -> str:
    """One plain sentence saying what is wrong with a typed citizen ID (no HTML)."""
    sentences = {
        CccdProblem.EMPTY: t.gettext("Please type the 12 digits of your citizen ID."),
        CccdProblem.NOT_DIGITS: t.gettext(
            "A citizen ID has digits only (spaces, dots and dashes between them are fine)."
        ),
        CccdProblem.OLD_CMND: t.gettext(
            "That is the 9-digit number of an old identity card (CMND): please type the 12-digit "
            "number of your citizen ID card (CCCD), also shown in the VNeID app."
        ),
        CccdProblem.WRONG_LENGTH: t.gettext(
            "A citizen ID has exactly 12 digits: please count them again."
        ),
        CccdProblem.UNKNOWN_PROVINCE: t.gettext(
            "The first 3 digits of a citizen ID are a province code, and these are not one."
        ),
        CccdProblem.BAD_CENTURY_DIGIT: t.gettext(
            "The 4th digit of a citizen ID (century of birth and sex) cannot be what you typed."
        ),
        CccdProblem.BIRTH_YEAR_IN_FUTURE: t.gettext(
            "Digits 5 and 6 of a citizen ID are the birth year, and this one is in the future."
        ),
    }
    return sentences[problem]


def birthdate_problem(t: Translator, problem: BirthdateProblem) -> str:
    """One plain sentence saying what is wrong with a typed date of birth (no HTML)."""
    sentences = {
        BirthdateProblem.EMPTY: t.gettext("Please type your date of birth."),
        BirthdateProblem.UNRECOGNISED: t.gettext(
            "I could not read that date: please type day, month and year."
        ),
        BirthdateProblem.TWO_DIGIT_YEAR: t.gettext("Please type the year with all 4 digits."),
        BirthdateProblem.IMPOSSIBLE_DATE: t.gettext(
            "That date does not exist: please check the day and the month."
        ),
        BirthdateProblem.IN_FUTURE: t.gettext("That date is in the future."),
        BirthdateProblem.TOO_LONG_AGO: t.gettext("That year is too long ago: please check it."),
        BirthdateProblem.YEAR_DIFFERS_FROM_ID: t.gettext(
            "The year does not match your citizen ID (its digits 5 and 6 are the birth year): "
            "please check the date, or /cancel and start again."
        ),
    }
    return sentences[problem]


def _birthdate_example(t: Translator) -> str:
    return t.gettext("For example: <code>14/03/1985</code>.")


def ask_for_id(t: Translator) -> Reply:
    """Step 1: the citizen ID, typed."""
    text = t.gettext(
        "<b>Sign in — step 1 of 3</b>\n\n"
        "Please type the 12-digit number of your citizen ID card (CCCD).\n\n"
        "🔒 I delete your messages with your ID and date of birth as soon as I have read them."
    )
    return Reply(text, [_cancel_row(t)])


def ask_for_phone(t: Translator, masked_id: str | None) -> Reply:
    """Step 2: the phone number, shared with the reply-keyboard button."""
    lines = []
    if masked_id:
        lines.append(t.gettext("✅ Citizen ID {masked_id} noted.").format(masked_id=esc(masked_id)))
    lines.append(
        t.gettext(
            "<b>Sign in — step 2 of 3</b>\n\n"
            "Tap the button <b>📱 Share my phone number</b> below. It must be the number the health "
            "services know you by. To stop, send /cancel."
        )
    )
    return Reply(
        "\n\n".join(lines), contact_request=t.pgettext("button", "📱 Share my phone number")
    )


def ask_for_birthdate(t: Translator, flow: Flow) -> Reply:
    """Step 3 of a login, or the only step of a re-check; the reply keyboard goes away."""
    if flow is Flow.RECHECK:
        text = t.gettext(
            "<b>Your session has ended.</b> To continue, please type your date of birth."
        )
        return Reply(f"{text}\n{_birthdate_example(t)}", [_cancel_row(t)])
    text = t.gettext(
        "✅ Phone number received.\n\n<b>Sign in — step 3 of 3</b>\n\nPlease type your date of birth."
    )
    return Reply(f"{text}\n{_birthdate_example(t)}", remove_keyboard=True)


def prompt(t: Translator, waiting: Prompt, masked_id: str | None = None) -> Reply:
    """The question for the step a flow waits on."""
    if waiting.step is Step.AWAIT_ID:
        return ask_for_id(t)
    if waiting.step is Step.AWAIT_PHONE:
        return ask_for_phone(t, masked_id)
    return ask_for_birthdate(t, waiting.flow)


def id_rejected(t: Translator, rejected: IdRejected) -> Reply:
    """What is wrong with the typed ID; the flow still waits for it."""
    text = "⚠️ " + esc(id_problem(t, rejected.problem))
    return Reply(text + "\n\n" + t.gettext("Please type your citizen ID again."), [_cancel_row(t)])


def contact_refused(t: Translator, refused: ContactRefused) -> Reply:
    """Why the phone was not accepted; the share button is offered again."""
    if refused.reason is ContactRefusal.SOMEONE_ELSES_CONTACT:
        text = t.gettext(
            "⚠️ That is someone else's contact. Only your own number, shared with the button "
            "below, proves that this Telegram account is yours."
        )
    else:
        text = t.gettext(
            "⚠️ I cannot accept a typed phone number: anyone could type it. Please tap the button "
            "below to share the number of this Telegram account."
        )
    return Reply(text, contact_request=t.pgettext("button", "📱 Share my phone number"))


def birthdate_rejected(t: Translator, rejected: BirthdateRejected) -> Reply:
    """What is wrong with the typed date; the flow still waits for it."""
    text = "⚠️ " + esc(birthdate_problem(t, rejected.problem))
    return Reply(text + "\n" + _birthdate_example(t), [_cancel_row(t)])


def _retry_time(t: Translator, until: datetime, now: datetime) -> str:
    """When to try again: a local time (with the date if not today) and how long until then."""
    same_day = t.local(until).date() == t.local(now).date()
    moment = t.format_time(until) if same_day else t.format_datetime(until)
    return t.gettext("{moment} ({relative})").format(
        moment=esc(moment), relative=esc(t.format_relative(until - now, granularity="minute"))
    )


def locked(t: Translator, lock: Locked, now: datetime) -> Reply:
    """Too many failed attempts: when signing in is possible again."""
    text = t.gettext(
        "⏳ Too many unsuccessful sign-in attempts. For your safety, signing in is paused.\n\n"
        "Please try again after <b>{retry}</b>."
    ).format(retry=_retry_time(t, lock.until, now))
    return Reply(text, remove_keyboard=True)


def failed(t: Translator, failure: SignInFailed, now: datetime) -> Reply:
    """The one answer to every failed sign-in, whatever did not match."""
    text = t.gettext(
        "❌ Sign-in failed: these details do not match the health records.\n\n"
        "Please check your citizen ID, your phone number and your date of birth, then try again. "
        "If your details have changed, please contact your commune health station."
    )
    if failure.retry_at is None:
        return Reply(text, [_sign_in_row(t)])
    pause = t.gettext("Too many attempts: you can try again after <b>{retry}</b>.").format(
        retry=_retry_time(t, failure.retry_at, now)
    )
    return Reply(f"{text}\n\n⏳ {pause}")


def signed_in(t: Translator, full_name: str, expires_at: datetime, renewed: bool) -> Reply:
    """The greeting by full name once the factors matched, with the main menu."""
    if renewed:
        text = t.gettext("Welcome back, <b>{name}</b>! ✅ You are signed in again.")
    else:
        text = t.gettext("Welcome, <b>{name}</b>! ✅ You are signed in.")
    until = t.gettext(
        "Your session lasts until {date}; then I will ask for your date of birth again."
    )
    body = text.format(name=esc(full_name)) + "\n\n" + until.format(
        date=esc(t.format_date(expires_at))
    )
    return Reply(body, main_menu(t, signed_in=True), protect=True)


def out_of_step(t: Translator, stale: OutOfStep) -> Reply:
    """Input that does not fit the flow: ask again for what it waits for, or say it is over."""
    if stale.pending is not None:
        return prompt(t, stale.pending)
    text = t.gettext("This sign-in is no longer open. Please start again.")
    return Reply(text, [_sign_in_row(t)])


def step_answer(
    t: Translator, result: StepAnswer, now: datetime, masked_id: str | None = None
) -> Reply:
    """The answer to one step of a flow that did not sign the user in."""
    if isinstance(result, Prompt):
        return prompt(t, result, masked_id)
    if isinstance(result, IdRejected):
        return id_rejected(t, result)
    if isinstance(result, ContactRefused):
        return contact_refused(t, result)
    if isinstance(result, BirthdateRejected):
        return birthdate_rejected(t, result)
    if isinstance(result, Locked):
        return locked(t, result, now)
    if isinstance(result, SignInFailed):
        return failed(t, result, now)
    return out_of_step(t, result)


def please_sign_in(t: Translator) -> Reply:
    """Asked for a record without being signed in."""
    text = t.gettext(
        "🔐 Please sign in first: it takes your citizen ID, your phone number and your date of "
        "birth."
    )
    return Reply(text, [_sign_in_row(t)])


def cancelled(t: Translator) -> Reply:
    """After /cancel: the conversation is over, what was typed is forgotten."""
    return Reply(
        t.gettext("Cancelled. I have forgotten what you entered."),
        remove_keyboard=True,
    )


def nothing_to_cancel(t: Translator) -> Reply:
    """/cancel with nothing under way."""
    return Reply(t.gettext("There is nothing to cancel."), remove_keyboard=True)


def attempt_warning(t: Translator, at: datetime) -> Reply:
    """To a linked account: someone failed to sign in with its citizen's ID."""
    text = t.gettext(
        "⚠️ <b>Security notice</b>\n\n"
        "Someone failed to sign in with your citizen ID on {when}. Your record stays protected.\n\n"
        "If this was not you, never share your ID, phone number or date of birth with anyone, "
        "and contact your commune health station if it happens again."
    ).format(when=esc(t.format_datetime(at)))
    return Reply(text)


def displaced(t: Translator, at: datetime) -> Reply:
    """To the account signed out because another Telegram account signed in as the citizen."""
    text = t.gettext(
        "🔐 <b>You have been signed out.</b>\n\n"
        "Your citizen ID was used to sign in from another Telegram account on {when}. "
        "If this was not you, sign in again with /login and contact your commune health station."
    ).format(when=esc(t.format_datetime(at)))
    return Reply(text)
