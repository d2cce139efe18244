"""Small helpers shared by the subcommands: logging set-up and URL redaction."""

from __future__ import annotations

import logging
import re
import sys

from bot.identity.masking import install_log_masking


def configure_logging(level: str = "INFO") -> None:
    """Log to stderr with timestamps; personal identifiers are masked."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    install_log_masking(root)
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def redact_url(url: str) -> str:
    """A database URL with its password hidden."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
