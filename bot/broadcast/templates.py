"""Notice and alert templates: English msgids in the catalogs, parameters filled by staff."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.broadcast.kinds import BroadcastKind
from bot.i18n import N_


class ParamKind(StrEnum):
    """How a parameter is typed in and shown."""

    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    PHONE = "phone"


@dataclass(frozen=True)
class Param:
    """A blank staff fill in; `label` is a msgid shown to staff."""

    name: str
    label: str
    kind: ParamKind = ParamKind.TEXT


@dataclass(frozen=True)
class Template:
    """A notice or alert; `body` is None for free text, which goes out as written."""

    name: str
    kind: BroadcastKind
    title: str
    body: str | None
    params: tuple[Param, ...] = ()

    @property
    def is_free_text(self) -> bool:
        """True when staff write the body themselves."""
        return self.body is None


PLACE = Param("place", N_("Place or area"))
PHONE = Param("phone", N_("Phone number to call"), ParamKind.PHONE)
DISEASE = Param("disease", N_("Disease (as it should appear, e.g. COVID-19)"))

FREE_TEXT = Template("free", BroadcastKind.NOTICE, N_("Notice from the health service"), None)

TEMPLATES: dict[str, Template] = {
    template.name: template
    for template in (
        Template(
            "exposure",
            BroadcastKind.NOTICE,
            N_("Contact-tracing notice"),
            N_(
                "A person with {disease} was at {place} on {date}. If you were there that day, "
                "watch your health for 14 days. If you get a fever, cough or difficulty "
                "breathing, wear a mask, stay at home and call {phone}."
            ),
            (DISEASE, PLACE, Param("date", N_("Date"), ParamKind.DATE), PHONE),
        ),
        Template(
            "vaccination",
            BroadcastKind.NOTICE,
            N_("Vaccination campaign"),
            N_(
                "Free vaccination against {vaccine} at {place} from {start_date} to {end_date}. "
                "Please bring your citizen ID card and your vaccination book. "
                "Questions: call {phone}."
            ),
            (
                Param("vaccine", N_("Vaccine or disease")),
                PLACE,
                Param("start_date", N_("First day"), ParamKind.DATE),
                Param("end_date", N_("Last day"), ParamKind.DATE),
                PHONE,
            ),
        ),
        Template(
            "dengue",
            BroadcastKind.NOTICE,
            N_("Dengue prevention"),
            N_(
                "Dengue fever is spreading in {place}. Every week, empty, scrub and cover water "
                "containers, clear away rubbish that holds rainwater, and sleep under a mosquito "
                "net, also in the daytime. If you have a high fever, a severe headache, pain "
                "behind the eyes or any bleeding, go to a health facility at once and do not "
                "take aspirin. Hotline: {phone}."
            ),
            (PLACE, PHONE),
        ),
        Template(
            "heat",
            BroadcastKind.NOTICE,
            N_("Heat health advice"),
            N_(
                "Very hot weather is expected in {place} from {start_date} to {end_date}. "
                "Drink water often, even when you are not thirsty, stay out of the sun from "
                "10:00 to 16:00, and check on older people, young children and anyone with a "
                "chronic illness. If someone becomes confused, very hot or stops sweating, cool "
                "them with water and call 115. Advice: {phone}."
            ),
            (
                PLACE,
                Param("start_date", N_("First day"), ParamKind.DATE),
                Param("end_date", N_("Last day"), ParamKind.DATE),
                PHONE,
            ),
        ),
        Template(
            "flood",
            BroadcastKind.NOTICE,
            N_("Flood health advice"),
            N_(
                "Flooding affects {place}. Drink only boiled or bottled water, wash your hands "
                "with soap, keep children away from flood water and stay clear of electric wires. "
                "If you have diarrhoea, a fever or a wound that turns red and swollen, go to the "
                "health station or call {phone}."
            ),
            (PLACE, PHONE),
        ),
        Template(
            "clinic_schedule",
            BroadcastKind.NOTICE,
            N_("Clinic schedule change"),
            N_(
                "From {date}, {clinic} will be open at these hours: {hours}. Appointments "
                "already booked stay valid. Questions: call {phone}."
            ),
            (
                Param("clinic", N_("Clinic or health station")),
                Param("date", N_("From which day"), ParamKind.DATE),
                Param("hours", N_("New opening hours")),
                PHONE,
            ),
        ),
        FREE_TEXT,
        Template(
            "contact_alert",
            BroadcastKind.CONTACT_ALERT,
            N_("Contact-tracing alert"),
            N_(
                "The health team has found that you were in close contact with a person who has "
                "{disease}. For the next 14 days, please limit contact with others, wear a mask "
                "and watch for fever, cough or difficulty breathing. Please answer with one of "
                "the buttons below. Health team: {phone}."
            ),
            (DISEASE, PHONE),
        ),
        Template(
            "place_alert",
            BroadcastKind.PLACE_ALERT,
            N_("Possible exposure"),
            N_(
                "If you were at {place} between {start} and {end}, you may have been exposed to "
                "{disease}. Please tell us with a button below whether you were there. "
                "Health team: {phone}."
            ),
            (
                PLACE,
                Param("start", N_("From (date and time)"), ParamKind.DATETIME),
                Param("end", N_("Until (date and time)"), ParamKind.DATETIME),
                DISEASE,
                PHONE,
            ),
        ),
    )
}

HEADER = N_("From the Cà Mau Department of Health")
FOOTER_TRUST = N_("The health service never asks for money, passwords or codes.")
FOOTER_MUTE = N_("To stop general notices, send /notices off.")
URGENT_MARK = N_("URGENT")


def templates_of(kind: BroadcastKind | tuple[BroadcastKind, ...]) -> list[Template]:
    """The templates of one kind (or several), in display order."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return [template for template in TEMPLATES.values() if template.kind in kinds]


def get_template(name: str) -> Template:
    """A template by name; raises KeyError for an unknown one."""
    return TEMPLATES[name]
