"""Templates: parameters typed by staff, and the message in every language."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.broadcast.compose import (
    ParamError,
    ParamProblem,
    compose,
    parse_param,
    parse_phone,
)
from bot.broadcast.kinds import BroadcastKind
from bot.broadcast.templates import TEMPLATES, ParamKind, get_template, templates_of
from tests.broadcast.support import CATALOGS, PHONE

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
SAMPLE = {
    ParamKind.TEXT: "Trạm Y tế <Phường 5> & chợ",
    ParamKind.DATE: "2026-12-01",
    ParamKind.DATETIME: "2026-11-20T01:00:00+00:00",
    ParamKind.PHONE: PHONE,
}


def _params(name: str) -> dict[str, str]:
    params = {p.name: SAMPLE[p.kind] for p in get_template(name).params}
    if "end" in params:
        params["end"] = "2026-11-20T03:30:00+00:00"
    if "end_date" in params:
        params["end_date"] = "2026-12-03"
    return params


def test_the_common_notices_and_both_alerts_exist() -> None:
    assert {t.name for t in templates_of(BroadcastKind.NOTICE)} >= {
        "exposure",
        "vaccination",
        "dengue",
        "heat",
        "flood",
        "clinic_schedule",
        "free",
    }
    assert [
        t.name for t in templates_of((BroadcastKind.CONTACT_ALERT, BroadcastKind.PLACE_ALERT))
    ] == [
        "contact_alert",
        "place_alert",
    ]


@pytest.mark.parametrize("name", sorted(set(TEMPLATES) - {"free"}))
def test_every_template_renders_in_every_language_with_escaped_values(name: str) -> None:
    content = compose(get_template(name), _params(name), None, False, CATALOGS)
    assert set(content) == {"vi", "en", "km", "bn"}
    for locale, message in content.items():
        text = message["text"]
        assert "{" not in text, f"unfilled placeholder in {locale}"
        assert "&lt;Phường 5&gt; &amp; chợ" in text or "Phường 5" not in text
        assert "<Phường" not in text
    assert len({message["text"] for message in content.values()}) == 4, "each language differs"


def test_dates_and_times_are_shown_in_each_language_and_local_time() -> None:
    content = compose(get_template("place_alert"), _params("place_alert"), None, False, CATALOGS)
    english = content["en"]["text"]
    assert "Nov 20, 2026 8:00" in english and "10:30" in english  # 01:00 UTC is 08:00 in Cà Mau
    assert "20 thg 11, 2026" in content["vi"]["text"]


def test_alerts_carry_answer_buttons_and_notices_the_mute_hint() -> None:
    contact = compose(
        get_template("contact_alert"), _params("contact_alert"), None, False, CATALOGS
    )
    place = compose(get_template("place_alert"), _params("place_alert"), None, False, CATALOGS)
    assert [row[0]["action"] for row in contact["en"]["buttons"]] == ["ack", "sym", "call"]
    assert [row[0]["action"] for row in place["en"]["buttons"]] == ["here", "away"]
    notice = compose(get_template("dengue"), _params("dengue"), None, False, CATALOGS)
    urgent = compose(get_template("dengue"), _params("dengue"), None, True, CATALOGS)
    assert notice["en"]["buttons"] == []
    assert "/notices off" in notice["en"]["text"]
    assert "/notices off" not in urgent["en"]["text"] and "URGENT" in urgent["en"]["text"]
    assert "/notices off" not in contact["en"]["text"]


def test_free_text_goes_out_as_written_between_localized_header_and_footer() -> None:
    written = "Ngày 1/12 trạm y tế nghỉ <b>không</b> làm việc."
    content = compose(get_template("free"), {}, written, False, CATALOGS)
    for message in content.values():
        assert "Ngày 1/12 trạm y tế nghỉ &lt;b&gt;không&lt;/b&gt; làm việc." in message["text"]
    assert content["en"]["text"] != content["km"]["text"]


def test_missing_parameters_and_reversed_ranges_are_refused() -> None:
    params = _params("place_alert")
    with pytest.raises(ParamError) as missing:
        compose(
            get_template("place_alert"),
            {k: v for k, v in params.items() if k != "phone"},
            None,
            False,
            CATALOGS,
        )
    assert missing.value.problem is ParamProblem.EMPTY
    params["end"] = "2026-11-19T00:00:00+00:00"
    with pytest.raises(ParamError) as reversed_range:
        compose(get_template("place_alert"), params, None, False, CATALOGS)
    assert reversed_range.value.problem is ParamProblem.END_BEFORE_START
    with pytest.raises(ParamError) as too_long:
        compose(get_template("free"), {}, "x" * 3501, False, CATALOGS)
    assert too_long.value.problem is ParamProblem.TOO_LONG


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        (ParamKind.DATE, "1/12/2026", "2026-12-01"),
        (ParamKind.DATE, "2026-12-01", "2026-12-01"),
        (ParamKind.DATETIME, "20/11/2026 08:00", "2026-11-20T01:00:00+00:00"),
        (ParamKind.PHONE, "0290.3831.234", "0290 3831 234"),
        (ParamKind.PHONE, "+84 912 345 678", "0912 345 678"),
        (ParamKind.PHONE, "115", "115"),
        (ParamKind.PHONE, "1900 9095", "19009095"),
        (ParamKind.TEXT, "  Chợ   Cà Mau ", "Chợ Cà Mau"),
    ],
)
def test_typed_values_are_stored_in_one_form(kind: ParamKind, typed: str, stored: str) -> None:
    assert parse_param(kind, typed, ZONE) == stored


@pytest.mark.parametrize(
    ("kind", "typed", "problem"),
    [
        (ParamKind.DATE, "31/02/2026", ParamProblem.BAD_DATE),
        (ParamKind.DATETIME, "tomorrow", ParamProblem.BAD_DATETIME),
        (ParamKind.PHONE, "12345", ParamProblem.BAD_PHONE),
        (ParamKind.TEXT, "   ", ParamProblem.EMPTY),
        (ParamKind.TEXT, "x" * 201, ParamProblem.TOO_LONG),
    ],
)
def test_bad_values_are_refused_with_a_reason(
    kind: ParamKind, typed: str, problem: ParamProblem
) -> None:
    with pytest.raises(ParamError) as refused:
        parse_param(kind, typed, ZONE)
    assert refused.value.problem is problem


def test_phone_letters_are_refused() -> None:
    with pytest.raises(ParamError):
        parse_phone("call the station")
