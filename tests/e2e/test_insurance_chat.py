"""/insurance through the chat: the card's status on today's date in Cà Mau, its group, its visits."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from bot.emulator.driver import EmulatedUser
from tests.e2e_record_support import callbacks, say, signed_in_user
from tests.e2e_support import RunningBot
from tests.factories import make_citizen
from tests.records.factories import make_coverage, make_facility, make_visit

pytestmark = pytest.mark.e2e
TODAY = date(2026, 11, 26)
"""The fake clock's date in Cà Mau."""


async def _insured(bot: RunningBot, valid_to: date, **card: Any) -> EmulatedUser:
    """A signed-in citizen holding one card valid until `valid_to`."""
    async with bot.db.unit_of_work() as session:
        citizen = await make_citizen(session)
        await make_coverage(session, citizen, valid_to, **card)
    user, _ = await signed_in_user(bot, citizen)
    return user


async def test_card_status_valid_expiring_and_expired_with_group_name(running_bot: RunningBot) -> None:
    valid = await _insured(running_bot, TODAY + timedelta(days=200))
    expiring = await _insured(
        running_bot,
        TODAY + timedelta(days=12),
        card_number="HT3960111222333",
        beneficiary_group="HT",
        benefit_level=3,
    )
    expired = await _insured(running_bot, TODAY - timedelta(days=5))

    [shown] = await say(running_bot, valid, "/insurance")
    assert "Status: ✅ Valid" in shown.text
    assert "Beneficiary group: DN — Employee of an enterprise" in shown.text
    assert "Benefit level: 4 (80%)" in shown.text
    assert "DN4960123456789" in shown.text and "Trạm Y tế Phường 5" in shown.text
    assert shown.protect_content and callbacks(shown) == ["rec:s"]

    [shown] = await say(running_bot, expiring, "/insurance")
    assert "Status: ⚠️ Expires in 12 days" in shown.text
    assert "Beneficiary group: HT — Pensioner" in shown.text and "Benefit level: 3 (95%)" in shown.text

    [shown] = await say(running_bot, expired, "/insurance")
    assert "Status: ❌ Expired 5 days ago" in shown.text


async def test_visits_paid_by_insurance_are_listed_with_amounts(running_bot: RunningBot) -> None:
    now = running_bot.clock.now()
    async with running_bot.db.unit_of_work() as session:
        citizen = await make_citizen(session)
        await make_coverage(session, citizen, TODAY + timedelta(days=90))
        hospital = await make_facility(session, "Bệnh viện Sản Nhi Cà Mau")
        await make_visit(
            session, citizen, hospital, now - timedelta(days=20),
            total_cost=523_000, insurance_paid=408_400, patient_paid=114_600,
        )
        await make_visit(  # not paid by insurance: not listed
            session, citizen, hospital, now - timedelta(days=9), total_cost=80_000, insurance_paid=0
        )
    user, _ = await signed_in_user(running_bot, citizen)
    [shown] = await say(running_bot, user, "/insurance")
    paid = [line for line in shown.text.splitlines() if "insurance paid" in line]
    assert paid == [
        "• Nov 6, 2026 · 🏥 Bệnh viện Sản Nhi Cà Mau — insurance paid ₫408,400 of ₫523,000; you paid ₫114,600"
    ]
    assert "Status: ✅ Valid" in shown.text
