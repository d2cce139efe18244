"""A Telegram Bot API emulator that answers and fails like Telegram, and emulated users to drive it.

See docs/emulator.md.
"""

from bot.emulator.driver import EmulatedUser
from bot.emulator.errors import ApiError, DriverError
from bot.emulator.flood import FloodLimits
from bot.emulator.server import BotApiEmulator
from bot.emulator.state import CallbackAnswer, CallbackQueryRecord, MessageRecord

__all__ = [
    "ApiError",
    "BotApiEmulator",
    "CallbackAnswer",
    "CallbackQueryRecord",
    "DriverError",
    "EmulatedUser",
    "FloodLimits",
    "MessageRecord",
]
