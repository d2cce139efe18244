"""The route and department code tables, their look-ups, and how the views name the codes."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from bot.i18n import Catalogs
from bot.records.catalogues import (
    DEPARTMENTS_FILE,
    LANGUAGES,
    ROUTES_FILE,
    code_table,
    department_name,
    localized_code,
    route_name,
)
from bot.records.common import make_page
from bot.records.medications import MedicationItem
from bot.settings import SUPPORTED_LOCALES
from bot.views import medications
from bot.views.formatting import department, route

ORAL = {"vi": "Uống", "en": "Oral", "km": "លេបតាមមាត់", "bn": "মুখে খাওয়া"}


def _rows(file_name: str) -> list[dict[str, str]]:
    text = resources.files("bot.records").joinpath("data", file_name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@pytest.mark.parametrize("file_name", [ROUTES_FILE, DEPARTMENTS_FILE])
def test_tables_have_the_five_columns_unique_codes_and_every_language(file_name: str) -> None:
    rows = _rows(file_name)
    text = resources.files("bot.records").joinpath("data", file_name).read_text("utf-8")
    assert text.splitlines()[0] == "code," + ",".join(LANGUAGES)
    assert len(code_table(file_name)) == len(rows)  # no code twice
    assert all(row[lang].strip() for row in rows for lang in LANGUAGES), "no name left empty"


def test_route_table_holds_the_recovered_codes_of_the_vn_core_catalogue() -> None:
    table = code_table(ROUTES_FILE)
    assert sorted(table) == ["1.01", "1.02", "1.03", "1.04", "1.05"]
    assert table["1.04"]["vi"] == "Đặt dưới lưỡi"


def test_supported_locales_are_the_table_languages() -> None:
    assert set(SUPPORTED_LOCALES) == set(LANGUAGES)


@pytest.mark.parametrize("locale", sorted(ORAL))
def test_a_route_code_is_named_in_every_language(locale: str) -> None:
    assert route_name("1.01", locale) == ORAL[locale]
    assert route_name(" 1.01 ", locale) == ORAL[locale]


def test_a_locale_with_a_region_uses_its_language_and_others_fall_back_to_vietnamese() -> None:
    assert route_name("1.01", "en_GB") == "Oral"
    assert route_name("1.01", "fr") == "Uống"


@pytest.mark.parametrize("locale", sorted(ORAL))
def test_unknown_codes_and_free_text_are_shown_as_recorded(locale: str) -> None:
    assert route_name("2.99", locale) == "2.99"
    assert route_name("Uống sau ăn", locale) == "Uống sau ăn"
    assert route_name(None, locale) is None and route_name("  ", locale) is None
    assert department_name("K17", locale) == "K17"
    assert department_name("Khoa Nội tổng hợp", locale) == "Khoa Nội tổng hợp"


def test_a_row_missing_the_readers_language_falls_back_to_vietnamese(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def table(file_name: str) -> dict[str, dict[str, str]]:
        return {"K01": {"vi": "Khoa Khám bệnh", "en": "Outpatient Department"}}

    monkeypatch.setattr("bot.records.catalogues.code_table", table)
    assert localized_code(DEPARTMENTS_FILE, "k01", "km") == "Khoa Khám bệnh"
    assert localized_code(DEPARTMENTS_FILE, "K01", "en") == "Outpatient Department"


@pytest.mark.parametrize("locale", sorted(ORAL))
def test_views_name_the_route_and_label_the_department_in_every_language(
    catalogs: Catalogs, locale: str
) -> None:
    t = catalogs.get(locale)
    assert route(t, "1.01") == ORAL[locale]
    assert route(t, "a & b") == "a &amp; b"
    assert route(t, None) is None
    label = t.gettext("Department: {name}")
    assert department(t, "K17") == label.format(name="K17")
    assert department(t, "") is None


def test_the_medications_page_shows_the_route_by_name(catalogs: Catalogs) -> None:
    item = MedicationItem(
        1, "Amoxicillin", "500mg", "1.01", "1 viên x 3", 21, "Viên", True, None, None, None, "BV"
    )
    page = make_page([item], 1, 8, 1)
    english = medications.medications_page(catalogs.get("en"), page).text
    assert "1 viên x 3 · Oral · quantity 21 Viên" in english
    assert "1 viên x 3 · Uống" in medications.medications_page(catalogs.get("vi"), page).text
