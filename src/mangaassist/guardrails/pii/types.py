"""PII kinds, findings and the typed placeholders that replace them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PiiType(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    CARD = "card"
    SSN = "ssn"
    MY_NUMBER = "my_number"
    IBAN = "iban"
    IP_ADDRESS = "ip_address"
    ADDRESS = "address"


PLACEHOLDERS: dict[PiiType, str] = {
    PiiType.EMAIL: "[EMAIL]",
    PiiType.PHONE: "[PHONE]",
    PiiType.CARD: "[CARD]",
    PiiType.SSN: "[ID]",
    PiiType.MY_NUMBER: "[ID]",
    PiiType.IBAN: "[IBAN]",
    PiiType.IP_ADDRESS: "[IP]",
    PiiType.ADDRESS: "[ADDRESS]",
}


@dataclass(frozen=True, slots=True)
class PiiFinding:
    """One piece of PII: its kind and its span [start, end) in the original text."""

    type: PiiType
    start: int
    end: int
    value: str

    @property
    def placeholder(self) -> str:
        return PLACEHOLDERS[self.type]

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end
