"""Which HOSOs of a batch can be written together and still give the result of one by one.

A HOSO reads the citizens its CCCD, cards and MA_BN point at and the stored version of its
visit, and writes that citizen, those identifiers and its visit. So a round takes, in file
order, each HOSO that shares none of these with an earlier HOSO still waiting (the citizens
being those stored when the round starts); the others wait for a later round, planned
afresh once this one is written.

One exception keeps a patient's visits together: a HOSO naming its patient exactly as an
earlier HOSO of the round does (same CCCD, cards, MA_BN and birth date) and holding another
visit joins the round as that HOSO's follower. It would have been matched to the same citizen
after its leader (the leader adds nothing the follower is matched by, and an uncertain birth
date equal to the leader's changes nothing either way), so it takes the leader's match, and
the store merges the two into the citizen in file order.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Claims:
    """What a HOSO shares with others: its patient's keys (and the stored citizens they name),
    how it names the patient, and its visit."""

    patient: frozenset[Hashable]
    identity: Hashable
    visit: str


@dataclass(frozen=True, slots=True)
class Placed(Generic[T]):
    """A HOSO taken into a round; a follower names the leader whose match it shares."""

    item: T
    leader: T | None = None


def next_round(
    pending: Sequence[T], claims: Callable[[T], Claims]
) -> tuple[list[Placed[T]], list[T]]:
    """Split `pending` (in file order) into the HOSOs of the next round and those that wait."""
    taken: list[Placed[T]] = []
    waiting: list[T] = []
    claimed: set[Hashable] = set()  # by the HOSOs taken
    blocked: set[Hashable] = set()  # by the HOSOs waiting: later ones must wait behind them
    leaders: dict[Hashable, tuple[T, Claims]] = {}
    for item in pending:
        own = claims(item)
        keys = own.patient | {("visit", own.visit)}
        if blocked.isdisjoint(keys):
            if claimed.isdisjoint(keys):
                taken.append(Placed(item))
                leaders[own.identity] = (item, own)
                claimed.update(keys)
                continue
            leader = leaders.get(own.identity)
            if (
                leader is not None
                and leader[1].patient == own.patient
                and ("visit", own.visit) not in claimed
            ):
                taken.append(Placed(item, leader[0]))
                claimed.add(("visit", own.visit))
                continue
        waiting.append(item)
        blocked.update(keys)
    return taken, waiting
