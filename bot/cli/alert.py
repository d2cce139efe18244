"""`healthbot alert send|export`: contact-tracing alerts from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.broadcast import export
from bot.broadcast.audience import AudienceKind
from bot.broadcast.service import Draft
from bot.broadcast.templates import get_template
from bot.cli.broadcast import (
    CliError,
    local_today,
    parse_audience,
    parse_params,
    preview_or_create,
    read_contacts,
    report_errors,
    with_database,
)
from bot.clock import SystemClock
from bot.db.session import Database
from bot.i18n import Catalogs
from bot.settings import Settings


def _draft(args: argparse.Namespace, settings: Settings) -> Draft:
    if args.contacts_file:
        if args.place or args.audience:
            raise CliError("--contacts-file cannot be combined with --place or --audience")
        return Draft(
            template="contact_alert",
            audience=read_contacts(args.contacts_file, local_today(settings)),
            params=parse_params(get_template("contact_alert"), args.param, settings),
        )
    if not (args.place and args.start and args.end and args.audience):
        raise CliError("a place alert needs --place, --from, --to and --audience")
    audience = parse_audience(args.audience, local_today(settings))
    if audience.kind not in (AudienceKind.ALL, AudienceKind.DISTRICT, AudienceKind.COMMUNE):
        raise CliError("a place alert goes to an area: all, district=NAME or commune=NAME")
    pairs = [*args.param, f"place={args.place}", f"start={args.start}", f"end={args.end}"]
    return Draft(
        template="place_alert",
        audience=audience,
        params=parse_params(get_template("place_alert"), pairs, settings),
    )


@report_errors
def run_send(args: argparse.Namespace) -> int:
    """Preview an alert, or with --yes write it to the outbox and print its id."""

    async def work(settings: Settings, database: Database, catalogs: Catalogs) -> int:
        try:
            draft = _draft(args, settings)
        except ValueError as error:
            raise CliError(str(error)) from None
        return await preview_or_create(settings, database, catalogs, draft, args.yes)

    return with_database(work)


@report_errors
def run_export(args: argparse.Namespace) -> int:
    """Write the CSV of answers and unreachable contacts to a file or standard output."""

    async def work(settings: Settings, database: Database, catalogs: Catalogs) -> int:
        async with database.unit_of_work() as session:
            exported = await export.export_csv(
                session,
                args.id,
                now=SystemClock().now(),
                actor_kind="operator",
                actor_telegram_id=None,
            )
        if exported is None:
            raise CliError(f"no alert {args.id}")
        text, rows = exported
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8-sig")
            print(f"alert {args.id}: {rows} rows written to {args.out}")
        else:
            sys.stdout.write(text)
        return 0

    return with_database(work)


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `alert send|export`."""
    parser = subparsers.add_parser("alert", help="contact-tracing alerts")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    send = actions.add_parser("send", help="preview an alert, or send it with --yes")
    send.add_argument(
        "--contacts-file", metavar="PATH", help="CSV of CCCD numbers of close contacts"
    )
    send.add_argument("--place", help="where the exposure happened (place alert)")
    send.add_argument(
        "--from", dest="start", metavar="TIME", help="start of the exposure, local time"
    )
    send.add_argument("--to", dest="end", metavar="TIME", help="end of the exposure, local time")
    send.add_argument(
        "--audience", help="all | district=NAME | commune=[DISTRICT/]NAME (place alert)"
    )
    send.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="disease=... and phone=...",
    )
    send.add_argument(
        "--yes", action="store_true", help="send; without it only the preview is printed"
    )
    send.set_defaults(handler=run_send)
    export = actions.add_parser(
        "export", help="CSV of answers and of contacts the bot could not reach"
    )
    export.add_argument("id", type=int)
    export.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    export.set_defaults(handler=run_export)
