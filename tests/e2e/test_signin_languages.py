"""Every message of consent, sign-in and account control, in every supported language.

The emulator refuses what Telegram would refuse (bad HTML, over-long texts, bad buttons); a
refused send would surface as the error handler's apology or a missing answer.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.emulator.driver import EmulatedUser
from bot.i18n import Catalogs
from bot.settings import SUPPORTED_LOCALES
from bot.views.account import CONFIRM_ERASURE
from bot.views.consent import ACCEPT, DECLINE
from bot.views.start import something_went_wrong
from tests.e2e.signin_steps import WAIT, citizen, say, share, sign_in, tap
from tests.e2e_support import RunningBot

pytestmark = pytest.mark.e2e
CATALOGS = Catalogs()


async def _consent_and_login_steps(bot: RunningBot, user: EmulatedUser, national_id: str, phone: str) -> None:
    """Notice, "Not now", agree, then each refusal of the login flow and a failed attempt."""
    [notice] = await say(bot, user, "/start")
    assert notice.inline_buttons[0].callback_data == ACCEPT
    await tap(bot, user, DECLINE)
    await say(bot, user, "/privacy")
    await tap(bot, user, ACCEPT)
    await say(bot, user, "/accesslog")  # not signed in yet
    await say(bot, user, "/login")
    await say(bot, user, "381234567")  # the old CMND
    await say(bot, user, national_id)
    await share(bot, user, phone, own=False)
    await say(bot, user, phone)  # typed
    await share(bot, user, phone)
    await say(bot, user, "31/02/1985")
    await say(bot, user, "15/03/1985")  # wrong: the one failure answer


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
async def test_all_flows_render_in_every_language(running_bot: RunningBot, locale: str) -> None:
    t = CATALOGS.get(locale)
    person = await citizen(running_bot)
    user = running_bot.user(700000501, first_name="Sokha", language_code=locale)
    await _consent_and_login_steps(running_bot, user, person.national_id, person.phone)
    run = await sign_in(running_bot, user, person)
    expires = running_bot.clock.now() + timedelta(days=running_bot.settings.session_days)
    assert t.format_date(expires) in run.answer.text, "dates follow the user's language"
    await say(running_bot, user, "/accesslog")
    [log] = await say(running_bot, user, "/accesslog")
    assert t.format_datetime(running_bot.clock.now()) in log.text
    await say(running_bot, user, "/privacy")

    intruder = running_bot.user(700000502, language_code="vi")
    await say(running_bot, intruder, "/start")
    await tap(running_bot, intruder, ACCEPT)
    await sign_in(running_bot, intruder, person, birth_text="15/03/1985")
    [warning] = await user.wait_for_messages(1, timeout=WAIT)
    assert t.format_datetime(running_bot.clock.now()) in warning.text

    running_bot.clock.advance(timedelta(days=31))
    await say(running_bot, user, "/accesslog")  # the re-check question
    await say(running_bot, user, person.birth_text)  # welcome back
    await sign_in(running_bot, intruder, person)  # takes the citizen over
    [displaced] = await user.wait_for_messages(1, timeout=WAIT)
    assert t.format_datetime(running_bot.clock.now()) in displaced.text
    await say(running_bot, user, "/logout")
    await say(running_bot, user, "/login")
    await say(running_bot, user, "/cancel")
    await say(running_bot, user, "/cancel")  # nothing to cancel
    for _ in range(5):
        await sign_in(running_bot, user, person, birth_text="15/03/1985")
    [locked] = await say(running_bot, user, "/login")
    assert t.format_time(running_bot.clock.now() + timedelta(minutes=15)) in locked.text
    [confirm] = await say(running_bot, user, "/deletemydata")
    await tap(running_bot, user, CONFIRM_ERASURE, replies=0)
    await user.wait_for_edit(confirm.message_id)

    apology = something_went_wrong(t).text
    shown = [message.text or "" for message in user.messages]
    assert len(shown) >= 40 and all(text.strip() for text in shown)
    assert apology not in shown
