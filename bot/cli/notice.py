"""`healthbot notice send`: a durable notice from the command line (preview unless --yes)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.broadcast.kinds import BroadcastKind
from bot.broadcast.service import Draft
from bot.broadcast.templates import templates_of
from bot.cli.broadcast import (
    CliError,
    local_today,
    parse_audience,
    parse_params,
    parse_when,
    preview_or_create,
    report_errors,
    with_database,
)
from bot.db.session import Database
from bot.i18n import Catalogs
from bot.settings import Settings

NOTICE_TEMPLATES = {template.name: template for template in templates_of(BroadcastKind.NOTICE)}


def _free_text(args: argparse.Namespace) -> str | None:
    if args.text_file:
        try:
            return Path(args.text_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CliError(f"cannot read {args.text_file}: {error}") from None
    text: str | None = args.text
    return text


@report_errors
def run_send(args: argparse.Namespace) -> int:
    """Preview a notice, or with --yes write it to the outbox and print its id."""

    async def work(settings: Settings, database: Database, catalogs: Catalogs) -> int:
        template = NOTICE_TEMPLATES[args.template]
        text = _free_text(args)
        if template.is_free_text != (text is not None):
            raise CliError("--text or --text-file goes with --template free, and only with it")
        draft = Draft(
            template=template.name,
            audience=parse_audience(args.audience, local_today(settings)),
            params=parse_params(template, args.param, settings),
            free_text=text,
            urgent=args.urgent,
            scheduled_at=parse_when(args.at, settings),
        )
        return await preview_or_create(settings, database, catalogs, draft, args.yes)

    return with_database(work)


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `notice send`."""
    parser = subparsers.add_parser("notice", help="send a notice to citizens")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    send = actions.add_parser("send", help="preview a notice, or send it with --yes")
    send.add_argument("--template", required=True, choices=sorted(NOTICE_TEMPLATES))
    send.add_argument(
        "--param", action="append", default=[], metavar="KEY=VALUE", help="a template parameter"
    )
    send.add_argument("--text", help="the notice text (with --template free)")
    send.add_argument("--text-file", metavar="PATH", help="read the notice text from a UTF-8 file")
    send.add_argument(
        "--audience",
        required=True,
        help="all | district=NAME | commune=[DISTRICT/]NAME | condition=ICD10 | age=MIN-MAX | cccd-file=PATH",
    )
    send.add_argument("--at", metavar="TIME", help="local send time, e.g. '2026-11-26 07:30'")
    send.add_argument("--urgent", action="store_true", help="also reach citizens who muted notices")
    send.add_argument(
        "--yes", action="store_true", help="send; without it only the preview is printed"
    )
    send.set_defaults(handler=run_send)
