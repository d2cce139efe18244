"""The offline demo: emulator + bot + demo province + a chat in the terminal, all in one process."""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import func, select

from bot.app import build_application, services_of
from bot.db.models import Citizen
from bot.db.session import Database
from bot.demo.terminal import TerminalChat
from bot.emulator import BotApiEmulator
from bot.ingest import xml130
from bot.ingest.fhir import import_paths
from bot.ingest.synthetic import generate
from bot.settings import Settings

logger = logging.getLogger(__name__)
DEMO_USER_ID = 700000001
DEMO_XML130_FACILITIES = 2
"""District health centres whose visits the demo province holds as XML 130 submissions, so
the demo imports both formats into one history."""


def demo_folder(settings: Settings) -> Path:
    """Where the demo province's files are written (beside the SQLite file, else ./data)."""
    sqlite_file = settings.sqlite_path()
    return (sqlite_file.parent if sqlite_file else Path("data")) / "demo-province"


async def load_demo_province(db: Database, settings: Settings, today: date) -> Path:
    """Generate and import the demo province when the store has no citizens; returns its folder."""
    folder = demo_folder(settings)
    async with db.unit_of_work() as session:
        citizens = await session.scalar(select(func.count()).select_from(Citizen))
    if citizens:
        return folder
    logger.info("empty database: generating %s demo citizens", settings.demo_citizens)
    summary = generate(
        folder,
        settings.demo_citizens,
        settings.demo_seed,
        today=today,
        xml130_facilities=DEMO_XML130_FACILITIES,
    )
    report = await import_paths(db, [folder], progress=True)
    logger.info("demo province imported: %s FHIR resources", report.total())
    if summary.xml130_files:
        xml_report = await xml130.import_paths(db, [folder / "xml130"], progress=True)
        logger.info(
            "demo province XML 130 submissions imported: %s visits, %s rejected",
            xml_report.hoso_imported,
            xml_report.hoso_rejected,
        )
    return folder


def describe_demo_citizens(folder: Path) -> str:
    """The demo citizens to sign in with, from the generator's manifest."""
    manifest_file = folder / "manifest.json"
    if not manifest_file.exists():
        return "(no demo manifest found)"
    manifest: dict[str, Any] = json.loads(manifest_file.read_text(encoding="utf-8"))
    lines = ["Demo citizens to sign in with (/login, then :contact PHONE, then the birth date):"]
    for person in manifest.get("demoCitizens", []):
        lines.append(
            f"  {person.get('full_name')}: ID {person.get('national_id')}, phone {person.get('phone')}, "
            f"born {person.get('birth_date')}\n    ({person.get('why', '')})"
        )
    return "\n".join(lines)


async def run_offline_demo(settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    """Run the whole demo until the terminal user quits."""
    emulator = BotApiEmulator()
    await emulator.start(port=settings.emulator_port)
    application = build_application(
        settings.model_copy(update={"telegram_api_base_url": emulator.base_url}),
    )
    services = services_of(application)
    services.database = Database(settings.database_url)
    folder = await load_demo_province(
        services.database, settings, services.clock.now().astimezone(settings.zone).date()
    )
    stdout.write(f"\nOffline demo: Bot API emulator at {emulator.base_url}\n")
    stdout.write(describe_demo_citizens(folder) + "\n\n")
    try:
        await application.initialize()
        if application.post_init:
            await application.post_init(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=10)
        user = emulator.user(DEMO_USER_ID, first_name="Demo", language_code=settings.default_locale)
        chat = TerminalChat(
            user, stdin.readline, stdout, downloads=folder.parent / "downloads",
            echo_input=not stdin.isatty(),
        )
        await chat.run()
    finally:
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
        await emulator.stop()
    return 0
