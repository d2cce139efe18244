"""Why a FHIR entry cannot be imported."""

from __future__ import annotations


class EntryError(ValueError):
    """An entry is invalid; its bundle (or, in bulk data, its line) is rejected.

    The reason names the element at fault but never its value: values may be personal data.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
