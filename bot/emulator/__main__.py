"""Run the emulator as a process.

`python -m bot.emulator --port 8081` prints its base URL on stdout and serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from bot.emulator.flood import FloodLimits
from bot.emulator.server import BotApiEmulator


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="python -m bot.emulator", description="Telegram Bot API emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument(
        "--no-flood-limits", action="store_true", help="never answer 429 (throughput benchmarks)"
    )
    parser.add_argument("--webhook-retry-delay", type=float, default=1.0)
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    """Start the emulator, print its base URL, and wait for SIGINT or SIGTERM."""
    limits = FloodLimits.off() if args.no_flood_limits else FloodLimits()
    emulator = BotApiEmulator(limits, webhook_retry_delay=args.webhook_retry_delay)
    await emulator.start(args.host, args.port)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stopped.set)
    print(emulator.base_url, flush=True)
    try:
        await stopped.wait()
    finally:
        await emulator.stop()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    asyncio.run(serve(parse_args(argv)))


if __name__ == "__main__":
    main()
