"""`healthbot staff invite|list|revoke`: health staff who may send notices and alerts."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.broadcast import CliError, report_errors, with_database
from bot.clock import SystemClock
from bot.db.session import Database
from bot.i18n import Catalogs
from bot.settings import Settings
from bot.staff import members
from bot.staff.members import StaffView
from bot.staff.roles import Role


def _status(staff: StaffView) -> str:
    if staff.revoked_at is not None:
        return "revoked"
    if staff.telegram_user_id is not None:
        return "active"
    expired = staff.invite_expires_at is None or staff.invite_expires_at <= SystemClock().now()
    return "invite expired" if expired else "invited"


@report_errors
def run_invite(args: argparse.Namespace) -> int:
    """Create a staff member and print their one-time code."""

    async def work(settings: Settings, database: Database, catalogs: Catalogs) -> int:
        async with database.unit_of_work() as session:
            try:
                invitation = await members.invite(
                    session, name=args.name, role=Role(args.role), now=SystemClock().now()
                )
            except ValueError as error:
                raise CliError(str(error)) from None
        staff = invitation.staff
        until = (
            staff.invite_expires_at.astimezone(settings.zone) if staff.invite_expires_at else None
        )
        print(f"staff #{staff.id} {staff.name} ({staff.role.value}) invited")
        print(f"one-time code: {invitation.code}")
        print(f"valid until {until:%Y-%m-%d %H:%M} ({settings.timezone}); shown only once")
        print(f"they send to the bot: /staff {invitation.code}")
        return 0

    return with_database(work)


@report_errors
def run_list(args: argparse.Namespace) -> int:
    """Print every staff member."""

    async def work(settings: Settings, database: Database, catalogs: Catalogs) -> int:
        async with database.unit_of_work() as session:
            everyone = await members.list_staff(session)
        print(f"{'id':>4}  {'role':<8}  {'status':<14}  name")
        for staff in everyone:
            print(f"{staff.id:>4}  {staff.role.value:<8}  {_status(staff):<14}  {staff.name}")
        return 0

    return with_database(work)


@report_errors
def run_revoke(args: argparse.Namespace) -> int:
    """Revoke a staff member at once."""

    async def work(settings: Settings, database: Database, catalogs: Catalogs) -> int:
        async with database.unit_of_work() as session:
            staff = await members.revoke(session, args.id, now=SystemClock().now())
        if staff is None:
            raise CliError(f"no staff member {args.id}")
        print(f"staff #{staff.id} {staff.name} revoked")
        return 0

    return with_database(work)


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `staff invite|list|revoke`."""
    parser = subparsers.add_parser("staff", help="manage health staff accounts")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    invite = actions.add_parser("invite", help="create a staff member and print a one-time code")
    invite.add_argument("--role", required=True, choices=[role.value for role in Role])
    invite.add_argument("--name", required=True)
    invite.set_defaults(handler=run_invite)
    listing = actions.add_parser("list", help="list staff members")
    listing.set_defaults(handler=run_list)
    revoke = actions.add_parser("revoke", help="revoke a staff member")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(handler=run_revoke)
