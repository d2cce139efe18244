"""What a citizen does in the chat to agree and sign in, for the end-to-end tests.

Every action first moves the emulator's clock by `PAUSE`, as a person takes a moment between
two messages; the emulator's flood control (about one message a second per chat) stays happy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.emulator.driver import EmulatedUser
from bot.emulator.state import MessageRecord
from bot.views.consent import ACCEPT
from tests.e2e_support import RunningBot
from tests.signin.steps import Person, add_person

PAUSE = 2.0
WAIT = 5.0


async def say(bot: RunningBot, user: EmulatedUser, text: str, replies: int = 1) -> list[MessageRecord]:
    """Send a text or command and wait for the bot's replies."""
    bot.emulator.clock.advance(PAUSE)
    await user.send(text)
    return await user.wait_for_messages(replies, timeout=WAIT)


async def tap(bot: RunningBot, user: EmulatedUser, data: str, replies: int = 1) -> list[MessageRecord]:
    """Press the inline button with this callback data and wait for the bot's new messages."""
    bot.emulator.clock.advance(PAUSE)
    await user.press(data)
    return await user.wait_for_messages(replies, timeout=WAIT) if replies else []


async def share(
    bot: RunningBot, user: EmulatedUser, phone: str, own: bool = True
) -> MessageRecord:
    """Share a contact (one's own, or someone else's) and wait for the bot's answer."""
    bot.emulator.clock.advance(PAUSE)
    await user.share_contact(phone, own=own)
    [answer] = await user.wait_for_messages(1, timeout=WAIT)
    return answer


async def agree(bot: RunningBot, user: EmulatedUser) -> MessageRecord:
    """First contact: /start, then the first button of the notice; returns the thank-you."""
    [notice] = await say(bot, user, "/start")
    assert notice.inline_buttons[0].callback_data == ACCEPT
    [thanks] = await tap(bot, user, ACCEPT)
    return thanks


async def citizen(bot: RunningBot, born: date = date(1985, 3, 14), **overrides: object) -> Person:
    """A citizen in the store with a CCCD matching the birth date, and one mobile phone."""
    return await add_person(bot.db, birth_date=born, **overrides)


@dataclass
class SignInRun:
    """The bot's answer to each step, and the user's messages that carried the ID and birth date."""

    replies: list[MessageRecord]
    id_message: MessageRecord
    birthdate_message: MessageRecord

    @property
    def answer(self) -> MessageRecord:
        """The bot's answer to the birth date (the greeting, or the failure)."""
        return self.replies[-1]


async def sign_in(
    bot: RunningBot,
    user: EmulatedUser,
    person: Person,
    *,
    national_id: str | None = None,
    phone: str | None = None,
    birth_text: str | None = None,
) -> SignInRun:
    """/login, the ID typed, the own contact shared (without '+', as clients often do), the birth
    date typed; one answer to each."""
    replies = await say(bot, user, "/login")
    bot.emulator.clock.advance(PAUSE)
    id_message = await user.send(national_id or person.national_id)
    replies += await user.wait_for_messages(1, timeout=WAIT)
    replies.append(await share(bot, user, (phone or person.phone).lstrip("+")))
    bot.emulator.clock.advance(PAUSE)
    birthdate_message = await user.send(birth_text or person.birth_text)
    replies += await user.wait_for_messages(1, timeout=WAIT)
    return SignInRun(replies, id_message, birthdate_message)
