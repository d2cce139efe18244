"""Translations and locale-aware formatting (gettext catalogs via Babel)."""

from __future__ import annotations

import gettext as gettext_module
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.settings import SUPPORTED_LOCALES

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
DEFAULT_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

# Each language named in its own script, for the language picker.
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English", "km": "ភាសាខ្មែរ", "bn": "বাংলা"}


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for extraction without translating it now."""
    return message


def resolve_locale(chosen: str | None, telegram_code: str | None, default: str = "vi") -> str:
    """The user's language: explicit choice, then Telegram's language_code, then the default."""
    if chosen in SUPPORTED_LOCALES:
        return chosen
    if telegram_code:
        base = telegram_code.replace("_", "-").split("-", 1)[0].lower()
        if base in SUPPORTED_LOCALES:
            return base
    return default if default in SUPPORTED_LOCALES else "vi"


def _load_translations(locale: str, directory: Path) -> gettext_module.NullTranslations:
    """Load the compiled catalog, compiling the `.po` in memory when the `.mo` is stale."""
    messages_dir = directory / locale / "LC_MESSAGES"
    po_file, mo_file = messages_dir / f"{DOMAIN}.po", messages_dir / f"{DOMAIN}.mo"
    if mo_file.exists() and (not po_file.exists() or mo_file.stat().st_mtime >= po_file.stat().st_mtime):
        with mo_file.open("rb") as handle:
            return gettext_module.GNUTranslations(handle)
    if po_file.exists():
        with po_file.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext_module.GNUTranslations(buffer)
    return gettext_module.NullTranslations()


class Translator:
    """Translations and Babel formatting for one locale and time zone."""

    def __init__(
        self, locale: str, translations: gettext_module.NullTranslations, zone: ZoneInfo
    ) -> None:
        self.locale = locale
        self.zone = zone
        self._translations = translations
        self._babel_locale = Locale.parse(locale)

    def gettext(self, message: str) -> str:
        """Translate a message."""
        return self._translations.gettext(message)

    _ = gettext

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """Translate a message with a count, using the locale's plural rules."""
        return self._translations.ngettext(singular, plural, count)

    def pgettext(self, context: str, message: str) -> str:
        """Translate a short message in a context (button labels that could collide)."""
        return self._translations.pgettext(context, message)

    def local(self, moment: datetime) -> datetime:
        """An aware datetime in the configured time zone."""
        return moment.astimezone(self.zone)

    def format_date(self, value: date | datetime, format: str = "medium") -> str:
        """A date, e.g. `26 thg 11, 2026` in Vietnamese."""
        if isinstance(value, datetime):
            value = self.local(value).date()
        return babel_dates.format_date(value, format=format, locale=self._babel_locale)

    def format_time(self, value: datetime, format: str = "short") -> str:
        """A local time of day."""
        return babel_dates.format_time(self.local(value), format=format, locale=self._babel_locale)

    def format_datetime(self, value: datetime, format: str = "medium") -> str:
        """A local date and time, in the configured time zone."""
        date_part = self.format_date(value, format)
        return f"{date_part} {self.format_time(value)}"

    def format_weekday_date(self, value: datetime) -> str:
        """A local date with its weekday, e.g. `Thứ Năm, 26 thg 11, 2026`."""
        return babel_dates.format_date(
            self.local(value).date(), format="full", locale=self._babel_locale
        )

    def format_number(self, value: int | float | Decimal, decimals: int | None = None) -> str:
        """A number with the locale's separators."""
        if decimals is None:
            return babel_numbers.format_decimal(value, locale=self._babel_locale)
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return babel_numbers.format_decimal(value, format=pattern, locale=self._babel_locale)

    def format_percent(self, value: float | int) -> str:
        """A percentage; `value` is in percent (80 means 80 %)."""
        return babel_numbers.format_percent(value / 100, locale=self._babel_locale)

    def format_money(self, amount: int | Decimal) -> str:
        """An amount in Vietnamese đồng."""
        return babel_numbers.format_currency(
            amount, "VND", locale=self._babel_locale, currency_digits=True
        )

    def format_relative(self, delta: timedelta, granularity: str = "second") -> str:
        """A relative time such as `in 3 days` or `2 hours ago`."""
        return babel_dates.format_timedelta(
            delta, granularity=granularity, add_direction=True, locale=self._babel_locale
        )


class Catalogs:
    """All loaded catalogs; `get(locale)` gives a Translator."""

    def __init__(
        self, directory: Path = LOCALES_DIR, zone: ZoneInfo = DEFAULT_ZONE, default: str = "vi"
    ) -> None:
        self.default = default
        vietnamese = _load_translations("vi", directory)
        self._translators = {}
        for locale in SUPPORTED_LOCALES:
            translations = vietnamese if locale == "vi" else _load_translations(locale, directory)
            if locale != "vi":
                translations.add_fallback(vietnamese)  # Vietnamese is the fallback language
            self._translators[locale] = Translator(locale, translations, zone)

    def get(self, locale: str | None) -> Translator:
        """The translator for a locale, falling back to the default locale."""
        return self._translators.get(locale or self.default) or self._translators[self.default]

    @property
    def locales(self) -> tuple[str, ...]:
        """The supported locales."""
        return tuple(self._translators)
