"""The facility registry: hospitals, district health centres, commune stations and their staff.

The registry is the same for every seed (its names come from a fixed random stream), so
`facilities.json` is identical across runs and datasets made with different seeds share their
Organization, Location and Practitioner ids. Facility codes are synthetic five-digit insurance
codes: 96xxx for the former Cà Mau province, 95xxx for the former Bạc Liêu province.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from random import Random
from typing import Any, Final

from bot.ingest.synthetic.geography import DISTRICTS, District, district_named, lower_unit_word
from bot.ingest.synthetic.identifiers import registry_id
from bot.ingest.synthetic.names import PersonName, practitioner_name


class Department(StrEnum):
    """Departments named on encounters and appointments."""

    OUTPATIENT = "Khoa Khám bệnh"
    INTERNAL = "Khoa Nội tổng hợp"
    ENDOCRINOLOGY = "Khoa Nội tiết"
    CARDIOLOGY = "Khoa Tim mạch"
    PAEDIATRICS = "Khoa Nhi"
    INFECTIOUS = "Khoa Truyền nhiễm"
    EMERGENCY = "Khoa Cấp cứu"
    OBSTETRICS = "Khoa Phụ sản"
    SURGERY = "Khoa Ngoại tổng hợp"
    IMMUNIZATION = "Phòng tiêm chủng"


class FacilityKind(Enum):
    """The tier of a facility, with its type label."""

    PROVINCIAL_HOSPITAL = "Bệnh viện tuyến tỉnh"
    DISTRICT_CENTRE = "Trung tâm Y tế huyện"
    COMMUNE_STATION = "Trạm Y tế xã"


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A practitioner working in one department of one facility."""

    id: str
    name: PersonName
    female: bool
    title: str
    """The prefix written before the name: "BS.CKI", "BS.", "YS.", "ĐD.", "NHS."."""
    qualification: str
    role: str
    """FHIR practitioner-role code: "doctor" or "nurse"."""
    licence: str
    department: Department
    reference: Mapping[str, str]
    """`{"reference": "Practitioner/<id>", "display": ...}`, shared by every resource citing it."""


@dataclass(slots=True)
class Facility:
    """A health facility: an Organization and its Location in FHIR."""

    code: str
    name: str
    kind: FacilityKind
    district: District
    commune: str
    address_line: str | None
    phone: str
    parent_code: str | None = None
    staff: list[StaffMember] = field(default_factory=list)
    organization_reference: dict[str, Any] = field(default_factory=dict)
    location_reference: dict[str, Any] = field(default_factory=dict)
    _by_department: dict[Department, list[StaffMember]] = field(default_factory=dict)

    @property
    def organization_id(self) -> str:
        """The id of this facility's Organization resource."""
        return registry_id("organization", self.code)

    @property
    def location_id(self) -> str:
        """The id of this facility's Location resource."""
        return registry_id("location", self.code)

    def add(self, member: StaffMember) -> None:
        """Add a practitioner to the staff."""
        self.staff.append(member)
        self._by_department.setdefault(member.department, []).append(member)

    def has(self, department: Department) -> bool:
        """True when a doctor works in the department here."""
        return department in self._by_department

    def doctor(self, rng: Random, department: Department) -> StaffMember:
        """A doctor of the department, or of the outpatient department when there is none."""
        team = self._by_department.get(department) or self._by_department[Department.OUTPATIENT]
        return team[int(rng.random() * len(team))]


HOSPITAL_DEPARTMENTS: Final = tuple(d for d in Department if d is not Department.IMMUNIZATION)
CENTRE_DEPARTMENTS: Final = (
    Department.OUTPATIENT,
    Department.INTERNAL,
    Department.PAEDIATRICS,
    Department.INFECTIOUS,
    Department.EMERGENCY,
    Department.OBSTETRICS,
    Department.IMMUNIZATION,
)
STATION_DEPARTMENTS: Final = (Department.OUTPATIENT, Department.IMMUNIZATION)
AREA_CODE: Final = {"Cà Mau": "290", "Bạc Liêu": "291"}
LICENCE_OFFICE: Final = {"Cà Mau": "CM", "Bạc Liêu": "BL"}
_REGISTRY_SEED: Final = 20250701
PAYOR_NAME: Final = "Bảo hiểm xã hội Việt Nam"
PAYOR_ID: Final = registry_id("organization", "bhxh")
PAYOR_REFERENCE: Final = {"reference": "Organization/" + PAYOR_ID, "display": PAYOR_NAME}
"""The insurance fund, payor of every Coverage."""


@dataclass(slots=True)
class FacilityRegistry:
    """Every facility, indexed the ways the generator looks them up."""

    facilities: list[Facility]
    provincial_hospital: dict[str, Facility]
    paediatric_hospital: Facility
    district_centre: dict[str, Facility]
    commune_station: dict[tuple[str, str], Facility]

    def by_code(self) -> dict[str, Facility]:
        """Facilities keyed by their insurance code."""
        return {facility.code: facility for facility in self.facilities}


def build_registry() -> FacilityRegistry:
    """The registry of the merged province, identical on every call."""
    rng = Random(_REGISTRY_SEED)
    ca_mau_city = district_named("Thành phố Cà Mau")
    bac_lieu_city = district_named("Thành phố Bạc Liêu")
    hospital = FacilityKind.PROVINCIAL_HOSPITAL
    general = {
        "Cà Mau": _facility(
            rng,
            "96001",
            "Bệnh viện Đa khoa Cà Mau",
            hospital,
            ca_mau_city,
            "Phường 6",
            "Đường Hải Thượng Lãn Ông",
        ),
        "Bạc Liêu": _facility(
            rng, "95001", "Bệnh viện Đa khoa Bạc Liêu", hospital, bac_lieu_city, "Phường 1", None
        ),
    }
    paediatric = _facility(
        rng, "96002", "Bệnh viện Sản - Nhi Cà Mau", hospital, ca_mau_city, "Phường 6", None
    )
    facilities = [general["Cà Mau"], paediatric, general["Bạc Liêu"]]
    centres: dict[str, Facility] = {}
    stations: dict[tuple[str, str], Facility] = {}
    next_number = {"96": [10, 100], "95": [10, 100]}
    for district in DISTRICTS:
        numbers = next_number[district.province_code]
        centre = _facility(
            rng,
            f"{district.province_code}{numbers[0]:03d}",
            "Trung tâm Y tế " + district.lowercase_name,
            FacilityKind.DISTRICT_CENTRE,
            district,
            district.communes[0],
            None,
        )
        numbers[0] += 1
        centres[district.name] = centre
        facilities.append(centre)
        for commune in district.communes:
            station = _facility(
                rng,
                f"{district.province_code}{numbers[1]:03d}",
                "Trạm Y tế " + lower_unit_word(commune),
                FacilityKind.COMMUNE_STATION,
                district,
                commune,
                None,
            )
            station.parent_code = centre.code
            numbers[1] += 1
            stations[(district.name, commune)] = station
            facilities.append(station)
    return FacilityRegistry(facilities, general, paediatric, centres, stations)


def _facility(
    rng: Random,
    code: str,
    name: str,
    kind: FacilityKind,
    district: District,
    commune: str,
    line: str | None,
) -> Facility:
    phone = f"+84{AREA_CODE[district.former_province]}3{rng.randrange(10**6):06d}"
    facility = Facility(code, name, kind, district, commune, line, phone)
    facility.organization_reference = {
        "reference": "Organization/" + facility.organization_id,
        "display": name,
    }
    facility.location_reference = {"reference": "Location/" + facility.location_id, "display": name}
    _hire_staff(rng, facility)
    return facility


def _hire_staff(rng: Random, facility: Facility) -> None:
    if facility.kind is FacilityKind.COMMUNE_STATION:
        plan = [(Department.OUTPATIENT, "doctor", 1), (Department.IMMUNIZATION, "nurse", 1)]
    elif facility.kind is FacilityKind.DISTRICT_CENTRE:
        plan = [(d, "doctor", 2 if d is Department.OUTPATIENT else 1) for d in CENTRE_DEPARTMENTS]
    else:
        plan = [(d, "doctor", 3 if d is Department.OUTPATIENT else 2) for d in HOSPITAL_DEPARTMENTS]
    office = LICENCE_OFFICE[facility.district.former_province]
    for department, role, count in plan:
        for _ in range(count):
            serial = len(facility.staff) + 1
            member_id = registry_id("practitioner", f"{facility.code}-{serial}")
            female = rng.random() < (0.8 if role == "nurse" else 0.45)
            name = practitioner_name(rng, female)
            title, qualification = _title(rng, role, facility.kind)
            facility.add(
                StaffMember(
                    id=member_id,
                    name=name,
                    female=female,
                    title=title,
                    qualification=qualification,
                    role=role,
                    licence=f"{rng.randrange(1, 10**6):06d}/{office}-CCHN",
                    department=department,
                    reference={
                        "reference": "Practitioner/" + member_id,
                        "display": f"{title} {name.text}",
                    },
                )
            )


def _title(rng: Random, role: str, kind: FacilityKind) -> tuple[str, str]:
    if role == "nurse":
        return ("NHS.", "Nữ hộ sinh") if rng.random() < 0.3 else ("ĐD.", "Điều dưỡng")
    if kind is FacilityKind.COMMUNE_STATION and rng.random() < 0.4:
        return "YS.", "Y sĩ đa khoa"
    if kind is FacilityKind.PROVINCIAL_HOSPITAL and rng.random() < 0.6:
        return "BS.CKI", "Bác sĩ chuyên khoa cấp I"
    return "BS.", "Bác sĩ đa khoa"
