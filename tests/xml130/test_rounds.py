"""Planning rounds: which HOSOs of a batch are written together, which wait for a later round."""

from __future__ import annotations

from dataclasses import dataclass

from bot.ingest.xml130.rounds import Claims, Placed, next_round


@dataclass(frozen=True)
class Hoso:
    """A stand-in HOSO: a name, the patient keys it names and its visit."""

    name: str
    patient: frozenset[str]
    visit: str
    birth: str = "1990"

    def claims(self) -> Claims:
        return Claims(self.patient, (tuple(sorted(self.patient)), self.birth), self.visit)


def hoso(name: str, *patient: str, visit: str | None = None, birth: str = "1990") -> Hoso:
    return Hoso(name, frozenset(patient), visit or f"visit-{name}", birth)


def plan(*hosos: Hoso) -> list[list[str]]:
    """Every round in turn, each as `name` or `name<leader` for a follower."""
    rounds = []
    pending = list(hosos)
    while pending:
        taken, pending = next_round(pending, Hoso.claims)
        rounds.append([_label(placed) for placed in taken])
    return rounds


def _label(placed: Placed[Hoso]) -> str:
    leader = placed.leader
    return placed.item.name if leader is None else f"{placed.item.name}<{leader.name}"


def test_different_patients_go_in_one_round() -> None:
    assert plan(hoso("a", "cccd1"), hoso("b", "cccd2"), hoso("c", "card3")) == [["a", "b", "c"]]


def test_visits_of_one_patient_follow_the_first() -> None:
    hosos = [hoso("a1", "cccd1", "card1"), hoso("b", "cccd2"), hoso("a2", "cccd1", "card1")]
    assert plan(*hosos) == [["a1", "b", "a2<a1"]]


def test_the_same_visit_twice_waits_for_the_next_round() -> None:
    hosos = [hoso("a", "cccd1", visit="LK1"), hoso("again", "cccd1", visit="LK1")]
    assert plan(*hosos) == [["a"], ["again"]]
    strangers = [hoso("a", "cccd1", visit="LK1"), hoso("b", "cccd2", visit="LK1")]
    assert plan(*strangers) == [["a"], ["b"]]


def test_a_patient_named_otherwise_waits() -> None:
    # The card alone (say, a HOSO without CCCD) is matched against what the first one wrote.
    assert plan(hoso("a", "cccd1", "card1"), hoso("c", "card1")) == [["a"], ["c"]]
    # So is an uncertain birth date that the first HOSO may have replaced.
    hosos = [hoso("a1", "cccd1", birth="1990-07-15"), hoso("a2", "cccd1", birth="1990")]
    assert plan(*hosos) == [["a1"], ["a2"]]


def test_a_waiting_hoso_holds_back_later_ones_it_shares_keys_with() -> None:
    hosos = [
        hoso("a1", "cccd1", "card1"),
        hoso("x", "cccd9", "card1"),  # the card of a1 with another CCCD: after a1
        hoso("a2", "cccd1", "card1"),  # would follow a1, but must come after x
        hoso("b", "cccd2"),
    ]
    assert plan(*hosos) == [["a1", "b"], ["x"], ["a2"]]


def test_a_follower_of_a_visit_seen_earlier_in_the_round_waits() -> None:
    hosos = [
        hoso("a1", "cccd1", visit="LK1"),
        hoso("a2", "cccd1", visit="LK2"),
        hoso("a1 again", "cccd1", visit="LK1"),
        hoso("a3", "cccd1", visit="LK3"),
    ]
    assert plan(*hosos) == [["a1", "a2<a1"], ["a1 again", "a3<a1 again"]]
