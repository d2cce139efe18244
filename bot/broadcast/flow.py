"""The guided /notice and /alert flow, stored in ConversationState so it survives restarts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcast.audience import Audience, AudienceKind, age_band, condition_prefix
from bot.broadcast.compose import (
    ParamError,
    ParamProblem,
    parse_free_text,
    parse_local_datetime,
    parse_param,
)
from bot.broadcast.contacts_csv import ContactList, parse_contacts
from bot.broadcast.kinds import BroadcastKind
from bot.broadcast.service import Draft
from bot.broadcast.templates import Param, Template, get_template, templates_of
from bot.db.models import ConversationState

FLOWS = ("notice", "alert")
MAX_SCHEDULE_AHEAD = timedelta(days=60)
AREA_AUDIENCES = (AudienceKind.ALL, AudienceKind.DISTRICT, AudienceKind.COMMUNE)


class Step(StrEnum):
    """What the flow waits for next."""

    TEMPLATE = "template"
    AUDIENCE = "audience"
    DISTRICT = "district"
    COMMUNE = "commune"
    AGE = "age"
    CONDITION = "condition"
    CCCD_FILE = "cccd_file"
    FREE_TEXT = "free_text"
    PARAM = "param"
    SCHEDULE = "schedule"
    CONFIRM = "confirm"


TEXT_STEPS = (Step.COMMUNE, Step.AGE, Step.CONDITION, Step.FREE_TEXT, Step.PARAM, Step.SCHEDULE)
_TEXT_AUDIENCE_STEPS = {
    AudienceKind.COMMUNE: Step.COMMUNE,
    AudienceKind.AGE: Step.AGE,
    AudienceKind.CONDITION: Step.CONDITION,
    AudienceKind.CCCD: Step.CCCD_FILE,
    AudienceKind.DISTRICT: Step.DISTRICT,
}


class FlowProblem(StrEnum):
    """Why an input was refused (besides parameter problems)."""

    BAD_AGE = "bad_age"
    BAD_CONDITION = "bad_condition"
    UNREADABLE_FILE = "unreadable_file"
    NO_VALID_ROWS = "no_valid_rows"
    SCHEDULE_IN_PAST = "schedule_in_past"
    SCHEDULE_TOO_FAR = "schedule_too_far"
    UNKNOWN_CHOICE = "unknown_choice"


@dataclass
class FlowState:
    """A draft notice or alert under construction."""

    mode: str
    template: str | None = None
    audience: dict[str, Any] | None = None
    audience_kind: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    free_text: str | None = None
    urgent: bool = False
    scheduled_at: str | None = None
    awaiting_schedule: bool = False
    districts: list[str] = field(default_factory=list)
    bad_rows: list[list[Any]] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FlowState:
        """The state stored by `asdict` (keys a newer or older version wrote are ignored)."""
        known = {item.name for item in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})

    @property
    def kinds(self) -> tuple[BroadcastKind, ...]:
        """The broadcast kinds this flow offers."""
        if self.mode == "notice":
            return (BroadcastKind.NOTICE,)
        return (BroadcastKind.CONTACT_ALERT, BroadcastKind.PLACE_ALERT)

    @property
    def chosen(self) -> Template | None:
        """The chosen template."""
        return get_template(self.template) if self.template else None

    def missing_param(self) -> Param | None:
        """The next parameter to ask for."""
        template = self.chosen
        if template is None:
            return None
        return next((p for p in template.params if p.name not in self.params), None)

    def step(self) -> Step:
        """The step the flow is at, derived from what is filled in."""
        template = self.chosen
        if template is None:
            return Step.TEMPLATE
        if self.audience is None:
            if template.kind is BroadcastKind.CONTACT_ALERT:
                return Step.CCCD_FILE
            if self.audience_kind is None:
                return Step.AUDIENCE
            return _TEXT_AUDIENCE_STEPS[AudienceKind(self.audience_kind)]
        if template.is_free_text and self.free_text is None:
            return Step.FREE_TEXT
        if self.missing_param() is not None:
            return Step.PARAM
        return Step.SCHEDULE if self.awaiting_schedule else Step.CONFIRM

    def audience_choices(self) -> tuple[AudienceKind, ...]:
        """Audience kinds offered: areas for place alerts, every kind for notices."""
        template = self.chosen
        if template is not None and template.kind is BroadcastKind.PLACE_ALERT:
            return AREA_AUDIENCES
        return tuple(kind for kind in AudienceKind)

    def draft(self) -> Draft:
        """The finished draft, ready for preview and creation."""
        if self.template is None or self.audience is None:
            raise ValueError("the flow is not finished")
        return Draft(
            template=self.template,
            audience=Audience.from_json(self.audience),
            params=dict(self.params),
            free_text=self.free_text,
            urgent=self.urgent,
            scheduled_at=datetime.fromisoformat(self.scheduled_at) if self.scheduled_at else None,
        )


class FlowInputError(ValueError):
    """An input the current step cannot take; `problem` says why."""

    def __init__(self, problem: FlowProblem | ParamProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def choose_template(state: FlowState, name: str) -> None:
    """Pick a template offered by this flow."""
    try:
        template = get_template(name)
    except KeyError:
        raise FlowInputError(FlowProblem.UNKNOWN_CHOICE) from None
    if template.kind not in state.kinds:
        raise FlowInputError(FlowProblem.UNKNOWN_CHOICE)
    state.template = name


def choose_audience(state: FlowState, kind: str) -> None:
    """Pick the audience kind; `all` is complete at once, the others ask for more."""
    try:
        chosen = AudienceKind(kind)
    except ValueError:
        raise FlowInputError(FlowProblem.UNKNOWN_CHOICE) from None
    if chosen not in state.audience_choices():
        raise FlowInputError(FlowProblem.UNKNOWN_CHOICE)
    if chosen is AudienceKind.ALL:
        state.audience = Audience(AudienceKind.ALL).to_json()
    else:
        state.audience_kind = chosen.value


def choose_district(state: FlowState, index: int) -> None:
    """Pick a district from the buttons offered (by position: names may exceed callback limits)."""
    if not 0 <= index < len(state.districts):
        raise FlowInputError(FlowProblem.UNKNOWN_CHOICE)
    state.audience = Audience(AudienceKind.DISTRICT, place=state.districts[index]).to_json()


def take_text(state: FlowState, text: str, *, now: datetime, zone: ZoneInfo) -> None:
    """Use typed text for the current step."""
    step = state.step()
    try:
        if step is Step.COMMUNE:
            district, _, commune = text.strip().rpartition("/")
            state.audience = Audience(
                AudienceKind.COMMUNE,
                place=" ".join(commune.split()),
                district=district.strip() or None,
            ).to_json()
        elif step is Step.AGE:
            state.audience = age_band(text).to_json()
        elif step is Step.CONDITION:
            state.audience = condition_prefix(text).to_json()
        elif step is Step.FREE_TEXT:
            state.free_text = parse_free_text(text)
        elif step is Step.PARAM:
            param = state.missing_param()
            assert param is not None
            state.params[param.name] = parse_param(param.kind, text, zone)
        elif step is Step.SCHEDULE:
            state.scheduled_at = _schedule(text, now, zone).isoformat()
            state.awaiting_schedule = False
        else:
            raise FlowInputError(FlowProblem.UNKNOWN_CHOICE)
    except ParamError as error:
        raise FlowInputError(error.problem) from None
    except ValueError as error:
        if isinstance(error, FlowInputError):
            raise
        problem = FlowProblem.BAD_AGE if step is Step.AGE else FlowProblem.BAD_CONDITION
        raise FlowInputError(problem) from None


def _schedule(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    moment = parse_local_datetime(text, zone)
    if moment <= now:
        raise FlowInputError(FlowProblem.SCHEDULE_IN_PAST)
    if moment > now + MAX_SCHEDULE_AHEAD:
        raise FlowInputError(FlowProblem.SCHEDULE_TOO_FAR)
    return moment


def take_document(state: FlowState, data: bytes, today: date) -> ContactList:
    """Use an uploaded CSV of CCCD numbers as the audience; bad rows are kept for the report."""
    if state.step() is not Step.CCCD_FILE:
        raise FlowInputError(FlowProblem.UNKNOWN_CHOICE)
    try:
        contacts = parse_contacts(data, today)
    except ValueError:
        raise FlowInputError(FlowProblem.UNREADABLE_FILE) from None
    if not contacts.national_ids:
        raise FlowInputError(FlowProblem.NO_VALID_ROWS)
    state.audience = Audience(
        AudienceKind.CCCD, national_ids=tuple(contacts.national_ids)
    ).to_json()
    state.bad_rows = [[row.line, row.value, row.problem.value] for row in contacts.bad_rows[:20]]
    return contacts


def forget_conflicting(state: FlowState, error: ParamError) -> None:
    """Drop the value a whole-message check refused (an end before its start, a text too long)."""
    if error.name is not None:
        state.params.pop(error.name, None)
    elif error.problem is ParamProblem.MESSAGE_TOO_LONG:
        state.free_text = None


def offered_templates(state: FlowState) -> list[Template]:
    """The templates the flow offers at its first step."""
    return templates_of(state.kinds)


async def load_state(session: AsyncSession, telegram_user_id: int) -> FlowState | None:
    """The user's notice or alert draft, if they are in one."""
    row = await session.get(ConversationState, telegram_user_id)
    if row is None or row.flow not in FLOWS:
        return None
    return FlowState.from_json(dict(row.data))


async def save_state(
    session: AsyncSession, telegram_user_id: int, state: FlowState, now: datetime
) -> None:
    """Store the draft (replacing any other conversation the user was in)."""
    row = await session.get(ConversationState, telegram_user_id)
    if row is None:
        row = ConversationState(
            telegram_user_id=telegram_user_id, flow=state.mode, step="", data={}
        )
        session.add(row)
    row.flow, row.step, row.data, row.updated_at = (
        state.mode,
        state.step().value,
        asdict(state),
        now,
    )


async def clear_state(session: AsyncSession, telegram_user_id: int) -> None:
    """Forget the user's notice or alert draft."""
    await session.execute(
        delete(ConversationState).where(
            ConversationState.telegram_user_id == telegram_user_id,
            ConversationState.flow.in_(FLOWS),
        )
    )
