"""XML 130 submissions for the import benchmark, written with the bot's own SubmissionWriter.

    python -m bench.xml_source --out DIR --citizens 1000 --visits-per-citizen 20 [--single-file]

Citizens get valid CCCDs and insurance numbers from the synthetic generator's number factory
(so the importer creates them); each visit has a diagnosis, one medicine, one service and two
results, like an ordinary outpatient visit. Visits are made lazily, so any size streams.
Prints a JSON summary: visits, files, bytes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from random import Random

from bot.ingest.synthetic.diagnoses import ACUTE
from bot.ingest.synthetic.identifiers import NumberFactory
from bot.ingest.xml130 import (
    DrugLine,
    InsuranceCard,
    Moment,
    ReexamAppointment,
    ResultLine,
    ServiceLine,
    VisitSummary,
    Xml130Visit,
    write_submission,
)
from bot.ingest.xml130.dates import BirthDate

FACILITIES = tuple(f"96{number:03d}" for number in range(100, 120))
"""Twenty commune stations; each citizen visits the one of their index."""
SUBMISSION_DAY = date(2025, 11, 20)
VISITS_PER_FILE = 5_000


def _citizen(numbers: NumberFactory, index: int) -> tuple[str, str, BirthDate, int]:
    year = 1940 + index % 80
    female = index % 2 == 1
    national_id = numbers.national_id(index, "096", female, year)
    card = numbers.social_insurance_number(index, "96")
    return national_id, card, BirthDate(date(year, 1 + index % 12, 1 + index % 28)), 2 if female else 1


def citizen_visits(numbers: NumberFactory, index: int, count: int, facility: str) -> Iterator[Xml130Visit]:
    """`count` visits of citizen `index` at `facility`."""
    rng = Random(index)
    national_id, card, birth, sex = _citizen(numbers, index)
    first_visit = datetime(2016, 1, 1, 1, 0, tzinfo=UTC)
    for number in range(count):
        diagnosis = ACUTE[int(rng.random() * len(ACUTE))]
        admitted = first_visit + timedelta(days=int(rng.random() * 3500), minutes=rng.randint(0, 480))
        ma_lk = f"BK{index:07d}V{number:04d}"
        total = Decimal(rng.randint(30, 900) * 1000)
        summary = VisitSummary(
            ma_lk=ma_lk, facility_code=facility, patient_number=f"BN{index:08d}",
            full_name=f"Người Bệnh {index}", national_id=national_id, birth_date=birth, sex_code=sex,
            cards=(InsuranceCard(card, date(2025, 1, 1), date(2025, 12, 31)),),
            main_diagnosis=diagnosis.code, diagnosis_text=diagnosis.display,
            reason=diagnosis.reasons[0] if diagnosis.reasons else None,
            admitted=admitted, discharged=admitted + timedelta(minutes=45), outcome_code=2,
            total_cost=total, insurance_paid=total * Decimal("0.8"), patient_copay=total * Decimal("0.2"),
            visit_type="01", department="K01",
        )
        drug = diagnosis.drugs[0] if diagnosis.drugs else None
        yield Xml130Visit(
            summary=summary,
            drugs=[DrugLine(name=drug.name, unit=drug.unit, quantity=Decimal(10), unit_price=Decimal(drug.price),
                            total=Decimal(drug.price * 10), ordered_at=admitted)] if drug else [],
            services=[ServiceLine(service_code="01.0001", service_name="Khám bệnh", quantity=Decimal(1),
                                  total=Decimal(38700), ordered_at=admitted)],
            results=[
                ResultLine(code="HA", name="Huyết áp tâm thu", value=str(rng.randint(100, 170)), unit="mmHg",
                           reported_at=admitted),
                ResultLine(code="M", name="Mạch", value=str(rng.randint(60, 100)), unit="lần/phút",
                           reported_at=admitted),
            ],
            reexams=[ReexamAppointment(number=f"GH{ma_lk}", return_on=Moment(date(2025, 12, 20)))]
            if number == count - 1 else [],
        )


def facility_visits(seed: int, facility_number: int, facilities: int, citizens: int,
                    per_citizen: int) -> Iterator[Xml130Visit]:
    """Every visit at one facility: those of citizens whose index falls to it."""
    numbers = NumberFactory(seed)
    facility = FACILITIES[facility_number]
    for index in range(facility_number, citizens, facilities):
        yield from citizen_visits(numbers, index, per_citizen, facility)


def _groups(visits: Iterator[Xml130Visit], size: int) -> Iterator[Iterator[Xml130Visit]]:
    """Consecutive groups of at most `size` visits; each must be consumed before the next."""
    while (head := next(visits, None)) is not None:
        yield itertools.chain((head,), itertools.islice(visits, size - 1))


def write_files(out: Path, citizens: int, per_citizen: int, single_file: bool, seed: int = 1) -> dict[str, int]:
    """Write the submissions; returns visits, files and bytes written."""
    out.mkdir(parents=True, exist_ok=True)
    facilities = 1 if single_file else min(len(FACILITIES), citizens)
    visits = files = 0
    for facility_number in range(facilities):
        stream = facility_visits(seed, facility_number, facilities, citizens, per_citizen)
        size = sys.maxsize if single_file else VISITS_PER_FILE
        for part, group in enumerate(_groups(stream, size)):
            path = out / f"{FACILITIES[facility_number]}_{SUBMISSION_DAY:%Y%m%d}_{part:04d}.xml"
            visits += write_submission(path, FACILITIES[facility_number], SUBMISSION_DAY, group)
            files += 1
    size_bytes = sum(path.stat().st_size for path in out.glob("*.xml"))
    return {"visits": visits, "files": files, "bytes": size_bytes}


def main(argv: list[str] | None = None) -> int:
    """Write the files and print the JSON summary."""
    parser = argparse.ArgumentParser(prog="python -m bench.xml_source", description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--citizens", type=int, required=True)
    parser.add_argument("--visits-per-citizen", type=int, default=20)
    parser.add_argument("--single-file", action="store_true", help="one export file of one facility")
    args = parser.parse_args(argv)
    print(json.dumps(write_files(args.out, args.citizens, args.visits_per_citizen, args.single_file)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
