"""python-telegram-bot's HTTP client on aiohttp, for the bot's replies and the broadcast sender.

py-spy showed httpx/httpcore costing about 1.6 ms per Bot API call with a pool of 8 and 3.1 ms
with 32 (the pool scans every connection on each request); aiohttp's client costs about a tenth
of that. python-telegram-bot still builds each request and turns each answer into results and
errors (429 RetryAfter, 403 Forbidden, ...), so nothing above this module depends on it.
Like httpx, it honours the HTTP(S)_PROXY and NO_PROXY environment variables, read once per host
(aiohttp's own `trust_env` reads them and ~/.netrc again on every request, in a thread).
"""

from __future__ import annotations

import urllib.request
from contextlib import AbstractAsyncContextManager
from urllib.parse import urlsplit

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

_JSON = {"Content-Type": "application/json"}


def _seconds(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def environment_proxy(url: str) -> str | None:
    """The proxy the environment names for `url` (HTTPS_PROXY, HTTP_PROXY; NO_PROXY), or None."""
    parts = urlsplit(url)
    if parts.hostname and urllib.request.proxy_bypass(parts.hostname):
        return None
    return urllib.request.getproxies().get(parts.scheme)


def _form(request_data: RequestData) -> aiohttp.FormData:
    """A multipart body: the parameters (JSON-encoded, as Telegram expects) and the files."""
    form = aiohttp.FormData(quote_fields=False)
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` with at most `connections` keep-alive connections to the Bot API."""

    def __init__(
        self,
        connections: int,
        *,
        read_timeout: float = 5.0,
        connect_timeout: float = 5.0,
        pool_timeout: float = 10.0,
        media_write_timeout: float = 20.0,
    ) -> None:
        self.connections = connections
        self._read = read_timeout
        self._connect, self._pool = connect_timeout, pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float:
        """Seconds to wait for an answer when the call names none."""
        return self._read

    @property
    def pool_timeout(self) -> float:
        """Seconds to wait for a free connection when the call names none."""
        return self._pool

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
        files = request_data is not None and request_data.contains_files
        pool = _seconds(pool_timeout, self._pool)
        connect = _seconds(connect_timeout, self._connect)
        read = _seconds(read_timeout, self._read)
        if files:  # aiohttp has no write timeout: an upload's answer may take the media timeout
            write = _seconds(write_timeout, self._media_write)
            read = None if read is None or write is None else read + write
        # aiohttp's `connect` includes waiting for a pooled connection.
        timeout = aiohttp.ClientTimeout(
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with self._request(method, url, request_data, files, timeout) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def _request(
        self,
        method: str,
        url: str,
        request_data: RequestData | None,
        files: bool,
        timeout: aiohttp.ClientTimeout,
    ) -> AbstractAsyncContextManager[aiohttp.ClientResponse]:
        assert self._session is not None
        proxy = self._proxy(url)
        if files and request_data is not None:
            data = _form(request_data)
            return self._session.request(method, url, data=data, timeout=timeout, proxy=proxy)
        body = request_data.json_payload if request_data is not None else None
        headers = _JSON if body else None
        return self._session.request(
            method, url, data=body, headers=headers, timeout=timeout, proxy=proxy
        )

    def _proxy(self, url: str) -> str | None:
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        if key not in self._proxies:
            self._proxies[key] = environment_proxy(url)
        return self._proxies[key]
