"""Citizens look Vietnamese and real: identity numbers, names, places, families, insurance."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta

import phonenumbers

from bot.identity.cccd import Cccd, parse_cccd
from bot.identity.provinces import PROVINCE_CODES
from bot.ingest.synthetic.constants import (
    EXT_ADDRESS_COMMUNE,
    EXT_BENEFIT_LEVEL,
    EXT_BENEFIT_PERCENT,
    EXT_PRIMARY_CARE,
    FACILITY_CODE_SYSTEM,
    INSURANCE_NUMBER_SYSTEM,
    PROVINCE,
)
from bot.ingest.synthetic.geography import DISTRICTS
from tests.synthetic.support import REFERENCE_DATE, Population, age_on, national_id

BENEFIT_PERCENT = {1: 100, 2: 100, 3: 95, 4: 80, 5: 100}
KHMER_FAMILY_NAMES = {"Thạch", "Danh", "Sơn", "Kim", "Lâm", "Lý", "Châu", "Triệu"}


def test_every_cccd_is_well_formed_and_matches_sex_and_birth_year(population: Population) -> None:
    numbers = []
    for patient in population.resources("Patient"):
        number = national_id(patient)
        parsed = parse_cccd(number, REFERENCE_DATE)
        assert isinstance(parsed, Cccd), (number, parsed)
        assert parsed.province_code in PROVINCE_CODES
        assert parsed.sex.value == patient["gender"]
        assert parsed.birth_year == int(patient["birthDate"][:4])
        numbers.append(number)
    assert len(numbers) == len(set(numbers)) == population.manifest["citizens"]
    provinces = Counter(number[:3] for number in numbers)
    assert provinces["096"] > provinces["095"] > 0
    assert set(provinces) - {"095", "096"}, "nobody born in another province"


def test_phones_are_unique_vietnamese_mobiles(population: Population) -> None:
    phones = [t["value"] for p in population.resources("Patient") for t in p.get("telecom", [])]
    assert len(phones) == len(set(phones)) > 0.5 * population.manifest["citizens"]
    for phone in phones:
        assert re.fullmatch(r"\+84(3|5|7|8|9)\d{8}", phone), phone
        number = phonenumbers.parse(phone)
        assert phonenumbers.is_valid_number(number)
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE


def test_names_carry_diacritics_and_split_family_and_given(population: Population) -> None:
    names = [p["name"][0] for p in population.resources("Patient")]
    for name in names:
        assert name["text"] == " ".join([name["family"], *name["given"]])
    with_diacritics = sum(1 for name in names if not name["text"].isascii())
    assert with_diacritics > 0.9 * len(names)
    assert any(name["text"].startswith("Nguyễn Thị ") for name in names)


def test_khmer_citizens_have_khmer_family_names(population: Population) -> None:
    khmer = [
        p
        for p in population.resources("Patient")
        if p["extension"][0]["valueCoding"]["display"] == "Khmer"
    ]
    assert 0 < len(khmer) < 0.15 * population.manifest["citizens"]
    assert all(p["name"][0]["family"] in KHMER_FAMILY_NAMES for p in khmer)
    assert all(p["communication"][0]["language"]["coding"][0]["code"] == "km" for p in khmer)


def test_addresses_name_real_districts_and_their_communes(population: Population) -> None:
    communes = {d.name: set(d.communes) for d in DISTRICTS}
    districts_seen = set()
    for patient in population.resources("Patient"):
        address = patient["address"][0]
        assert address["state"] == PROVINCE
        assert address["city"] in communes[address["district"]]
        assert address["extension"][0] == {
            "url": EXT_ADDRESS_COMMUNE,
            "valueString": address["city"],
        }
        assert address["line"] and address["text"].endswith("tỉnh Cà Mau")
        districts_seen.add(address["district"])
    assert len(districts_seen) >= 10
    assert {"Thành phố Cà Mau", "Thành phố Bạc Liêu"} & districts_seen


def test_children_under_14_are_linked_to_guardians_in_their_household(
    population: Population,
) -> None:
    linked_children = 0
    for _, bundle in population.bundles:
        resources = [entry["resource"] for entry in bundle["entry"]]
        patients = {r["id"]: r for r in resources if r["resourceType"] == "Patient"}
        by_cccd = {national_id(p): p for p in patients.values()}
        related = [r for r in resources if r["resourceType"] == "RelatedPerson"]
        for patient in patients.values():
            child_url = "urn:uuid:" + patient["id"]
            guardians = [r for r in related if r["patient"]["reference"] == child_url]
            if age_on(patient["birthDate"], REFERENCE_DATE) < 14:
                assert guardians, f"child {patient['id']} has no guardian"
                linked_children += 1
            for guardian in guardians:
                adult = by_cccd[national_id(guardian)]
                assert guardian["name"][0]["text"] == adult["name"][0]["text"]
                code = guardian["relationship"][0]["coding"][0]["code"]
                assert code in ("MTH", "FTH", "GUARD")
                if code != "GUARD":
                    assert adult["gender"] == ("female" if code == "MTH" else "male")
                assert age_on(adult["birthDate"], REFERENCE_DATE) >= 18
                links = {link["other"]["reference"] for link in adult["link"]}
                assert "urn:uuid:" + guardian["id"] in links
    assert linked_children > 20


def test_coverages_match_the_card_rules(population: Population) -> None:
    patients = {p["id"]: p for p in population.resources("Patient")}
    registry_codes = {
        f"Organization/{o['id']}": o["identifier"][0]["value"]
        for o in population.registry("Organization").values()
        if "identifier" in o
    }
    statuses: Counter[str] = Counter()
    for coverage in population.resources("Coverage"):
        patient = patients[coverage["beneficiary"]["reference"].removeprefix("urn:uuid:")]
        card = coverage["identifier"][0]
        assert card["system"] == INSURANCE_NUMBER_SYSTEM
        patient_cards = [
            i["value"] for i in patient["identifier"] if i["system"] == INSURANCE_NUMBER_SYSTEM
        ]
        assert patient_cards == [card["value"]] == [coverage["subscriberId"]]
        extensions = {e["url"]: e for e in coverage["extension"]}
        level = extensions[EXT_BENEFIT_LEVEL]["valueInteger"]
        assert extensions[EXT_BENEFIT_PERCENT]["valueInteger"] == BENEFIT_PERCENT[level]
        group = coverage["class"][0]["value"]
        value = card["value"]
        if len(value) == 15:
            assert re.fullmatch(r"[A-Z]{2}[1-5](95|96)\d{10}", value)
            assert value[:2] == group and int(value[2]) == level
        else:
            assert re.fullmatch(r"(95|96)\d{8}", value), value
        primary_care = extensions[EXT_PRIMARY_CARE]["valueReference"]
        assert primary_care["identifier"]["system"] == FACILITY_CODE_SYSTEM
        assert registry_codes[primary_care["reference"]] == primary_care["identifier"]["value"]
        end = date.fromisoformat(coverage["period"]["end"])
        if age_on(patient["birthDate"], REFERENCE_DATE) < 6:
            assert group == "TE" and level == 1
        statuses[
            "expired"
            if end < REFERENCE_DATE
            else "expiring"
            if end <= REFERENCE_DATE + timedelta(days=30)
            else "valid"
        ] += 1
    assert statuses["expired"] and statuses["expiring"]
    assert statuses["valid"] > statuses["expired"] + statuses["expiring"]


def test_upcoming_appointments_are_booked_in_office_hours(population: Population) -> None:
    upcoming = [
        a
        for a in population.resources("Appointment")
        if datetime.fromisoformat(a["start"]).date() > REFERENCE_DATE
    ]
    assert len(upcoming) > 5
    for appointment in upcoming:
        start = datetime.fromisoformat(appointment["start"])
        assert appointment["status"] == "booked"
        assert appointment["start"].endswith("+07:00") and start.weekday() < 5
        assert 7 <= start.hour < 17
        actors = [p["actor"]["reference"] for p in appointment["participant"]]
        assert actors[0].startswith("urn:uuid:")
        assert actors[1].startswith("Practitioner/") and actors[2].startswith("Location/")
        assert appointment["patientInstruction"] and appointment["description"]
        assert date.fromisoformat(appointment["created"][:10]) <= REFERENCE_DATE
    statuses = Counter(a["status"] for a in population.resources("Appointment"))
    assert statuses["fulfilled"] > 0


def test_childhood_vaccines_follow_the_programme(population: Population) -> None:
    patients = {"urn:uuid:" + p["id"]: p for p in population.resources("Patient")}
    vaccines_by_child: dict[str, set[str]] = {}
    for immunization in population.resources("Immunization"):
        assert immunization["vaccineCode"]["coding"][0]["system"] == "http://hl7.org/fhir/sid/cvx"
        protocol = immunization["protocolApplied"][0]
        assert protocol["targetDisease"] and protocol["doseNumberPositiveInt"] >= 1
        assert protocol["doseNumberPositiveInt"] <= protocol["seriesDosesPositiveInt"]
        patient = patients[immunization["patient"]["reference"]]
        if 2 <= age_on(patient["birthDate"], REFERENCE_DATE) < 10:
            vaccines_by_child.setdefault(patient["id"], set()).add(
                immunization["vaccineCode"]["text"]
            )
    assert vaccines_by_child
    for vaccines in vaccines_by_child.values():
        assert "Vắc xin 5 trong 1 (DPT-VGB-Hib)" in vaccines or len(vaccines) >= 3


def test_chronic_medicines_stay_active(population: Population) -> None:
    problems = {
        "urn:uuid:" + c["id"]
        for c in population.resources("Condition")
        if c["category"][0]["coding"][0]["code"] == "problem-list-item"
    }
    requests = list(population.resources("MedicationRequest"))
    assert any(
        m["status"] == "active" and m["reasonReference"][0]["reference"] in problems
        for m in requests
    )
    names = {m["medicationCodeableConcept"]["text"] for m in requests}
    assert {"Amlodipin 5mg", "Paracetamol 500mg"} <= names
    for request in population.resources("MedicationRequest"):
        assert request["dosageInstruction"][0]["text"].split()[0] in (
            "Uống",
            "Xịt",
            "Hít",
            "Nhỏ",
            "Pha",
        )
