"""Health-insurance beneficiary groups: the two letters that open a 15-character BHYT card code.

Codes and groups after QĐ 1351/QĐ-BHXH (2015). Names are plain-language English msgids,
translated when shown (`t.gettext(beneficiary_group_name(code))`).
"""

from __future__ import annotations

from bot.i18n import N_

BENEFICIARY_GROUPS: dict[str, str] = {
    # Employees and employers pay
    "DN": N_("Employee of an enterprise"),
    "HX": N_("Employee of a cooperative"),
    "CH": N_("Employee of a state agency or public organisation"),
    "NN": N_("Employee of a foreign or international organisation"),
    "TK": N_("Employee of another organisation"),
    "HC": N_("Civil servant or public employee"),
    "XK": N_("Part-time commune or ward official"),
    # The social insurance fund pays
    "HT": N_("Pensioner"),
    "TB": N_("Receiving a work accident or occupational disease allowance"),
    "NO": N_("On long-term sick leave"),
    "CT": N_("Aged 80 or over, receiving a survivor's allowance"),
    "XB": N_("Retired commune official receiving a social insurance allowance"),
    "TN": N_("Receiving unemployment benefit"),
    "CS": N_("Retired rubber worker receiving a monthly allowance"),
    # The state budget pays
    "QN": N_("Member of the armed forces"),
    "CA": N_("Member of the police"),
    "CY": N_("Cipher (cryptography) service staff"),
    "XN": N_("Retired commune official receiving a state allowance"),
    "MS": N_("Former recipient of an incapacity allowance"),
    "CC": N_("Person with meritorious services to the revolution"),
    "CK": N_("Other person with meritorious services to the revolution"),
    "CB": N_("Veteran"),
    "KC": N_("Resistance or national defence participant"),
    "HD": N_("Member of the National Assembly or a People's Council"),
    "TE": N_("Child under 6"),
    "BT": N_("Receiving monthly social assistance"),
    "HN": N_("Member of a poor household"),
    "DT": N_("Ethnic minority person in a disadvantaged area"),
    "DK": N_("Resident of an especially disadvantaged area"),
    "XD": N_("Resident of an island commune or district"),
    "TS": N_("Relative of a fallen soldier (martyr)"),
    "TC": N_("Relative of a person with meritorious services"),
    "TQ": N_("Relative of a member of the armed forces"),
    "TA": N_("Relative of a member of the police"),
    "TY": N_("Relative of cipher service staff"),
    "HG": N_("Organ donor"),
    "LS": N_("Foreign student on a Vietnamese state scholarship"),
    "PV": N_("Carer of a person with meritorious services"),
    # The state budget supports
    "CN": N_("Member of a near-poor household"),
    "HS": N_("School pupil"),
    "SV": N_("Student"),
    "GB": N_("Farming, forestry, fishing or salt-making household"),
    # Household membership
    "GD": N_("Insured as a member of a household"),
}


def beneficiary_group_name(code: str | None) -> str | None:
    """The untranslated name of a group code (case-insensitive), or None if unknown."""
    if not code:
        return None
    return BENEFICIARY_GROUPS.get(code.strip().upper())


def group_from_card_number(card_number: str) -> str | None:
    """The group letters of a 15-character card code (`DN4960123456789`), else None."""
    compact = card_number.replace(" ", "").upper()
    if len(compact) == 15 and compact[:2].isalpha() and compact[2:].isdigit():
        return compact[:2]
    return None


def level_from_card_number(card_number: str) -> int | None:
    """The benefit level (1-5) printed in a 15-character card code, else None."""
    compact = card_number.replace(" ", "").upper()
    if group_from_card_number(compact) is None or compact[2] not in "12345":
        return None
    return int(compact[2])
