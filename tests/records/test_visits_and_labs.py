"""Visits (paged, newest first, detail with costs) and lab results (markers, history)."""

from __future__ import annotations

from datetime import timedelta

from bot.db.session import Database
from bot.i18n import Catalogs
from bot.records.callbacks import Callback, CallbackAction, parse_callback
from bot.records.labs import Marker, latest_results, range_marker, result_history
from bot.records.visits import visit_detail, visits_page
from bot.settings import SUPPORTED_LOCALES
from bot.views.labs import lab_history, labs_page
from bot.views.reply import Reply
from bot.views.split import telegram_length
from bot.views.visits import visit_detail as render_detail
from bot.views.visits import visits_page as render_page
from tests.factories import make_citizen
from tests.records.conftest import counting_statements
from tests.records.factories import NOW, make_facility, make_rich_citizen, make_visit


def _callbacks(reply: Reply) -> list[Callback]:
    rows = reply.buttons
    return [c for row in rows for b in row if b.data and (c := parse_callback(b.data)) is not None]


async def test_300_visits_page_by_five_newest_first_each_page_fits(
    db: Database, catalogs: Catalogs
) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_rich_citizen(session, visits=300)
    seen: list[int] = []
    async with db.unit_of_work() as session:
        with counting_statements(db) as statements:
            first = await visits_page(session, citizen.id, 1)
        assert statements.count == 1
        assert (first.total, first.pages, first.has_previous, first.has_next) == (
            300,
            60,
            False,
            True,
        )
        for number in range(1, 61):
            page = await visits_page(session, citizen.id, number)
            assert len(page.items) == 5
            seen += [item.visit_id for item in page.items]
            starts = [item.start for item in page.items if item.start is not None]
            assert len(starts) == 5 and starts == sorted(starts, reverse=True)
            for locale in SUPPORTED_LOCALES:
                reply = render_page(catalogs.get(locale), page)
                assert telegram_length(reply.text) <= 4096
                actions = _callbacks(reply)
                assert (Callback(CallbackAction.VISITS, number - 1) in actions) == (number > 1)
                assert (Callback(CallbackAction.VISITS, number + 1) in actions) == (number < 60)
                assert [c.number for c in actions if c.action is CallbackAction.VISIT] == [
                    item.visit_id for item in page.items
                ]
        beyond = await visits_page(session, citizen.id, 61)
    assert len(set(seen)) == 300
    assert beyond.number == 1  # a stale page number falls back to the first page
    facilities = {item.facility for item in first.items}
    assert len(facilities) == 3  # merged from every facility


async def test_no_visits_says_so(db: Database, catalogs: Catalogs) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session)
        page = await visits_page(session, citizen.id, 1)
        labs = await latest_results(session, citizen.id, 1)
    assert page.total == 0 and page.pages == 1
    assert "No visits recorded." in render_page(catalogs.get("en"), page).text
    assert "No lab results recorded." in labs_page(catalogs.get("en"), labs).text


async def test_visit_detail_with_costs_medicines_results_and_services(
    db: Database, catalogs: Catalogs
) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session)
        other = await make_citizen(session)
        hospital = await make_facility(session, "Bệnh viện & Khoa <Nhi>")
        visit = await make_visit(
            session,
            citizen,
            hospital,
            NOW - timedelta(days=3),
            diagnoses=(("E11", "Đái tháo đường type 2"), ("I10", "Tăng huyết áp")),
            medications=[
                {
                    "name": "Metformin",
                    "strength": "500 mg",
                    "dosage": "1 viên x 2 lần/ngày",
                    "quantity": 60.0,
                    "unit": "viên",
                }
            ],
            results=[
                {
                    "code": "2339-0",
                    "name": "Glucose",
                    "value": 9.5,
                    "unit": "mmol/L",
                    "reference_low": 3.9,
                    "reference_high": 6.4,
                }
            ],
            services=[
                {"name": "Khám bệnh", "quantity": 1.0, "total": 39_000},
                {"name": "Xét nghiệm đường huyết", "quantity": 1.0, "total": 25_000},
            ],
            total_cost=1_234_567,
            insurance_paid=987_654,
            patient_paid=246_913,
            practitioner_name="BS. Lan",
            follow_up_date=(NOW + timedelta(days=30)).date(),
        )
    async with db.unit_of_work() as session:
        with counting_statements(db) as statements:
            detail = await visit_detail(session, citizen.id, visit.id)
        assert statements.count <= 5
        assert await visit_detail(session, other.id, visit.id) is None  # someone else's visit
    assert detail is not None
    assert [(d.code, d.icd10, d.main) for d in detail.diagnoses] == [
        ("E11", "E11", True),
        ("I10", "I10", False),
    ]
    assert detail.results[0].marker is Marker.ABOVE
    vi = render_detail(catalogs.get("vi"), detail)
    assert len(vi) == 1
    text = vi[0].text
    assert "Bệnh viện &amp; Khoa &lt;Nhi&gt;" in text
    assert "1.234.567" in text and "987.654" in text and "246.913" in text
    assert "Metformin 500 mg" in text and "9,5 mmol/L" in text and "▲" in text
    assert "Khám bệnh" in text and "39.000" in text
    en = render_detail(catalogs.get("en"), detail)[0].text
    assert "1,234,567" in en and "Paid by insurance" in en and "Paid by the patient" in en


async def test_a_visit_with_hundreds_of_services_is_split_into_messages(
    db: Database, catalogs: Catalogs
) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session)
        services = [
            {"name": f"Dịch vụ {n} " + "z" * 80, "quantity": 2.0, "total": 10_000 * n}
            for n in range(200)
        ]
        visit = await make_visit(session, citizen, None, NOW - timedelta(days=1), services=services)
        detail = await visit_detail(session, citizen.id, visit.id)
    assert detail is not None
    for locale in SUPPORTED_LOCALES:
        replies = render_detail(catalogs.get(locale), detail)
        assert len(replies) > 1
        assert all(telegram_length(reply.text) <= 4096 for reply in replies)
        assert all(not reply.buttons for reply in replies[:-1]) and replies[-1].buttons
        joined = "\n".join(reply.text for reply in replies)
        assert all(f"Dịch vụ {n} " in joined for n in range(200))


def test_markers_use_the_range_or_the_interpretation() -> None:
    assert range_marker(7.0, 3.9, 6.4, None) is Marker.ABOVE
    assert range_marker(3.0, 3.9, 6.4, None) is Marker.BELOW
    assert range_marker(5.0, 3.9, 6.4, "H") is Marker.NORMAL  # the numbers win
    assert range_marker(5.0, None, 5.2, None) is Marker.NORMAL
    assert range_marker(None, None, None, "HH") is Marker.ABOVE
    assert range_marker(None, None, None, "L") is Marker.BELOW
    assert range_marker(None, None, None, "A") is Marker.ABNORMAL
    assert range_marker(None, None, None, None) is Marker.UNKNOWN


async def test_latest_value_per_test_and_one_tests_history(
    db: Database, catalogs: Catalogs
) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session)
        other = await make_citizen(session)
        labs = [await make_facility(session, "Labo A"), await make_facility(session, "Labo B")]
        for months, value in enumerate((5.0, 7.2, 3.1, 6.0)):
            await make_visit(
                session,
                citizen,
                labs[months % 2],
                NOW - timedelta(days=30 * months),
                diagnoses=(),
                results=[
                    {
                        "code": "2339-0",
                        "name": "Glucose",
                        "value": value,
                        "unit": "mmol/L",
                        "reference_low": 3.9,
                        "reference_high": 6.4,
                    },
                    {
                        "code": "718-7",
                        "name": "Hemoglobin",
                        "value": 10.0 + months,
                        "unit": "g/dL",
                        "reference_low": 12.0,
                        "reference_high": 16.0,
                    },
                ],
            )
        await make_visit(
            session,
            citizen,
            labs[0],
            NOW - timedelta(days=1),
            diagnoses=(),
            results=[
                {"code": "72166-2", "name": "Smoking status", "value": None, "category": "survey"}
            ],
        )
    async with db.unit_of_work() as session:
        with counting_statements(db) as statements:
            page = await latest_results(session, citizen.id, 1)
        assert statements.count == 1
        glucose = next(item for item in page.items if item.code == "2339-0")
        history = await result_history(session, citizen.id, glucose.observation_id)
        assert await result_history(session, other.id, glucose.observation_id) is None
    assert [item.code for item in page.items] == [
        "2339-0",
        "718-7",
    ]  # survey answers are not results
    assert (
        glucose.value_number == 5.0
        and glucose.values_recorded == 4
        and glucose.marker is Marker.NORMAL
    )
    hemoglobin = next(item for item in page.items if item.code == "718-7")
    assert hemoglobin.marker is Marker.BELOW
    assert history is not None
    assert [item.value_number for item in history.items] == [5.0, 7.2, 3.1, 6.0]
    assert [item.facility for item in history.items] == ["Labo A", "Labo B", "Labo A", "Labo B"]
    for locale in SUPPORTED_LOCALES:
        t = catalogs.get(locale)
        reply = labs_page(t, page)
        assert "▼" in reply.text
        assert Callback(CallbackAction.LAB_HISTORY, glucose.observation_id) in _callbacks(reply)
        texts = [r.text for r in lab_history(t, history)]
        assert "▲" in texts[0] and "▼" in texts[0] and "Labo B" in texts[0]
