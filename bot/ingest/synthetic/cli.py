"""`healthbot demo-data`: write a synthetic population of the Cà Mau province.

healthbot demo-data --citizens 10000 --seed 42 --out data/demo [--today 2025-11-26]
healthbot demo-data --citizens 10000 --out data/demo --xml130-facilities 2  (some visits as XML)
python -m bot.ingest.synthetic --citizens 10000 --out data/demo
healthbot demo-data --citizens 1000000 --direct [--database-url URL]   (straight into the database)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from bot.ingest.synthetic.generator import DEFAULT_CHUNK_SIZE, generate
from bot.ingest.synthetic.identifiers import MAX_CITIZENS

COMMAND = "demo-data"


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register the subcommand."""
    parser = subparsers.add_parser(
        COMMAND, help="write synthetic FHIR records of Cà Mau citizens for the demo"
    )
    add_arguments(parser)
    parser.set_defaults(handler=run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the generator."""
    parser.add_argument(
        "--citizens",
        type=_citizen_count,
        required=True,
        help=f"how many citizens (1 to {MAX_CITIZENS:,})",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--out", type=Path, default=None, help="output directory (required unless --direct)"
    )
    parser.add_argument(
        "--today",
        type=_iso_date,
        default=None,
        help="reference date YYYY-MM-DD (default: today in Vietnam)",
    )
    parser.add_argument(
        "--chunk-size",
        type=_positive_int,
        default=DEFAULT_CHUNK_SIZE,
        help=f"citizens per NDJSON file (default {DEFAULT_CHUNK_SIZE})",
    )
    parser.add_argument(
        "--density",
        type=_positive_float,
        default=1.0,
        help="how often people visit; 1.0 gives about 20 visits per citizen",
    )
    parser.add_argument(
        "--jobs",
        type=_positive_int,
        default=1,
        help="worker processes (the output does not depend on it)",
    )
    parser.add_argument(
        "--xml130-facilities",
        type=_count,
        default=0,
        metavar="N",
        help="write the visits at N district health centres (former Bạc Liêu first) as their "
        "daily XML 130 submissions under OUT/xml130/ instead of as FHIR (default 0)",
    )
    parser.add_argument(
        "--direct",
        action="store_true",
        help="write a skewed population (on average 5 visits, 10 results, 5 immunizations per "
        "citizen) straight into an empty database, in batches",
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="with --direct: the database (default: DATABASE_URL from the settings)",
    )


def run(args: argparse.Namespace) -> int:
    """Generate the population and print a one-line summary."""
    if args.direct and args.xml130_facilities:
        print(f"healthbot {COMMAND}: --xml130-facilities goes without --direct", file=sys.stderr)
        return 2
    if args.direct:
        from bot.ingest.synthetic.direct_cli import run_direct

        return run_direct(args)
    if args.database_url is not None:
        print(f"healthbot {COMMAND}: --database-url goes with --direct", file=sys.stderr)
        return 2
    if args.out is None:
        print(f"healthbot {COMMAND}: --out is required (or --direct)", file=sys.stderr)
        return 2
    try:
        summary = generate(
            args.out,
            args.citizens,
            args.seed,
            today=args.today,
            chunk_size=args.chunk_size,
            density=args.density,
            jobs=args.jobs,
            xml130_facilities=args.xml130_facilities,
        )
    except ValueError as error:
        print(f"healthbot {COMMAND}: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"healthbot {COMMAND}: cannot write {args.out}: {error.strerror}", file=sys.stderr)
        return 1
    print(summary.line())
    if summary.xml130_files:
        print(
            f"XML 130: {len(summary.xml130_files):,} daily submission files in "
            f"{args.out / 'xml130'} (their visits are not in the FHIR files)"
        )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m bot.ingest.synthetic`."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.ingest.synthetic",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


def _citizen_count(text: str) -> int:
    value = _positive_int(text)
    if value > MAX_CITIZENS:
        raise argparse.ArgumentTypeError(f"at most {MAX_CITIZENS:,} citizens")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None
