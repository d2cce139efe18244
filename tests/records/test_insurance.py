"""The insurance card: status (valid, expiring, expired), group names, visits it paid for."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.db.session import Database
from bot.i18n import Catalogs
from bot.records.beneficiary_groups import (
    BENEFICIARY_GROUPS,
    group_from_card_number,
    level_from_card_number,
)
from bot.records.insurance import CardState, CardStatus, card_status, insurance_overview
from bot.settings import SUPPORTED_LOCALES
from bot.views.insurance import card_status_label
from bot.views.insurance import insurance as render_insurance
from tests.factories import make_citizen
from tests.records.factories import NOW, make_coverage, make_facility, make_visit

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "expected"),
    [
        (date(2026, 1, 1), date(2027, 6, 30), CardStatus(CardState.VALID, 216)),
        (date(2026, 1, 1), date(2026, 12, 26), CardStatus(CardState.EXPIRING, 30)),
        (date(2026, 1, 1), date(2026, 11, 27), CardStatus(CardState.EXPIRING, 1)),
        (date(2026, 1, 1), TODAY, CardStatus(CardState.EXPIRING, 0)),
        (date(2025, 1, 1), date(2026, 11, 25), CardStatus(CardState.EXPIRED, 1)),
        (date(2026, 12, 1), date(2027, 11, 30), CardStatus(CardState.NOT_YET_VALID, 5)),
        (None, None, CardStatus(CardState.UNKNOWN)),
    ],
)
def test_card_status(valid_from: date | None, valid_to: date | None, expected: CardStatus) -> None:
    assert card_status(valid_from, valid_to, TODAY) == expected


def test_status_labels_count_days_in_the_right_form(catalogs: Catalogs) -> None:
    en = catalogs.get("en")
    assert card_status_label(en, CardStatus(CardState.EXPIRING, 1)).endswith("Expires in 1 day")
    assert card_status_label(en, CardStatus(CardState.EXPIRING, 5)).endswith("Expires in 5 days")
    assert card_status_label(en, CardStatus(CardState.EXPIRING, 0)).endswith("Expires today")
    assert card_status_label(en, CardStatus(CardState.EXPIRED, 3)).endswith("Expired 3 days ago")
    assert card_status_label(en, CardStatus(CardState.VALID, 300)).endswith("Valid")


def test_group_table_and_old_card_codes() -> None:
    for code in (
        "DN",
        "HC",
        "HT",
        "GD",
        "HS",
        "TE",
        "CC",
        "CN",
        "HN",
        "BT",
        "QN",
        "CA",
        "CY",
        "TC",
        "XK",
    ):
        assert BENEFICIARY_GROUPS[code]
    assert group_from_card_number("HT3960123456789") == "HT"
    assert level_from_card_number("HT3960123456789") == 3
    assert (
        group_from_card_number("0123456789") is None
        and level_from_card_number("0123456789") is None
    )


async def test_current_card_with_group_level_and_insured_visits(
    db: Database, catalogs: Catalogs
) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session)
        hospital = await make_facility(session, "BV Cà Mau <cs2>")
        await make_coverage(session, citizen, date(2025, 12, 31), card_number="DN4960000000000")
        await make_coverage(
            session,
            citizen,
            date(2026, 12, 10),
            card_number="DN4960123456789",
            benefit_level=None,
            five_years_date=date(2024, 7, 1),
            copay_exempt_from=date(2026, 3, 1),
        )
        for days, paid in ((3, 800_000), (10, 0), (20, 120_000)):
            await make_visit(
                session,
                citizen,
                hospital,
                NOW - timedelta(days=days),
                total_cost=1_000_000,
                insurance_paid=paid,
                patient_paid=1_000_000 - paid,
            )
        overview = await insurance_overview(session, citizen.id, NOW)
    card = overview.card
    assert card is not None
    assert card.card_number == "DN4960123456789"
    assert (card.beneficiary_group, card.benefit_level, card.benefit_percent) == ("DN", 4, 80)
    assert card.status == CardStatus(CardState.EXPIRING, 14)
    assert [v.insurance_paid for v in overview.visits] == [800_000, 120_000]
    for locale in SUPPORTED_LOCALES:
        text = "\n".join(reply.text for reply in render_insurance(catalogs.get(locale), overview))
        assert "<code>DN4960123456789</code>" in text and "BV Cà Mau &lt;cs2&gt;" in text
        assert "80" in text and "14" in text
    en = render_insurance(catalogs.get("en"), overview)[0].text
    assert "DN</b> — Employee of an enterprise" in en
    assert "Benefit level: 4 (80%)" in en
    assert "Expires in 14 days" in en
    assert "Five continuous years of cover since" in en and "Exempt from co-payments from" in en
    assert "800,000" in en and "200,000" in en


async def test_expired_card_and_no_card(db: Database, catalogs: Catalogs) -> None:
    async with db.unit_of_work() as session:
        holder = await make_citizen(session)
        nobody = await make_citizen(session)
        await make_coverage(session, holder, date(2026, 1, 31))
        expired = await insurance_overview(session, holder.id, NOW)
        none = await insurance_overview(session, nobody.id, NOW)
    assert expired.card is not None and expired.card.status.state is CardState.EXPIRED
    en = catalogs.get("en")
    assert "Expired 299 days ago" in render_insurance(en, expired)[0].text
    text = render_insurance(en, none)[0].text
    assert "No health insurance card is recorded for you." in text
    assert "No visits paid by insurance recorded." in text
