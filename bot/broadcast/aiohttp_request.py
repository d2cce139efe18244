"""The sender's HTTP client for python-telegram-bot: aiohttp over a small keep-alive pool.

py-spy showed the paid broadcast worker spending most of its CPU in httpx/httpcore (about
1.6 ms per sendMessage with a pool of 8, 3.1 ms with 32: the pool scans every connection on
each request); aiohttp's client costs about a tenth of that. python-telegram-bot still builds
the request and turns the answer into results and errors (429 RetryAfter, 403 Forbidden, ...),
so delivery semantics do not depend on this module. JSON bodies only: the sender uploads no files.
"""

from __future__ import annotations

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

_JSON = {"Content-Type": "application/json"}


def _seconds(value: ODVInput[float], default: float) -> float | None:
    return default if isinstance(value, DefaultValue) else value


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` with at most `connections` keep-alive connections to the Bot API."""

    def __init__(
        self,
        connections: int,
        *,
        read_timeout: float = 5.0,
        connect_timeout: float = 5.0,
        pool_timeout: float = 10.0,
    ) -> None:
        self.connections = connections
        self._read = read_timeout
        self._connect, self._pool = connect_timeout, pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        """Seconds to wait for an answer when the call names none."""
        return self._read

    async def initialize(self) -> None:
        """Open the connection pool."""
        if self._session is None or self._session.closed:
            connections = self.connections
            connector = aiohttp.TCPConnector(limit=connections, limit_per_host=connections)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        """Close the pool; in-flight requests fail."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One request; timeouts raise `TimedOut`, other transport trouble `NetworkError`."""
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        if request_data is not None and request_data.contains_files:
            raise ValueError("the broadcast sender's client sends JSON only, not files")
        pool = _seconds(pool_timeout, self._pool)
        connect = _seconds(connect_timeout, self._connect)
        # aiohttp has no write timeout; its `connect` includes waiting for a pooled connection.
        timeout = aiohttp.ClientTimeout(
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=_seconds(read_timeout, self._read),
        )
        body = request_data.json_payload if request_data is not None else None
        try:
            async with self._session.request(
                method, url, data=body, headers=_JSON if body else None, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error
