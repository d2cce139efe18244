"""Every staff screen of the bot, and what citizens see of notices and alerts, in every language.

Health staff whose Telegram speaks the language bind their accounts with /staff, draft notices
and alerts through every step, audience, template, refusal and option of the guided flows, send
some of them to citizens who speak the same language, follow the answers in /alerts, export them
and read /stats; citizens switch general notices and answer the alerts. The checks on each screen
are those of the citizen walk (tests/e2e/locale_checks.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcast.kinds import BroadcastKind
from bot.broadcast.templates import ParamKind, templates_of
from bot.db.models import AlertResponse, Broadcast, BroadcastDelivery, Citizen
from bot.emulator.driver import EmulatedUser
from bot.emulator.state import MessageRecord
from bot.i18n import LANGUAGE_NAMES
from bot.settings import SUPPORTED_LOCALES
from bot.staff import members
from bot.staff.roles import Role
from bot.views.broadcast import CANCEL_DATA
from tests.broadcast.support import add_condition, linked_citizen
from tests.e2e.locale_checks import Screens, assert_every_screen_translated
from tests.e2e_record_support import (
    PAUSE,
    WAIT,
    button_for,
    callbacks,
    say,
    tap_for_edit,
    tap_for_messages,
)
from tests.e2e_support import RunningBot
from tests.factories import cccd_for, make_account

pytestmark = pytest.mark.e2e
WALK = "staff"
SENT_WAIT = 15.0  # a broadcast goes through the sender task before it reaches citizens

GOOD_VALUES = {
    ParamKind.TEXT: "Chợ Năm Căn",
    ParamKind.DATE: "28/11/2026",
    ParamKind.DATETIME: "20/11/2026 08:00",
    ParamKind.PHONE: "0290 3831 234",
}
BAD_VALUES = {  # each refused with its own answer
    ParamKind.TEXT: "x" * 201,
    ParamKind.DATE: "32/13/2026",
    ParamKind.DATETIME: "sáng mai",
    ParamKind.PHONE: "12345",
}


@dataclass
class Walk:
    """The bot, the screens seen so far, and the people of one locale's walk."""

    bot: RunningBot
    screens: Screens
    locale: str
    admin: EmulatedUser
    notifier: EmulatedUser
    citizens: tuple[EmulatedUser, ...] = ()
    national_ids: tuple[str, ...] = ()
    sent: list[tuple[str, EmulatedUser, MessageRecord]] = field(default_factory=list)
    """Progress messages of the broadcasts sent or stopped: (screen name, staff member, message)."""

    async def say(self, user: EmulatedUser, name: str, text: str, replies: int = 1) -> MessageRecord:
        """Send a text and record the bot's replies as one screen."""
        return self.screens.record(name, *await say(self.bot, user, text, replies))

    async def tap(
        self, user: EmulatedUser, name: str, data: str, message: MessageRecord, replies: int = 1
    ) -> MessageRecord:
        """Press a button and record the new messages as one screen."""
        answers = await tap_for_messages(self.bot, user, data, replies, message)
        return self.screens.record(name, *answers)

    async def tap_for_answer(self, user: EmulatedUser, name: str, data: str, message: MessageRecord) -> None:
        """Press a button and record the pop-up answer it gets."""
        self.bot.emulator.clock.advance(PAUSE)
        query = await user.press(data, message)
        self.screens.note(name, (await user.wait_for_answer(query, timeout=WAIT)).text)

    async def upload(self, user: EmulatedUser, name: str, content: bytes, replies: int = 1) -> MessageRecord:
        """Send a file and record the replies."""
        self.bot.emulator.clock.advance(PAUSE)
        await user.send_document("contacts.csv", content, "text/csv")
        return self.screens.record(name, *await user.wait_for_messages(replies, timeout=WAIT))


async def _bind(bot: RunningBot, user_id: int, locale: str, role: Role) -> tuple[EmulatedUser, str]:
    """A consented Telegram user speaking `locale`, and a one-time code for `role`."""
    async with bot.db.unit_of_work() as session:
        invitation = await members.invite(session, name="Nguyễn Văn Tâm", role=role, now=bot.clock.now())
    return bot.user(user_id, language_code=locale), invitation.code


async def _staff(walk_bot: RunningBot, locale: str, screens: Screens, base: int) -> Walk:
    """/staff CODE for an administrator, a notifier and a tracer (each refused what their role
    does not allow); an account already bound; a wrong code."""
    async with walk_bot.db.unit_of_work() as session:
        for user_id in (base, base + 1, base + 2):
            await make_account(session, user_id, language=locale)
    admin, code = await _bind(walk_bot, base, locale, Role.ADMIN)
    walk = Walk(walk_bot, screens, locale, admin, walk_bot.user(base + 1, language_code=locale))
    await walk.say(admin, "staff bound", f"/staff {code}")
    commands = admin.visible_commands()
    assert {"notice", "alert", "alerts", "stats"} <= {command["command"] for command in commands}
    screens.note("staff menu", "\n".join(command["description"] for command in commands))
    _, again = await _bind(walk_bot, base, locale, Role.TRACER)
    await walk.say(admin, "staff already bound", f"/staff {again}")
    await walk.say(admin, "staff wrong code", "/staff ABCD-EFGH-JKLM")
    _, notifier_code = await _bind(walk_bot, base + 1, locale, Role.NOTIFIER)
    await walk.say(walk.notifier, "notifier bound", f"/staff {notifier_code}")
    for command in ("/alert", "/alerts", "/stats"):
        await walk.say(walk.notifier, f"notifier refused {command}", command)
    tracer, tracer_code = await _bind(walk_bot, base + 2, locale, Role.TRACER)
    await walk.say(tracer, "tracer bound", f"/staff {tracer_code}")
    for command in ("/notice", "/stats"):
        await walk.say(tracer, f"tracer refused {command}", command)
    await walk.say(admin, "no alerts yet", "/alerts")
    return walk


async def _citizens(walk: Walk, base: int) -> None:
    """Three linked citizens: two in Năm Căn (one aged 76 with diabetes), one in Cái Nước who
    turns general notices off; the first switches them off and on again."""
    homes = (("Huyện Năm Căn", date(1950, 2, 1)), ("Huyện Năm Căn", date(1990, 5, 5)),
             ("Huyện Cái Nước", date(1985, 3, 14)))
    ids = []
    async with walk.bot.db.unit_of_work() as session:
        for offset, (district, born) in enumerate(homes):
            person = await linked_citizen(session, base + offset, account={"language": walk.locale},
                                          district=district, commune="Xã Tân Thành", birth_date=born)
            ids.append(person.national_id)
        first = await session.scalar(select(Citizen).where(Citizen.national_id == ids[0]))
        assert first is not None
        await add_condition(session, first, "E11.9")
    walk.citizens = tuple(walk.bot.user(base + n, language_code=walk.locale) for n in range(3))
    walk.national_ids = tuple(ids)
    first_citizen, _, muted = walk.citizens
    await walk.say(first_citizen, "notices state on", "/notices")
    await walk.say(first_citizen, "notices off", "/notices off")
    await walk.say(first_citizen, "notices state off", "/notices")
    await walk.say(first_citizen, "notices on", "/notices on")
    await say(walk.bot, walk.citizens[1], "/notices")
    await say(walk.bot, muted, "/notices off")


async def _new_draft(walk: Walk, user: EmulatedUser, command: str, template: str, name: str) -> MessageRecord:
    """/notice or /alert, then a template: the next question."""
    prompt = await walk.say(user, f"{name}: templates", command)
    return await walk.tap(user, f"{name}: {template} chosen", f"nf:t:{template}", prompt)


async def _to_summary(walk: Walk, user: EmulatedUser, name: str, text: str) -> tuple[MessageRecord, MessageRecord]:
    """The last answer of a draft: the preview and the summary."""
    preview, summary = await say(walk.bot, user, text, 2)
    walk.screens.record(f"{name}: preview", preview)
    walk.screens.record(f"{name}: summary", summary)
    return preview, summary


async def _cancel(walk: Walk, user: EmulatedUser, name: str, message: MessageRecord) -> None:
    await walk.tap(user, f"{name}: cancelled", CANCEL_DATA, message)


async def _no_district_yet(walk: Walk) -> None:
    """Before anyone is linked, a district audience has nothing to offer."""
    prompt = await _new_draft(walk, walk.admin, "/notice", "free", "no districts")
    question = await walk.tap(walk.admin, "no districts: district asked", "nf:a:district", prompt)
    await _cancel(walk, walk.admin, "no districts", question)


async def _audiences(walk: Walk) -> None:
    """A free-text notice to each kind of audience, with every refusal of each step."""
    admin = walk.admin
    first = await walk.say(admin, "audiences: templates (first)", "/notice")
    audience = await _new_draft(walk, admin, "/notice", "free", "all")
    # the first list's buttons are still there, but the draft has moved on
    await walk.tap(admin, "stale template button", "nf:t:dengue", first, replies=2)
    await walk.upload(admin, "file at the audience step", b"cccd\n")
    await walk.tap(admin, "all: chosen", "nf:a:all", audience)
    await walk.say(admin, "free text empty", "   ")
    await walk.say(admin, "free text too long", "x" * 3501)
    await walk.say(admin, "free text too long once escaped", "&" * 3500, 2)
    _, summary = await _to_summary(walk, admin, "all", "Nước máy bị cắt từ 8 giờ.")
    await _cancel(walk, admin, "all", summary)

    typed = {"commune": [("commune", "Huyện Năm Căn/Xã Tân Thành")],
             "age": [("age refused", "tuổi già"), ("age", "60+")],
             "condition": [("condition refused", "??"), ("condition", "E11")]}
    for kind, answers in typed.items():
        prompt = await _new_draft(walk, admin, "/notice", "free", kind)
        await walk.tap(admin, f"{kind}: asked", f"nf:a:{kind}", prompt)
        for step, text in answers:
            await walk.say(admin, f"{kind}: {step}", text)
        _, summary = await _to_summary(walk, admin, kind, "Khám sức khỏe miễn phí.")
        await _cancel(walk, admin, kind, summary)

    prompt = await _new_draft(walk, admin, "/notice", "free", "district")
    districts = await walk.tap(admin, "district: asked", "nf:a:district", prompt)
    await walk.tap(admin, "district: chosen", button_for(districts, "nf:d:0"), districts)
    _, summary = await _to_summary(walk, admin, "district", "Khám sức khỏe miễn phí.")
    await _cancel(walk, admin, "district", summary)

    prompt = await _new_draft(walk, admin, "/notice", "free", "cccd")
    await walk.tap(admin, "cccd: asked", "nf:a:cccd", prompt)
    await walk.say(admin, "cccd: typed instead of a file", "001234567890")
    await walk.upload(admin, "cccd: unreadable file", b"\xff\x00\x13binary")
    await walk.upload(admin, "cccd: no valid row", b"cccd\nabc\n")
    rows = [walk.national_ids[0], walk.national_ids[0], "12345", walk.national_ids[1]]
    await walk.upload(admin, "cccd: read", ("cccd\n" + "\n".join(rows) + "\n").encode(), 2)
    _, summary = await _to_summary(walk, admin, "cccd", "Khám sức khỏe miễn phí.")
    await _cancel(walk, admin, "cccd", summary)


async def _templates(walk: Walk) -> None:
    """Every notice template to everyone, each parameter refused once before it is taken."""
    admin, refused = walk.admin, set()
    for template in templates_of(BroadcastKind.NOTICE):
        if template.is_free_text:
            continue
        name = f"template {template.name}"
        audience = await _new_draft(walk, admin, "/notice", template.name, name)
        await walk.tap(admin, f"{name}: first parameter", "nf:a:all", audience)
        for param in template.params:
            if param.kind not in refused:
                if not refused:
                    await walk.say(admin, f"{name}: {param.name} empty", "   ")
                refused.add(param.kind)
                await walk.say(admin, f"{name}: {param.name} refused", BAD_VALUES[param.kind])
            last = param is template.params[-1]
            value = "30/11/2026" if param.name == "end_date" else GOOD_VALUES[param.kind]
            if not last:
                await walk.say(admin, f"{name}: {param.name} taken", value)
        _, summary = await _to_summary(walk, admin, name, GOOD_VALUES[template.params[-1].kind])
        await _cancel(walk, admin, name, summary)
    # an end day before the first day is asked again once the draft is complete
    audience = await _new_draft(walk, admin, "/notice", "vaccination", "end before start")
    await walk.tap(admin, "end before start: first parameter", "nf:a:all", audience)
    for value in ("Sởi", "Trạm Y tế xã Tân Thành", "28/11/2026", "27/11/2026"):
        await say(walk.bot, admin, value)
    await walk.say(admin, "end before start: refused", "0290 3831 234", 2)
    _, summary = await _to_summary(walk, admin, "end before start", "30/11/2026")
    await walk.say(admin, "end before start: text at the confirmation", "Sởi")
    await _cancel(walk, admin, "end before start", summary)


async def _options_and_stop(walk: Walk) -> None:
    """The notifier previews a notice in every language, marks it urgent and back, schedules it
    (refused times first), and stops it: refused for someone else's, for a finished one, then done."""
    notifier, bot = walk.notifier, walk.bot
    audience = await _new_draft(walk, notifier, "/notice", "dengue", "options")
    await walk.tap(notifier, "options: first parameter", "nf:a:all", audience)
    await say(bot, notifier, "Phường 5")
    preview, summary = await _to_summary(walk, notifier, "options", "115")
    for code in [*(c for c in LANGUAGE_NAMES if c != walk.locale), walk.locale]:
        switched = await tap_for_edit(bot, notifier, f"nf:pv:{code}", preview)
        heading = (switched.text or "").splitlines()[0]
        walk.screens.note(f"options: preview in {code}", (switched.text if code == walk.locale else heading))
    _, summary = await tap_for_messages(bot, notifier, "nf:urgent", 2, summary)
    walk.screens.record("options: urgent", summary)
    _, summary = await tap_for_messages(bot, notifier, "nf:urgent", 2, summary)
    walk.screens.record("options: not urgent", summary)
    await walk.tap(notifier, "options: when", "nf:sched", summary)
    await walk.say(notifier, "options: time not understood", "sáng mai")
    await walk.say(notifier, "options: time passed", "01/01/2020 08:00")
    await walk.say(notifier, "options: time too far", "01/06/2027 08:00")
    _, summary = await _to_summary(walk, notifier, "options scheduled", "27/11/2026 07:30")
    progress = await walk.tap(notifier, "options: scheduled", "nf:send", summary)
    broadcast_id = int(button_for(progress, "bc:x:").rsplit(":", 1)[1])
    async with bot.db.unit_of_work() as session:
        author = await session.scalar(select(Broadcast.created_by_staff_id).where(Broadcast.id == broadcast_id))
        admin = await members.active_staff(session, walk.admin.id)
        assert admin is not None
        await _set_broadcast(session, broadcast_id, created_by_staff_id=admin.id)
    await walk.tap_for_answer(notifier, "stop: not allowed", f"bc:x:{broadcast_id}", progress)
    async with bot.db.unit_of_work() as session:
        # finished with its report shown (the sender leaves its message alone)
        await _set_broadcast(session, broadcast_id, created_by_staff_id=author, status="done", report_sent=True)
    await walk.tap_for_answer(notifier, "stop: already finished", f"bc:x:{broadcast_id}", progress)
    async with bot.db.unit_of_work() as session:
        await _set_broadcast(session, broadcast_id, status="scheduled", report_sent=False)
    await walk.tap_for_answer(notifier, "stop: stopped", f"bc:x:{broadcast_id}", progress)
    walk.sent.append(("options: stopped", notifier, progress))


async def _set_broadcast(session: AsyncSession, broadcast_id: int, **values: object) -> None:
    await session.execute(update(Broadcast).where(Broadcast.id == broadcast_id).values(**values))


async def _reports(walk: Walk) -> None:
    """Each progress message once its broadcast is over (it loses its stop button)."""
    for name, user, progress in walk.sent:
        message = progress
        while message.inline_buttons:
            message = await user.wait_for_edit(progress.message_id, timeout=SENT_WAIT)
        walk.screens.record(name, message)


async def _send_notices(walk: Walk) -> None:
    """A notice sent now, and an urgent one that reaches the citizen who muted notices too."""
    admin, bot = walk.admin, walk.bot
    for urgent in (False, True):
        name = "urgent notice" if urgent else "notice"
        audience = await _new_draft(walk, admin, "/notice", "flood", name)
        await walk.tap(admin, f"{name}: first parameter", "nf:a:all", audience)
        await say(bot, admin, "Xã Tân Thành")
        _, summary = await _to_summary(walk, admin, name, "115")
        if urgent:
            _, summary = await tap_for_messages(bot, admin, "nf:urgent", 2, summary)
        progress = await walk.tap(admin, f"{name}: sending", "nf:send", summary)
        walk.sent.append((f"{name}: sent", admin, progress))
        reached = walk.citizens if urgent else walk.citizens[:2]
        for number, citizen in enumerate(reached):
            [received] = await citizen.wait_for_messages(1, timeout=SENT_WAIT)
            if number == 0:
                walk.screens.record(f"{name}: received", received)


async def _contact_alert(walk: Walk) -> None:
    """A contact-tracing alert to a CSV list; the three citizens answer, one shares her phone."""
    admin, bot = walk.admin, walk.bot
    await _new_draft(walk, admin, "/alert", "contact_alert", "contact alert")
    unknown = cccd_for(date(1970, 1, 1), "male", serial=999)
    listed = "\n".join((*walk.national_ids, unknown))
    await walk.upload(admin, "contact alert: list read", f"cccd\n{listed}\n".encode(), 2)
    await walk.say(admin, "contact alert: disease taken", "Sởi")
    _, summary = await _to_summary(walk, admin, "contact alert", "115")
    progress = await walk.tap(admin, "contact alert: sending", "nf:send", summary)
    walk.sent.append(("contact alert: sent", admin, progress))
    alerts = [(await citizen.wait_for_messages(1, timeout=SENT_WAIT))[0] for citizen in walk.citizens]
    walk.screens.record("contact alert: received", alerts[0])
    first, second, third = walk.citizens
    await _not_yours(walk, second, alerts[1], "sym")
    await walk.tap(second, "answer: symptoms", _answer(alerts[1], "sym"), alerts[1])
    asked = await walk.tap(third, "answer: call me", _answer(alerts[2], "call"), alerts[2])
    async with bot.db.unit_of_work() as session:
        await session.execute(delete(AlertResponse).where(AlertResponse.delivery_id == _delivery(alerts[2])))
    await walk.tap_for_answer(third, "phone: no longer valid", _phone(asked, share=True), asked)
    asked = await walk.tap(third, "answer: call me again", _answer(alerts[2], "call"), alerts[2])
    walk.screens.record("phone: shared", await tap_for_edit(bot, third, _phone(asked, share=True), asked))
    asked = await walk.tap(first, "answer: call me (first)", _answer(alerts[0], "call"), alerts[0])
    declined = await tap_for_edit(bot, first, _phone(asked, share=False), asked)
    walk.screens.record("phone: declined", declined)
    await walk.tap(first, "answer: acknowledged", _answer(alerts[0], "ack"), alerts[0])


def _delivery(alert: MessageRecord) -> int:
    return int((alert.inline_buttons[0].callback_data or "").split(":")[1])


def _answer(alert: MessageRecord, answer: str) -> str:
    return f"alr:{_delivery(alert)}:{answer}"


def _phone(asked: MessageRecord, share: bool) -> str:
    [yes, no] = [button.callback_data for button in asked.inline_buttons]
    assert yes and no and yes.startswith("alp:")
    return yes if share else no


async def _not_yours(walk: Walk, citizen: EmulatedUser, alert: MessageRecord, answer: str) -> None:
    """A forwarded alert's button pressed by someone else (the delivery belongs to another user)."""
    delivery = _delivery(alert)
    async with walk.bot.db.unit_of_work() as session:
        await session.execute(update(BroadcastDelivery).where(BroadcastDelivery.id == delivery)
                              .values(telegram_user_id=walk.admin.id))
    await walk.tap_for_answer(citizen, "answer: not yours", _answer(alert, answer), alert)
    async with walk.bot.db.unit_of_work() as session:
        await session.execute(update(BroadcastDelivery).where(BroadcastDelivery.id == delivery)
                              .values(telegram_user_id=citizen.id))


async def _place_alert(walk: Walk) -> None:
    """A place alert to a district, with a refused time and an end before the start; answers."""
    admin, bot = walk.admin, walk.bot
    audience = await _new_draft(walk, admin, "/alert", "place_alert", "place alert")
    districts = await walk.tap(admin, "place alert: districts", "nf:a:district", audience)
    [chosen] = [b.callback_data for b in districts.inline_buttons if "Năm Căn" in b.text]
    await walk.tap(admin, "place alert: district chosen", chosen or "", districts)
    await walk.say(admin, "place alert: place taken", "Chợ Năm Căn")
    await walk.say(admin, "place alert: start refused", "sáng mai")
    for name, value in (("start", "20/11/2026 08:00"), ("end", "20/11/2026 07:00"), ("disease", "Cúm A")):
        await walk.say(admin, f"place alert: {name} taken", value)
    await walk.say(admin, "place alert: end before start", "115", 2)
    _, summary = await _to_summary(walk, admin, "place alert", "20/11/2026 10:30")
    progress = await walk.tap(admin, "place alert: sending", "nf:send", summary)
    walk.sent.append(("place alert: sent", admin, progress))
    first, second = walk.citizens[:2]
    alerts = [(await citizen.wait_for_messages(1, timeout=SENT_WAIT))[0] for citizen in (first, second)]
    walk.screens.record("place alert: received", alerts[0])
    asked = await walk.tap(first, "answer: was there", _answer(alerts[0], "here"), alerts[0])
    walk.screens.record("phone: shared (place)", await tap_for_edit(bot, first, _phone(asked, True), asked))
    await walk.tap(second, "answer: was not there", _answer(alerts[1], "away"), alerts[1])


async def _follow_up(walk: Walk) -> None:
    """/alerts with every kind of answer, a CSV export, and /stats."""
    overview = await walk.say(walk.admin, "alerts overview", "/alerts")
    [document] = await tap_for_messages(walk.bot, walk.admin, callbacks(overview)[0], 1, overview)
    assert document.document is not None and document.protect_content
    walk.screens.record("alerts export", document)
    await walk.say(walk.admin, "statistics", "/stats")


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
async def test_every_staff_screen_is_shown_translated(running_bot: RunningBot, locale: str) -> None:
    base = 710_000_000 + 100 * SUPPORTED_LOCALES.index(locale)
    screens = Screens()
    walk = await _staff(running_bot, locale, screens, base)
    await _no_district_yet(walk)
    await _citizens(walk, base + 10)
    await _audiences(walk)
    await _templates(walk)
    await _options_and_stop(walk)
    await _send_notices(walk)
    await _contact_alert(walk)
    await _place_alert(walk)
    await _follow_up(walk)
    await _reports(walk)
    assert_every_screen_translated(WALK, running_bot.db.dialect, locale, screens)
