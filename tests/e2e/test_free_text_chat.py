"""Typed requests, with or without accents and in every language, open the right section."""

from __future__ import annotations

import pytest

from bot.i18n import Catalogs
from tests.e2e_record_support import callbacks, say, signed_in_user
from tests.e2e_support import RunningBot

pytestmark = pytest.mark.e2e

APPOINTMENTS = "Upcoming appointments"
INSURANCE = "Health insurance card"
LABS = "Lab results"
VACCINATIONS = "Vaccinations"

TYPED = {
    "vi": [
        ("lich hen", APPOINTMENTS),
        ("lịch hẹn", APPOINTMENTS),
        ("Cho tôi xem BẢO HIỂM", INSURANCE),
        ("bao hiem", INSURANCE),
        ("xét nghiệm", LABS),
        ("tiem chung", VACCINATIONS),
    ],
    "en": [("appointment", APPOINTMENTS), ("my insurance please", INSURANCE)],
    "km": [("ការណាត់ជួប", APPOINTMENTS)],
    "bn": [("আমার বীমা", INSURANCE)],
}


async def test_typed_requests_open_the_section_in_every_language(running_bot: RunningBot) -> None:
    catalogs = Catalogs()
    for language, requests in TYPED.items():
        t = catalogs.get(language)
        user, _ = await signed_in_user(running_bot, language=language)
        for typed, heading in requests:
            [answer] = await say(running_bot, user, typed)
            assert (answer.text or "").splitlines()[0].endswith(t.gettext(heading)), typed
            assert answer.protect_content and "rec:s" in callbacks(answer), typed


async def test_unknown_text_gets_the_menu(running_bot: RunningBot) -> None:
    user, _ = await signed_in_user(running_bot)
    [answer] = await say(running_bot, user, "qwerty zzz")
    assert "did not understand" in (answer.text or "")
    assert {"help", "lang"} <= set(callbacks(answer))
