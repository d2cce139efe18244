"""The reminder sender: a job in every bot process; the database makes each reminder go out once."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.context import BotContext
from bot.records.reminders import DueReminder, claim, due_reminders, mark_sent, release
from bot.services import Services
from bot.views.reminders import reminder_message
from handlers.common import deliver

logger = logging.getLogger(__name__)
INTERVAL_SECONDS = 60


async def _send_one(bot: Bot, services: Services, reminder: DueReminder) -> bool:
    """Claim, send and record one reminder; False when sending should pause for now.

    A failure that waiting cannot cure (the user blocked the bot, the chat is gone, Telegram
    refuses the message) is logged and the reminder is not tried again, so it cannot hold up
    the reminders behind it. Flood control and network trouble give it back for the next run.
    """
    now = services.clock.now()
    async with services.db.unit_of_work() as session:
        if not await claim(session, reminder.delivery_id, now):
            return True
    reply = reminder_message(services.catalogs.get(reminder.recipient.locale), reminder, now)
    try:
        await deliver(bot, reminder.recipient.chat_id, reply)
    except Forbidden:
        logger.info("reminder %s: user blocked the bot", reminder.delivery_id)
    except BadRequest as error:  # before NetworkError, of which it is a subclass
        logger.warning("reminder %s refused by Telegram: %s", reminder.delivery_id, error)
    except (RetryAfter, NetworkError) as error:
        logger.warning("reminder %s postponed: %s", reminder.delivery_id, error)
        async with services.db.unit_of_work() as session:
            await release(session, reminder.delivery_id)
        return False
    except TelegramError:
        logger.exception("reminder %s could not be sent", reminder.delivery_id)
    async with services.db.unit_of_work() as session:
        await mark_sent(session, reminder.delivery_id, services.clock.now())  # never sent twice
    return True


async def send_due_reminders(bot: Bot, services: Services) -> int:
    """Send every reminder that is due now; returns how many were handled."""
    async with services.db.unit_of_work() as session:
        due = await due_reminders(session, services.clock.now())
    handled = 0
    for reminder in due:
        if not await _send_one(bot, services, reminder):
            break
        handled += 1
    return handled


async def reminder_tick(context: BotContext) -> None:
    """The repeating job."""
    await send_due_reminders(context.bot, context.services)


def schedule(application: Any) -> None:
    """Run the reminder sender every minute in this process."""
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            reminder_tick, interval=INTERVAL_SECONDS, first=10, name="reminders"
        )
