"""The ICD-10 name table and how diagnosis names are localized in the record views."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from bot.db.session import Database
from bot.i18n import Catalogs
from bot.ingest.synthetic.diagnoses import ACUTE, ANTENATAL, CAESAREAN, CHECKUP, CHRONIC, DELIVERY
from bot.records.icd10 import icd10_table, localized_diagnosis_name, lookup, normalize_code
from bot.records.reader import open_record
from bot.views import record, visits
from tests.factories import make_account
from tests.records.factories import NOW, make_facility, make_rich_citizen, make_visit

VIETNAMESE_PNEUMONIA = "Viêm phổi do phế cầu, thể nặng"
HYPERGLYCAEMIA = "Đái tháo đường type 2 có tăng đường huyết"


def test_table_loads_every_row_with_both_names() -> None:
    text = resources.files("bot.records").joinpath("data", "icd10_names.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    table = icd10_table()
    assert len(table) == len(rows) >= 150  # no duplicate codes
    assert all(entry.name_vi and entry.name_en for entry in table.values())
    assert table["I10"].name_vi == "Tăng huyết áp vô căn (nguyên phát)"
    assert table["I10"].name_en == "Essential (primary) hypertension"


def test_table_covers_every_code_of_the_synthetic_records() -> None:
    codes = {d.code for d in (*ACUTE, CHECKUP, ANTENATAL, DELIVERY, CAESAREAN)}
    codes |= {c.diagnosis.code for c in CHRONIC}
    missing = {code for code in codes if normalize_code(code) not in icd10_table()}
    assert missing == set()


@pytest.mark.parametrize(
    ("raw", "normalized"), [("e11.9", "E11.9"), (" E119 ", "E11.9"), ("I10", "I10"), ("j 18.9", "J18.9")]
)
def test_codes_are_normalized(raw: str, normalized: str) -> None:
    assert normalize_code(raw) == normalized


def test_lookup_by_exact_code_then_category() -> None:
    exact, category = lookup("E11.9"), lookup("E11.65")
    assert exact is not None and exact.code == "E11.9"
    assert category is not None and category.code == "E11"
    assert lookup("Q99.9") is None


@pytest.mark.parametrize(
    ("code", "recorded", "locale", "expected"),
    [
        ("J18.9", "Viêm phổi", "en", "Pneumonia, unspecified"),
        ("J18.9", "Pneumonia NOS", "vi", "Viêm phổi, không đặc hiệu"),
        ("j189", None, "en", "Pneumonia, unspecified"),
        # not in the table: English readers get the category, Vietnamese ones the recorded name
        ("E11.65", HYPERGLYCAEMIA, "en", "Non-insulin-dependent diabetes mellitus"),
        ("E11.65", HYPERGLYCAEMIA, "vi", HYPERGLYCAEMIA),
        ("E11.65", None, "vi", "Bệnh đái tháo đường không phụ thuộc insulin"),
        # Khmer and Bengali: the recorded name, else the English one
        ("I10", "Tăng huyết áp", "km", "Tăng huyết áp"),
        ("I10", None, "bn", "Essential (primary) hypertension"),
        ("I10", "  ", "km", "Essential (primary) hypertension"),
        # unknown codes and uncoded diagnoses: as recorded
        ("Q99.9", "Bệnh hiếm gặp", "en", "Bệnh hiếm gặp"),
        ("Q99.9", None, "en", ""),
        (None, "Sốt chưa rõ nguyên nhân", "en", "Sốt chưa rõ nguyên nhân"),
    ],
)
def test_localized_diagnosis_name(
    code: str | None, recorded: str | None, locale: str, expected: str
) -> None:
    assert localized_diagnosis_name(code, recorded, locale) == expected


async def test_english_reader_sees_english_names_and_the_codes(db: Database, catalogs: Catalogs) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_rich_citizen(session, visits=1)
        await make_account(session, 41, citizen_id=citizen.id)
        hospital = await make_facility(session, "Bệnh viện Đa khoa Cà Mau")
        visit = await make_visit(
            session, citizen, hospital, NOW, diagnoses=(("J18.9", VIETNAMESE_PNEUMONIA), ("I10", "Tăng HA"))
        )
    async with db.unit_of_work() as session:
        reader = await open_record(
            session, telegram_user_id=41, citizen_id=citizen.id, acting_for=None, now=NOW
        )
        summary = await reader.summary()
        page = await reader.visits(1)
        detail = await reader.visit(visit.id)
    assert detail is not None
    english, khmer = catalogs.get("en"), catalogs.get("km")
    shown = [
        visits.visits_page(english, page).text,
        "\n".join(reply.text for reply in visits.visit_detail(english, detail)),
        record.record_summary(english, summary).text,
    ]
    for text in shown:
        assert "Pneumonia, unspecified <code>J18.9</code>" in text
        assert VIETNAMESE_PNEUMONIA not in text
    assert "Insulin-dependent diabetes mellitus <code>E10</code>" in shown[2]  # an active condition
    assert "Essential (primary) hypertension <code>I10</code>" in shown[1]
    assert "Tăng HA" not in shown[1]
    khmer_detail = "\n".join(reply.text for reply in visits.visit_detail(khmer, detail))
    assert f"{VIETNAMESE_PNEUMONIA} <code>J18.9</code>" in khmer_detail
