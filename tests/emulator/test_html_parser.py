"""Telegram HTML parse mode: entities, UTF-16 offsets and tdlib's error messages with byte offsets."""

from __future__ import annotations

import pytest

from bot.emulator import EmulatedUser
from bot.emulator.html_parser import EntityParseError, parse_html, utf16_length
from tests.emulator.conftest import RawApi


def entity(kind: str, offset: int, length: int, **extra: object) -> dict[str, object]:
    return {"type": kind, "offset": offset, "length": length, **extra}


def test_nested_tags_give_entities_in_utf16_offsets() -> None:
    parsed = parse_html("<b>bold <i>both</i></b> plain")
    assert parsed.text == "bold both plain"
    assert parsed.entities == (entity("bold", 0, 9), entity("italic", 5, 4))


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<strong>x</strong>", entity("bold", 0, 1)),
        ("<em>x</em>", entity("italic", 0, 1)),
        ("<u>x</u>", entity("underline", 0, 1)),
        ("<ins>x</ins>", entity("underline", 0, 1)),
        ("<s>x</s>", entity("strikethrough", 0, 1)),
        ("<strike>x</strike>", entity("strikethrough", 0, 1)),
        ("<del>x</del>", entity("strikethrough", 0, 1)),
        ('<span class="tg-spoiler">x</span>', entity("spoiler", 0, 1)),
        ("<tg-spoiler>x</tg-spoiler>", entity("spoiler", 0, 1)),
        ("<code>x</code>", entity("code", 0, 1)),
        ("<pre>x</pre>", entity("pre", 0, 1)),
        ('<pre><code class="language-python">x</code></pre>', entity("pre", 0, 1, language="python")),
        ("<blockquote>x</blockquote>", entity("blockquote", 0, 1)),
        ("<blockquote expandable>x</blockquote>", entity("expandable_blockquote", 0, 1)),
        ('<a href="https://moh.gov.vn/">x</a>', entity("text_link", 0, 1, url="https://moh.gov.vn/")),
        ("<a href=MOH.gov.vn>x</a>", entity("text_link", 0, 1, url="http://moh.gov.vn")),
        ('<a href="moh.gov.vn">x</a>', entity("text_link", 0, 1, url="http://moh.gov.vn")),
        (
            '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
            entity("custom_emoji", 0, 2, custom_emoji_id="5368324170671202286"),
        ),
        (
            '<tg-time unix="1700000000" format="wDT">x</tg-time>',
            entity("date_time", 0, 1, unix_time=1700000000, date_time_format="wDT"),
        ),
        (
            '<a href="tg://user?id=42">x</a>',
            entity("text_mention", 0, 1, user={"id": 42, "is_bot": False, "first_name": ""}),
        ),
    ],
)
def test_every_supported_tag(html: str, expected: dict[str, object]) -> None:
    parsed = parse_html(html)
    assert parsed.text.strip() and parsed.entities == (expected,)


def test_tag_names_are_case_insensitive_and_empty_end_tag_closes_the_last_one() -> None:
    parsed = parse_html("<B>x</b><i>y</>")
    assert parsed.text == "xy"
    assert parsed.entities == (entity("bold", 0, 1), entity("italic", 1, 1))


def test_empty_tags_and_unsafe_links_produce_no_entity() -> None:
    assert parse_html("<b></b>x").entities == ()
    assert parse_html('<a href="javascript:alert(1)">x</a>').entities == ()


def test_link_without_href_uses_its_text_as_url() -> None:
    url = "https://baohiemxahoi.gov.vn"
    assert parse_html(f"<a>{url}</a>").entities == (entity("text_link", 0, len(url), url=url),)


def test_character_references() -> None:
    parsed = parse_html("&lt;b&gt; &amp; &quot;x&quot; &#39;&#x1F600;&lt")
    assert parsed.text == '<b> & "x" \'😀<'


def test_offsets_count_utf16_units_in_vietnamese_khmer_and_emoji() -> None:
    vietnamese = parse_html("Tiếng Việt <b>có dấu</b>")
    assert vietnamese.entities == (entity("bold", 11, 6),)
    khmer_prefix = "សួស្តី "
    khmer = parse_html(f"{khmer_prefix}<i>ពិភពលោក</i>")
    assert khmer.entities == (entity("italic", len(khmer_prefix), len("ពិភពលោក")),)
    emoji = parse_html("😀 <b>ok</b> 🇻🇳 <u>x</u>")
    assert emoji.entities == (entity("bold", 3, 2), entity("underline", 11, 1))


def test_utf16_length() -> None:
    assert utf16_length("Việt Nam") == 8
    assert utf16_length("😀") == 2
    assert utf16_length("e\u0302\u0323") == 3


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("a<br>b", 'Unsupported start tag "br" at byte offset 1'),
        ("Xin chào<br>", 'Unsupported start tag "br" at byte offset 9'),
        ("<p>đoạn</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b>Chào <i>bạn</b></i>", 'Unmatched end tag at byte offset 17, expected "</i>", found "</b>"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ("</b>", "Unexpected end tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ('<a href=x"y>t</a>', "Unexpected end of name token at byte offset 8"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b =x>y</b>", 'Empty attribute name in the tag "b" at byte offset 0'),
        ("<a href=", 'Unclosed start tag "a" at byte offset 0'),
        ('<a href="x', "Unclosed start tag at byte offset 0"),
        ('<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
def test_errors_name_the_problem_and_its_byte_offset(html: str, message: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(html)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("html", "offset"), [("AT&T", 2), ("Phòng khám & nhà thuốc", 13), ('<a href="?a=1&b=2">x</a>', 13)]
)
def test_emulator_rejects_an_unescaped_ampersand(html: str, offset: int) -> None:
    with pytest.raises(EntityParseError, match=f'Unescaped "&" at byte offset {offset}'):
        parse_html(html)


async def test_api_answers_parse_errors_like_telegram(api: RawApi, lan: EmulatedUser) -> None:
    status, body = await api.call("sendMessage", chat_id=lan.id, text="Xin chào<br>", parse_mode="HTML")
    assert status == 400
    assert body == {
        "ok": False,
        "error_code": 400,
        "description": 'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 9',
    }
