"""Resource ids and personal numbers that are unique by construction and stable per seed.

Unique numbers come from the citizen's index through a keyed bijection (a small Feistel
network with cycle-walking), so they look random but can never repeat within one population.
"""

from __future__ import annotations

import hashlib
import uuid
from random import Random
from typing import Final

MAX_CITIZENS: Final = 1_000_000
"""The six serial digits of a CCCD give one million unique numbers per seed."""

_FEISTEL_ROUNDS: Final = 4
_BIT_MASK_32: Final = 0xFFFFFFFF


def derived_seed(seed: int, purpose: str) -> int:
    """A 64-bit seed for one purpose (a chunk, a permutation), stable across Python versions."""
    digest = hashlib.sha256(f"{seed}:{purpose}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


class Permutation:
    """A keyed bijection of `range(size)` onto itself."""

    __slots__ = ("_half_bits", "_half_mask", "_keys", "_size")

    def __init__(self, size: int, key: int) -> None:
        half_bits = max(1, ((size - 1).bit_length() + 1) // 2)
        self._size = size
        self._half_bits = half_bits
        self._half_mask = (1 << half_bits) - 1
        rng = Random(key)
        self._keys = tuple(rng.getrandbits(32) for _ in range(_FEISTEL_ROUNDS))

    def __call__(self, value: int) -> int:
        """The image of `value`, itself in `range(size)`."""
        if not 0 <= value < self._size:
            raise ValueError("value outside the permuted range")
        while True:
            value = self._encrypt(value)
            if value < self._size:
                return value

    def _encrypt(self, value: int) -> int:
        bits, mask = self._half_bits, self._half_mask
        left, right = value >> bits, value & mask
        for round_key in self._keys:
            mixed = ((right * 0x9E3779B1) ^ round_key) & _BIT_MASK_32
            mixed ^= mixed >> 15
            left, right = right, left ^ (mixed & mask)
        return (left << bits) | right


class NumberFactory:
    """Unique CCCD serials, social-insurance numbers and phone numbers for one seed."""

    def __init__(self, seed: int) -> None:
        self._cccd_serial = Permutation(10**6, derived_seed(seed, "cccd"))
        self._insurance_serial = Permutation(10**8, derived_seed(seed, "insurance"))
        self._phone_serial = Permutation(10**7, derived_seed(seed, "phone"))

    def national_id(self, index: int, birth_province: str, female: bool, birth_year: int) -> str:
        """A 12-digit CCCD: province of birth registration, century-and-sex, year, serial."""
        century_and_sex = 2 * ((birth_year - 1900) // 100) + (1 if female else 0)
        serial = self._cccd_serial(index % MAX_CITIZENS)
        return f"{birth_province}{century_and_sex}{birth_year % 100:02d}{serial:06d}"

    def social_insurance_number(self, index: int, province_code: str) -> str:
        """The lifelong 10-digit social-insurance number (first two digits the province)."""
        return f"{province_code}{self._insurance_serial(index):08d}"

    def mobile_phone(self, index: int, prefix: str) -> str:
        """A +84 mobile number: the 2-digit network prefix then a unique 7-digit serial."""
        return f"+84{prefix}{self._phone_serial(index):07d}"


class ResourceIds:
    """Stable UUIDs: a uuid5 per citizen (from seed and index), numbered per resource.

    The last eight hex digits of the citizen's uuid5 are replaced by a running number, so ids
    are valid version-5 UUIDs, stable across runs, and unique within the population.
    """

    __slots__ = ("_namespace",)

    def __init__(self, seed: int) -> None:
        self._namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"https://healthbot.vn/synthetic/{seed}")

    def citizen_prefix(self, index: int) -> str:
        """The first 28 characters shared by every resource id of one citizen."""
        return str(uuid.uuid5(self._namespace, f"citizen/{index}"))[:28]


def numbered_id(prefix: str, number: int) -> str:
    """A resource id: the citizen's prefix and an 8-hex-digit running number."""
    return f"{prefix}{number:08x}"


def registry_id(kind: str, key: str) -> str:
    """A seed-independent id for facility-registry resources (Organization/<id>, ...)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://healthbot.vn/synthetic/{kind}/{key}"))
