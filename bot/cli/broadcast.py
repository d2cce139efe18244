"""`healthbot broadcast status|cancel|worker`, and helpers shared by `notice` and `alert`."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from bot.broadcast import service
from bot.broadcast.audience import Audience, AudienceError, AudienceKind, parse_cli_audience
from bot.broadcast.compose import ParamError, parse_local_datetime, parse_param
from bot.broadcast.contacts_csv import ContactFileError, parse_contacts
from bot.broadcast.service import Actor, CancelOutcome, Draft, Preview
from bot.broadcast.templates import Template
from bot.cli.support import configure_logging
from bot.clock import SystemClock
from bot.db.session import Database
from bot.i18n import LANGUAGE_NAMES, Catalogs
from bot.settings import Settings, load_settings

T = TypeVar("T")
CLI_LOCALE = "en"
EXIT_USAGE = 2


class CliError(Exception):
    """A user error: printed as one line, exit code 2."""


def with_database(work: Callable[[Settings, Database, Catalogs], Awaitable[T]]) -> T:
    """Load settings, open the database, run `work`, close the database."""
    settings = load_settings()
    configure_logging(settings.log_level)

    async def main() -> T:
        database = Database(settings.database_url)
        try:
            return await work(
                settings, database, Catalogs(zone=settings.zone, default=settings.default_locale)
            )
        finally:
            await database.dispose()

    return asyncio.run(main())


def report_errors(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn CliError into `healthbot: message` and exit code 2."""

    def wrapper(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except CliError as error:
            print(f"healthbot: {error}", file=sys.stderr)
            return EXIT_USAGE

    return wrapper


def parse_params(template: Template, pairs: list[str], settings: Settings) -> dict[str, str]:
    """`key=value` pairs checked against the template and converted to stored form."""
    known = {param.name: param for param in template.params}
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in known:
            raise CliError(
                f"unknown parameter {key!r}; {template.name} takes: {', '.join(known) or 'none'}"
            )
        try:
            params[key] = parse_param(known[key].kind, value, settings.zone)
        except ParamError as error:
            raise CliError(f"parameter {key}: {error.problem.value.replace('_', ' ')}") from None
    missing = [name for name in known if name not in params]
    if missing:
        raise CliError(f"missing parameters: {', '.join(missing)} (use --param NAME=VALUE)")
    return params


def local_today(settings: Settings) -> date:
    """Today's date where the bot works."""
    return SystemClock().now().astimezone(settings.zone).date()


def read_contacts(path: str, today: date) -> Audience:
    """A CCCD-list audience from a CSV file; skipped rows are listed on stderr (masked)."""
    try:
        contacts = parse_contacts(Path(path).read_bytes(), today)
    except OSError as error:
        raise CliError(f"cannot read {path}: {error.strerror}") from None
    except ContactFileError as error:
        raise CliError(f"{path}: {error}") from None
    for row in contacts.bad_rows:
        print(
            f"healthbot: {path} line {row.line}: {row.value} skipped ({row.problem.value})",
            file=sys.stderr,
        )
    if not contacts.national_ids:
        raise CliError(f"{path}: no valid CCCD number")
    return Audience(AudienceKind.CCCD, national_ids=tuple(contacts.national_ids))


def parse_audience(text: str, today: date) -> Audience:
    """An `--audience` value, reading `cccd-file=PATH` from disk."""
    if text.startswith("cccd-file="):
        return read_contacts(text.removeprefix("cccd-file="), today)
    try:
        return parse_cli_audience(text)
    except AudienceError as error:
        raise CliError(str(error)) from None


def parse_when(text: str | None, settings: Settings) -> datetime | None:
    """An `--at` time in local time (26/11/2026 07:30 or ISO)."""
    if not text:
        return None
    try:
        return parse_local_datetime(text, settings.zone)
    except ParamError:
        raise CliError("--at: expected a local time such as '2026-11-26 07:30'") from None


def plain(html: str) -> str:
    """Telegram HTML as terminal text."""
    text = re.sub(r"<[^>]+>", "", html)
    return (
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    )


def print_preview(shown: Preview) -> None:
    """Audience size and the message in every language."""
    plan = shown.plan
    print(f"recipients through the bot: {plan.size}")
    print(f"muted general notices (not sent): {plan.muted}")
    print(f"cannot be reached through the bot: {len(plan.unreached)}")
    for locale, content in shown.content.items():
        print(f"\n--- {LANGUAGE_NAMES.get(locale, locale)} ({locale}) ---")
        print(plain(content["text"]))
        for row in content["buttons"]:
            print("  " + "  ".join(f"[{button['label']}]" for button in row))


async def preview_or_create(
    settings: Settings, database: Database, catalogs: Catalogs, draft: Draft, confirmed: bool
) -> int:
    """Print the preview, or create the broadcast and print its id."""
    now = SystemClock().now()
    today: date = now.astimezone(settings.zone).date()
    try:
        async with database.unit_of_work() as session:
            if not confirmed:
                print_preview(
                    await service.preview(session, draft, now=now, today=today, catalogs=catalogs)
                )
                print("\nnothing sent: add --yes to send")
                return 0
            broadcast_id, shown = await service.create(
                session, draft, Actor("cli"), now=now, today=today, catalogs=catalogs
            )
    except (ParamError, service.BroadcastRefusedError) as error:
        raise CliError(str(error).replace("_", " ")) from None
    print(
        f"broadcast {broadcast_id} created: {shown.plan.size} to send, "
        f"{len(shown.plan.unreached)} unreachable, {shown.plan.muted} muted"
    )
    print(broadcast_id)
    return 0


@report_errors
def run_status(args: argparse.Namespace) -> int:
    """Print a broadcast's progress like the bot's progress message."""
    from bot.views.broadcast_progress import progress_lines

    async def work(settings: Settings, database: Database, catalogs: Catalogs) -> int:
        async with database.unit_of_work() as session:
            state = await service.progress(session, args.id, SystemClock().now())
        if state is None:
            raise CliError(f"no broadcast {args.id}")
        print("\n".join(progress_lines(catalogs.get(CLI_LOCALE), state)))
        return 0

    return with_database(work)


@report_errors
def run_cancel(args: argparse.Namespace) -> int:
    """Stop a broadcast; messages already sent stay sent."""

    async def work(settings: Settings, database: Database, catalogs: Catalogs) -> int:
        async with database.unit_of_work() as session:
            outcome = await service.cancel(session, args.id, Actor("cli"), now=SystemClock().now())
        if outcome is CancelOutcome.NOT_FOUND:
            raise CliError(f"no broadcast {args.id}")
        print(f"broadcast {args.id}: {outcome.value.replace('_', ' ')}")
        return 0 if outcome is CancelOutcome.CANCELLED else 1

    return with_database(work)


def run_worker(args: argparse.Namespace) -> int:
    """Run a sender outside the bot process (several may share a PostgreSQL outbox)."""
    from bot.app import OFFLINE_DEMO_TOKEN
    from bot.broadcast.telegram_transport import build_sender, make_bot, sender_config
    from bot.services import Services

    async def work(settings: Settings, database: Database, catalogs: Catalogs) -> int:
        token = settings.telegram_bot_token
        bot = make_bot(
            token.get_secret_value() if token else OFFLINE_DEMO_TOKEN,
            settings,
            sender_config(settings).concurrency,
        )
        await bot.initialize()
        services = Services(settings=settings, catalogs=catalogs, database=database)
        sender = build_sender(services, bot)
        try:
            if args.until_idle:
                print(f"sent or settled {await sender.drain()} deliveries")
            else:
                await sender.run()
        finally:
            await bot.shutdown()
        return 0

    return with_database(work)


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `broadcast status|cancel|worker`."""
    parser = subparsers.add_parser("broadcast", help="follow, stop or deliver broadcasts")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="progress of a broadcast")
    status.add_argument("id", type=int)
    status.set_defaults(handler=run_status)
    cancel = actions.add_parser("cancel", help="stop a scheduled or running broadcast")
    cancel.add_argument("id", type=int)
    cancel.set_defaults(handler=run_cancel)
    worker = actions.add_parser("worker", help="run a sender process (the bot runs one itself)")
    worker.add_argument("--until-idle", action="store_true", help="stop when nothing is due")
    worker.set_defaults(handler=run_worker)
