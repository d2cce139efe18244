"""Typed requests: "lich hen", "bảo hiểm", "appointment", "ការណាត់ជួប", "বীমা" lead to a section.

Text and keywords are folded the same way: Unicode NFD, Latin accents dropped (only the
combining marks U+0300-U+036F, so Khmer and Bengali vowel signs stay), đ -> d, case folded,
then NFC again. Latin-script keywords match whole words (spaces between their words may
be missing: "lichhen"); Khmer and Bengali, written without spaces between words, match
anywhere. When several keywords match, the longest wins ("lich su kham" is about visits,
"kham" alone too, "lich kham" is about appointments).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class Intent(StrEnum):
    """What the user asked for."""

    RECORD = "record"
    VISITS = "visits"
    LABS = "labs"
    VACCINATIONS = "vaccinations"
    MEDICATIONS = "medications"
    APPOINTMENTS = "appointments"
    INSURANCE = "insurance"
    FAMILY = "family"
    HELP = "help"
    LANGUAGE = "language"


# Vietnamese keywords are written with their accents; the folding makes the unaccented
# spelling match too. Each language is a separate tuple to keep the table readable.
KEYWORDS: dict[Intent, dict[str, tuple[str, ...]]] = {
    Intent.RECORD: {
        "vi": (
            "hồ sơ",
            "hồ sơ sức khỏe",
            "hồ sơ sức khoẻ",
            "sổ sức khỏe",
            "bệnh án",
            "sức khỏe của tôi",
        ),
        "en": ("record", "records", "my record", "health record", "medical record", "summary"),
        "km": ("កំណត់ត្រាសុខភាព", "ប្រវត្តិសុខភាព", "កំណត់ត្រា"),
        "bn": ("স্বাস্থ্য রেকর্ড", "রেকর্ড", "মেডিকেল রেকর্ড"),
    },
    Intent.VISITS: {
        "vi": (
            "khám",
            "lần khám",
            "lịch sử khám",
            "khám bệnh",
            "đợt khám",
            "điều trị",
            "nhập viện",
        ),
        "en": (
            "visit",
            "visits",
            "visit history",
            "consultation",
            "consultations",
            "checkup",
            "check-up",
        ),
        "km": ("ការពិនិត្យ", "ប្រវត្តិពិនិត្យ", "ពិនិត្យសុខភាព"),
        "bn": ("ভিজিট", "চিকিৎসা", "চিকিৎসার ইতিহাস", "ডাক্তার দেখানো"),
    },
    Intent.LABS: {
        "vi": (
            "xét nghiệm",
            "kết quả xét nghiệm",
            "kết quả",
            "chỉ số",
            "huyết áp",
            "đường huyết",
            "thử máu",
        ),
        "en": (
            "lab",
            "labs",
            "lab results",
            "test results",
            "blood test",
            "results",
            "blood pressure",
        ),
        "km": ("លទ្ធផលពិសោធន៍", "ពិសោធន៍", "តេស្តឈាម", "លទ្ធផល", "សម្ពាធឈាម"),
        "bn": ("পরীক্ষা", "ল্যাব", "পরীক্ষার ফলাফল", "রক্ত পরীক্ষা", "ফলাফল", "রক্তচাপ"),
    },
    Intent.VACCINATIONS: {
        "vi": (
            "tiêm chủng",
            "tiêm phòng",
            "vắc xin",
            "vắc-xin",
            "vaccine",
            "vacxin",
            "mũi tiêm",
            "tiêm",
        ),
        "en": (
            "vaccination",
            "vaccinations",
            "vaccine",
            "vaccines",
            "immunization",
            "immunisation",
            "immunizations",
            "shots",
            "jab",
        ),
        "km": ("ចាក់ថ្នាំបង្ការ", "វ៉ាក់សាំង", "ថ្នាំបង្ការ"),
        "bn": ("টিকা", "টিকাদান", "ভ্যাকসিন"),
    },
    Intent.MEDICATIONS: {
        "vi": ("thuốc", "đơn thuốc", "toa thuốc", "thuốc đang dùng"),
        "en": (
            "medication",
            "medications",
            "medicine",
            "medicines",
            "drugs",
            "prescription",
            "prescriptions",
            "pills",
        ),
        "km": ("ថ្នាំ", "វេជ្ជបញ្ជា"),
        "bn": ("ওষুধ", "ঔষধ", "প্রেসক্রিপশন"),
    },
    Intent.APPOINTMENTS: {
        "vi": (
            "lịch hẹn",
            "hẹn khám",
            "lịch khám",
            "cuộc hẹn",
            "tái khám",
            "hủy hẹn",
            "huỷ hẹn",
            "đặt lịch",
        ),
        "en": ("appointment", "appointments", "booking", "bookings", "my appointment", "schedule"),
        "km": ("ការណាត់ជួប", "ណាត់ជួប", "ការណាត់", "ណាត់"),
        "bn": ("অ্যাপয়েন্টমেন্ট", "এপয়েন্টমেন্ট", "সাক্ষাৎ", "সাক্ষাতের সময়"),
    },
    Intent.INSURANCE: {
        "vi": ("bảo hiểm", "bảo hiểm y tế", "bhyt", "thẻ bhyt", "thẻ bảo hiểm"),
        "en": ("insurance", "health insurance", "insurance card", "coverage", "bhyt"),
        "km": ("ធានារ៉ាប់រង", "ធានារាប់រង", "ធានារាប់រងសុខភាព", "ធានារ៉ាប់រងសុខភាព", "ប័ណ្ណធានារ៉ាប់រង"),
        "bn": ("বীমা", "স্বাস্থ্য বীমা", "বিমা", "ইন্স্যুরেন্স"),
    },
    Intent.FAMILY: {
        "vi": ("gia đình", "con", "con tôi", "con của tôi", "trẻ em", "con cái", "người thân"),
        "en": ("family", "child", "children", "my child", "my children", "kids", "son", "daughter"),
        "km": ("គ្រួសារ", "កូន", "កូនរបស់ខ្ញុំ"),
        "bn": ("পরিবার", "সন্তান", "শিশু", "বাচ্চা"),
    },
    Intent.HELP: {
        "vi": ("giúp", "trợ giúp", "giúp đỡ", "hướng dẫn", "hỗ trợ"),
        "en": ("help", "how to", "support", "menu"),
        "km": ("ជំនួយ", "ជួយ"),
        "bn": ("সাহায্য", "সহায়তা"),
    },
    Intent.LANGUAGE: {
        "vi": (
            "ngôn ngữ",
            "đổi ngôn ngữ",
            "tiếng việt",
            "tiếng anh",
            "tiếng khmer",
            "tiếng bengal",
        ),
        "en": (
            "language",
            "change language",
            "english",
            "vietnamese",
            "khmer",
            "bengali",
            "bangla",
        ),
        "km": ("ភាសា", "ភាសាខ្មែរ", "ប្តូរភាសា"),
        "bn": ("ভাষা", "বাংলা", "ভাষা পরিবর্তন"),
    },
}


def fold(text: str) -> str:
    """Text folded for matching: no Latin accents, đ -> d, case folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(char for char in decomposed if not "\u0300" <= char <= "\u036f")
    folded = unicodedata.normalize("NFC", stripped.casefold())
    return " ".join(folded.replace("-", " ").split())


def _is_latin(keyword: str) -> bool:
    return all(char.isascii() for char in keyword)


def _pattern(keyword: str) -> re.Pattern[str]:
    if not _is_latin(keyword):
        return re.compile(re.escape(keyword))
    words = [re.escape(word) for word in keyword.split()]
    return re.compile(r"(?<![0-9a-z])" + r"\s*".join(words) + r"(?![0-9a-z])")


def _compile() -> list[tuple[int, re.Pattern[str], Intent]]:
    table = []
    for intent, languages in KEYWORDS.items():
        for keywords in languages.values():
            for keyword in keywords:
                folded = fold(keyword)
                table.append((len(folded.replace(" ", "")), _pattern(folded), intent))
    table.sort(key=lambda entry: -entry[0])
    return table


_TABLE = _compile()
MAX_TEXT_LENGTH = 200
"""Longer messages are not requests to open a section."""


def match_intent(text: str) -> Intent | None:
    """The section a typed message asks for, or None when none fits."""
    if not text or len(text) > MAX_TEXT_LENGTH:
        return None
    folded = fold(text)
    for _, pattern, intent in _TABLE:
        if pattern.search(folded):
            return intent
    return None
