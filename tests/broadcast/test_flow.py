"""The /notice and /alert draft: steps derived from what is filled in, stored in the database."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.broadcast import flow
from bot.broadcast.audience import AudienceKind
from bot.broadcast.compose import ParamProblem
from bot.broadcast.flow import FlowInputError, FlowProblem, FlowState, Step
from bot.db.models import ConversationState
from bot.db.session import Database
from tests.broadcast.support import NOW, TODAY

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def _type(state: FlowState, text: str) -> None:
    flow.take_text(state, text, now=NOW, zone=ZONE)


def test_a_notice_walks_template_audience_parameters_and_confirmation() -> None:
    state = FlowState(mode="notice")
    assert state.step() is Step.TEMPLATE
    flow.choose_template(state, "vaccination")
    assert state.step() is Step.AUDIENCE
    flow.choose_audience(state, "age")
    assert state.step() is Step.AGE
    with pytest.raises(FlowInputError) as bad_age:
        _type(state, "old people")
    assert bad_age.value.problem is FlowProblem.BAD_AGE
    _type(state, "60+")
    assert state.step() is Step.PARAM and state.missing_param() is not None
    for value in ("Sởi - Rubella", "Trạm Y tế Phường 5", "1/12/2026", "3/12/2026"):
        _type(state, value)
    with pytest.raises(FlowInputError) as bad_phone:
        _type(state, "call us")
    assert bad_phone.value.problem is ParamProblem.BAD_PHONE
    _type(state, "0290 3831 234")
    assert state.step() is Step.CONFIRM
    draft = state.draft()
    assert draft.audience.kind is AudienceKind.AGE and draft.audience.min_age == 60
    assert draft.params["start_date"] == "2026-12-01" and draft.scheduled_at is None


def test_scheduling_accepts_only_a_near_future_time() -> None:
    state = FlowState(
        mode="notice", template="free", audience={"kind": "all"}, free_text="Xin chào"
    )
    assert state.step() is Step.CONFIRM
    state.awaiting_schedule = True
    assert state.step() is Step.SCHEDULE
    for typed, problem in (
        ("26/11/2026 08:00", FlowProblem.SCHEDULE_IN_PAST),
        ("26/03/2027 08:00", FlowProblem.SCHEDULE_TOO_FAR),
    ):
        with pytest.raises(FlowInputError) as refused:
            _type(state, typed)
        assert refused.value.problem is problem
    _type(state, "27/11/2026 07:30")
    assert state.step() is Step.CONFIRM
    assert state.draft().scheduled_at == NOW + timedelta(hours=22, minutes=30)


def test_flows_offer_only_their_own_templates_and_audiences() -> None:
    notice, alert = FlowState(mode="notice"), FlowState(mode="alert")
    assert {t.name for t in flow.offered_templates(alert)} == {"contact_alert", "place_alert"}
    with pytest.raises(FlowInputError):
        flow.choose_template(notice, "contact_alert")
    with pytest.raises(FlowInputError):
        flow.choose_template(alert, "dengue")
    with pytest.raises(FlowInputError):
        flow.choose_template(alert, "no-such-template")
    flow.choose_template(alert, "place_alert")
    assert alert.audience_choices() == (
        AudienceKind.ALL,
        AudienceKind.DISTRICT,
        AudienceKind.COMMUNE,
    )
    with pytest.raises(FlowInputError):
        flow.choose_audience(alert, "condition")
    contact = FlowState(mode="alert", template="contact_alert")
    assert contact.step() is Step.CCCD_FILE


def test_districts_are_chosen_by_position_and_communes_typed() -> None:
    state = FlowState(mode="notice", template="dengue")
    flow.choose_audience(state, "district")
    state.districts = ["Huyện Cái Nước", "Thành phố Cà Mau"]
    with pytest.raises(FlowInputError):
        flow.choose_district(state, 5)
    flow.choose_district(state, 1)
    assert state.audience == {"kind": "district", "place": "Thành phố Cà Mau"}
    other = FlowState(mode="notice", template="dengue", audience_kind="commune")
    _type(other, "Cái Nước / Tân  Hưng")
    assert other.audience == {"kind": "commune", "place": "Tân Hưng", "district": "Cái Nước"}


def test_an_uploaded_list_keeps_its_skipped_rows_for_the_report() -> None:
    state = FlowState(mode="alert", template="contact_alert")
    with pytest.raises(FlowInputError) as empty:
        flow.take_document(state, b"nothing useful\n", TODAY)
    assert empty.value.problem is FlowProblem.NO_VALID_ROWS
    with pytest.raises(FlowInputError) as binary:
        flow.take_document(state, b"\x00\x01", TODAY)
    assert binary.value.problem is FlowProblem.UNREADABLE_FILE
    contacts = flow.take_document(state, b"cccd\n096185000001\nabc\n", TODAY)
    assert contacts.national_ids == ["096185000001"]
    assert state.bad_rows == [[3, "•••", "not_a_cccd"]]
    assert state.step() is Step.PARAM


async def test_the_draft_survives_in_the_database_and_is_cleared(db: Database) -> None:
    state = FlowState(
        mode="notice", template="dengue", audience={"kind": "all"}, params={"place": "Phường 5"}
    )
    async with db.unit_of_work() as session:
        await flow.save_state(session, 42, state, NOW)
    async with db.unit_of_work() as session:
        loaded = await flow.load_state(session, 42)
        row = await session.get(ConversationState, 42)
        assert row is not None and (row.flow, row.step) == ("notice", "param")
    assert loaded == state
    async with db.unit_of_work() as session:
        await flow.clear_state(session, 42)
        assert await flow.load_state(session, 42) is None


async def test_another_features_conversation_is_not_taken_for_a_draft(db: Database) -> None:
    async with db.unit_of_work() as session:
        session.add(
            ConversationState(
                telegram_user_id=43, flow="signin", step="cccd", data={}, updated_at=NOW
            )
        )
    async with db.unit_of_work() as session:
        assert await flow.load_state(session, 43) is None
        await flow.clear_state(session, 43)
        assert await session.get(ConversationState, 43) is not None
