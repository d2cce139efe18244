"""Callback data of the record buttons, and typed requests in four languages."""

from __future__ import annotations

import pytest

from bot.records.callbacks import (
    NUMBERED,
    Callback,
    CallbackAction,
    format_callback,
    parse_callback,
)
from bot.records.intents import Intent, fold, match_intent


@pytest.mark.parametrize("action", list(CallbackAction))
def test_every_action_round_trips(action: CallbackAction) -> None:
    number = 9_223_372_036_854_775_807 if action in NUMBERED else None
    data = format_callback(action, number)
    assert len(data.encode()) <= 64
    assert parse_callback(data) == Callback(action, number)


def test_callback_examples_from_the_issue() -> None:
    assert format_callback(CallbackAction.VISITS, 2) == "rec:v:2"
    assert format_callback(CallbackAction.CANCEL_ASK, 17) == "appt:cancel:17"
    assert parse_callback("appt:ics:5") == Callback(CallbackAction.CALENDAR, 5)
    assert parse_callback("rec:vd:42") == Callback(CallbackAction.VISIT, 42)


@pytest.mark.parametrize(
    "data",
    [
        "",
        None,
        "rec:v",
        "rec:v:-1",
        "rec:v:1.5",
        "rec:v:x",
        "rec:s:1",
        "appt:cancel:",
        "nope:1",
        "rec:v:١٢",
        "rec:v:" + "9" * 60,
        "fam:sw:1:2",
    ],
)
def test_foreign_or_malformed_callback_data_is_ignored(data: str | None) -> None:
    assert parse_callback(data) is None


def test_format_refuses_wrong_numbers() -> None:
    with pytest.raises(ValueError):
        format_callback(CallbackAction.VISITS)
    with pytest.raises(ValueError):
        format_callback(CallbackAction.RECORD, 1)
    with pytest.raises(ValueError):
        format_callback(CallbackAction.VISIT, -3)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Vietnamese, with and without accents, any case
        ("lịch hẹn", Intent.APPOINTMENTS),
        ("lich hen", Intent.APPOINTMENTS),
        ("LỊCH HẸN của tôi", Intent.APPOINTMENTS),
        ("lichhen", Intent.APPOINTMENTS),
        ("Lịch khám", Intent.APPOINTMENTS),
        ("bảo hiểm", Intent.INSURANCE),
        ("bao hiem y te", Intent.INSURANCE),
        ("thẻ BHYT", Intent.INSURANCE),
        ("xét nghiệm", Intent.LABS),
        ("xet nghiem mau", Intent.LABS),
        ("tiem chung", Intent.VACCINATIONS),
        ("Tiêm phòng cho bé", Intent.VACCINATIONS),
        ("đơn thuốc", Intent.MEDICATIONS),
        ("don thuoc", Intent.MEDICATIONS),
        ("lịch sử khám", Intent.VISITS),
        ("hồ sơ sức khỏe", Intent.RECORD),
        ("ho so suc khoe", Intent.RECORD),
        ("gia đình", Intent.FAMILY),
        ("trợ giúp", Intent.HELP),
        ("đổi ngôn ngữ", Intent.LANGUAGE),
        # English
        ("My appointments", Intent.APPOINTMENTS),
        ("health insurance", Intent.INSURANCE),
        ("lab results", Intent.LABS),
        ("vaccines", Intent.VACCINATIONS),
        ("medicines", Intent.MEDICATIONS),
        ("visit history", Intent.VISITS),
        ("my record", Intent.RECORD),
        ("children", Intent.FAMILY),
        ("help", Intent.HELP),
        ("language", Intent.LANGUAGE),
        # Khmer
        ("ការណាត់ជួប", Intent.APPOINTMENTS),
        ("ធានារាប់រងសុខភាព", Intent.INSURANCE),
        ("ធានារ៉ាប់រង", Intent.INSURANCE),
        ("លទ្ធផលពិសោធន៍", Intent.LABS),
        ("ចាក់ថ្នាំបង្ការ", Intent.VACCINATIONS),
        ("ថ្នាំ", Intent.MEDICATIONS),
        ("ប្រវត្តិពិនិត្យ", Intent.VISITS),
        ("កំណត់ត្រាសុខភាព", Intent.RECORD),
        ("គ្រួសារ", Intent.FAMILY),
        ("ជំនួយ", Intent.HELP),
        ("ភាសា", Intent.LANGUAGE),
        # Bengali
        ("অ্যাপয়েন্টমেন্ট", Intent.APPOINTMENTS),
        ("বীমা", Intent.INSURANCE),
        ("স্বাস্থ্য বীমা কার্ড", Intent.INSURANCE),
        ("রক্ত পরীক্ষা", Intent.LABS),
        ("টিকা", Intent.VACCINATIONS),
        ("ওষুধ", Intent.MEDICATIONS),
        ("চিকিৎসার ইতিহাস", Intent.VISITS),
        ("স্বাস্থ্য রেকর্ড", Intent.RECORD),
        ("পরিবার", Intent.FAMILY),
        ("সাহায্য", Intent.HELP),
        ("ভাষা", Intent.LANGUAGE),
    ],
)
def test_typed_requests_lead_to_their_section(text: str, intent: Intent) -> None:
    assert match_intent(text) is intent


@pytest.mark.parametrize("text", ["", "xin chào", "hello there", "12345", "consoles", "ok " * 100])
def test_text_that_names_no_section_matches_nothing(text: str) -> None:
    assert match_intent(text) is None


def test_folding_drops_vietnamese_accents_but_keeps_khmer_and_bengali_signs() -> None:
    assert fold("Đường HUYẾT") == "duong huyet"
    assert fold("ការណាត់ជួប") == "ការណាត់ជួប"
    assert "ি" in fold("চিকিৎসা")
