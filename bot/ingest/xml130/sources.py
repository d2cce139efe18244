"""Find the submission files named on the command line: files, folders (recursive) and zips."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

SUBMISSION_SUFFIX = ".xml"
ARCHIVE_SUFFIX = ".zip"


@dataclass(frozen=True, slots=True)
class Submission:
    """One submission file to read: a file on disk or a member of a zip archive."""

    label: str  # shown in reports: the path, or archive.zip!member.xml
    size: int  # bytes, uncompressed
    open: Callable[[], AbstractContextManager[IO[bytes]]]


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A named path that cannot be read at all."""

    label: str
    reason: str


def _is(path: Path | str, suffix: str) -> bool:
    return str(path).lower().endswith(suffix)


def _file(path: Path) -> Submission:
    return Submission(str(path), path.stat().st_size, lambda: path.open("rb"))


def _archive_members(path: Path) -> Iterator[Submission | Unreadable]:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir() and _is(info.filename, SUBMISSION_SUFFIX)
            ]
    except (zipfile.BadZipFile, OSError) as error:
        yield Unreadable(str(path), f"not a readable zip archive ({error})")
        return
    for info in sorted(members, key=lambda item: item.filename):
        yield Submission(
            f"{path}!{info.filename}", info.file_size, _member_opener(path, info.filename)
        )


def _member_opener(path: Path, name: str) -> Callable[[], AbstractContextManager[IO[bytes]]]:
    def open_member() -> AbstractContextManager[IO[bytes]]:
        return _ZipMember(path, name)

    return open_member


class _ZipMember(AbstractContextManager[IO[bytes]]):
    """Opens the archive and streams one member; both are closed on exit."""

    def __init__(self, path: Path, name: str) -> None:
        self._archive = zipfile.ZipFile(path)
        self._name = name

    def __enter__(self) -> IO[bytes]:
        try:
            self._stream = self._archive.open(self._name)
        except BaseException:
            self._archive.close()
            raise
        return self._stream

    def __exit__(self, *exc_info: object) -> None:
        self._stream.close()
        self._archive.close()


def _expand(path: Path) -> Iterator[Submission | Unreadable]:
    if path.is_dir():
        found = sorted(
            item
            for item in path.rglob("*")
            if item.is_file() and (_is(item, SUBMISSION_SUFFIX) or _is(item, ARCHIVE_SUFFIX))
        )
        for item in found:
            yield from _expand(item)
    elif not path.exists():
        yield Unreadable(str(path), "no such file or folder")
    elif _is(path, ARCHIVE_SUFFIX):
        yield from _archive_members(path)
    else:
        yield _file(path)


def find_submissions(paths: list[Path]) -> Iterator[Submission | Unreadable]:
    """Every submission under `paths`, in a stable order; unreadable paths are reported."""
    for path in paths:
        yield from _expand(path)
