"""Build XML 130 visits for tests: one fully filled visit, and many cheap generated ones."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from bot.ingest.xml130 import (
    DrugLine,
    InsuranceCard,
    Moment,
    ReexamAppointment,
    ResultLine,
    ServiceLine,
    VisitSummary,
    Xml130Visit,
)
from bot.ingest.xml130.dates import BirthDate, BirthPrecision
from tests.factories import cccd_for

FACILITY = "96001"


def national_id(number: int, birth_year: int, female: bool) -> str:
    """A structurally valid Cà Mau CCCD for a person born in `birth_year`."""
    return cccd_for(date(birth_year, 1, 1), "female" if female else "male", serial=number)


def full_visit(ma_lk: str = "LKRT0001", facility: str = FACILITY) -> Xml130Visit:
    """A visit using every field the writer and reader know."""
    admitted = datetime(2025, 11, 18, 0, 45, tzinfo=UTC)
    summary = VisitSummary(
        ma_lk=ma_lk,
        facility_code=facility,
        patient_number="BN-RT-1",
        full_name="Trương Thị Ánh & Co <test>",
        national_id=national_id(4242, 1992, female=True),
        birth_date=BirthDate(date(1992, 7, 1), BirthPrecision.MONTH),
        sex_code=2,
        blood_group="AB-",
        address="Ấp 3, xã Khánh Bình, Cà Mau",
        phone="0987654321",
        cards=(
            InsuranceCard("HS4960099887766", date(2025, 1, 1), date(2025, 6, 30)),
            InsuranceCard("0099887766", date(2025, 7, 1), None),
        ),
        primary_care_code="96003",
        copay_exempt_from=date(2025, 2, 1),
        reason="Khó thở",
        diagnosis_text="Hen phế quản; Viêm mũi dị ứng",
        main_diagnosis="J45.9",
        other_diagnoses=("J30.4",),
        admitted=admitted,
        discharged=admitted + timedelta(days=2, hours=3),
        outcome_code=2,
        total_cost=Decimal("523000.75"),
        patient_paid=Decimal("10000"),
        patient_copay=Decimal("104600.15"),
        insurance_paid=Decimal("408400.60"),
        visit_type="03",
        department="K03",
        residence_area="K1",
        five_years_date=date(2021, 5, 1),
        follow_up_date=date(2025, 12, 2),
    )
    return Xml130Visit(
        summary=summary,
        drugs=[
            DrugLine(
                ma_lk=ma_lk,
                code="40.99",
                name="Salbutamol",
                unit="Bình",
                strength="100mcg/liều",
                route="3.05",
                dose="2 nhát/lần",
                instructions="Xịt khi khó thở",
                quantity=Decimal("1"),
                unit_price=Decimal("75000.5"),
                total=Decimal("75000.5"),
                insurance_paid=Decimal("60000.4"),
                department="K03",
                prescriber="001/CM",
                ordered_at=admitted + timedelta(hours=1),
            )
        ],
        services=[
            ServiceLine(
                ma_lk=ma_lk,
                service_code="02.0100.0001",
                service_name="Đo chức năng hô hấp",
                unit="Lần",
                quantity=Decimal("1"),
                unit_price=Decimal("120000"),
                total=Decimal("120000"),
                insurance_paid=Decimal("96000"),
                department="K03",
                prescriber="001/CM",
                ordered_at=admitted,
                performed_at=admitted + timedelta(hours=2),
                result_at=admitted + timedelta(hours=3),
            )
        ],
        results=[
            ResultLine(
                ma_lk=ma_lk,
                service_code="22.0001",
                code="SPO2",
                name="SpO2",
                value="93,5",
                unit="%",
                description="Đo lúc nghỉ",
                conclusion="Giảm nhẹ",
                reported_at=admitted + timedelta(hours=2),
                reader="002/CM",
            )
        ],
        reexams=[
            ReexamAppointment(
                ma_lk=ma_lk,
                number="GH-RT-1",
                facility_code=facility,
                return_on=Moment(date(2025, 12, 2), time(9, 15)),
                diagnosis_text="Hen phế quản",
                main_diagnosis="J45.9",
                other_diagnoses=("J30.4",),
                doctor="001/CM",
                issued_on=date(2025, 11, 20),
            )
        ],
    )


def generated_visits(count: int, facility: str = FACILITY, first: int = 1) -> Iterator[Xml130Visit]:
    """`count` small but complete visits of distinct citizens, made lazily."""
    start = datetime(2025, 11, 20, 1, 0, tzinfo=UTC)
    for number in range(first, first + count):
        year = 1940 + number % 80
        female = number % 2 == 1
        ma_lk = f"LKGEN{number:08d}"
        admitted = start + timedelta(minutes=number % 600)
        summary = VisitSummary(
            ma_lk=ma_lk,
            facility_code=facility,
            patient_number=f"BN{number:08d}",
            full_name=f"Người Bệnh Số {number}",
            national_id=national_id(number, year, female),
            birth_date=BirthDate(date(year, 1 + number % 12, 1 + number % 28)),
            sex_code=2 if female else 1,
            cards=(InsuranceCard(f"GD4960{number:09d}", date(2025, 1, 1), date(2025, 12, 31)),),
            main_diagnosis="I10",
            diagnosis_text="Tăng huyết áp",
            admitted=admitted,
            discharged=admitted + timedelta(minutes=40),
            outcome_code=2,
            total_cost=Decimal("150000"),
            insurance_paid=Decimal("120000"),
            visit_type="01",
        )
        yield Xml130Visit(
            summary=summary,
            drugs=[
                DrugLine(
                    name="Amlodipin",
                    strength="5mg",
                    quantity=Decimal("30"),
                    unit_price=Decimal("800"),
                    total=Decimal("24000"),
                    ordered_at=admitted,
                )
            ],
            services=[
                ServiceLine(
                    service_code="01.0001",
                    service_name="Khám bệnh",
                    quantity=Decimal("1"),
                    total=Decimal("38700"),
                    ordered_at=admitted,
                )
            ],
            results=[
                ResultLine(
                    code="HA",
                    name="Huyết áp tâm thu",
                    value="150",
                    unit="mmHg",
                    reported_at=admitted,
                )
            ],
            reexams=[ReexamAppointment(number=f"GH{number}", return_on=Moment(date(2025, 12, 20)))],
        )
