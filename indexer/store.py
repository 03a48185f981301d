"""The index folder: generations, the ``CURRENT`` pointer, the writers' lock.

Layout::

    <index>/
      .lock                 fcntl lock held by build, update and delete
      CURRENT               name of the generation readers open (replaced atomically)
      PREVIOUS              the generation CURRENT named before the last switch
      gen-<utc>-<pid>/      one Whoosh index each, plus meta.json and rejects.jsonl

A build writes a new generation and switches ``CURRENT`` to it only when it is complete, so a
failed or killed build leaves the previous generation serving. A generation is deleted only
when it is neither current nor previous and older than ``GRACE_SECONDS``, so no reader that
opened it a moment ago loses its files.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

#: Generations that are neither current nor previous are kept at least this long.
GRACE_SECONDS = 15 * 60
ENV_VAR = "PRESSROOM_INDEX_DIR"


class IndexMissingError(RuntimeError):
    """There is no built index at the path; the message says how to build one."""


class IndexUnavailableError(IndexMissingError):
    """The index exists on servers that do not answer now (a search cluster that is down);
    answered 503 with ``Retry-After``."""


class IndexLoadingError(IndexUnavailableError):
    """The index exists but no server holds all of it yet (a search cluster loading after a
    restart); answered 503 with ``Retry-After``, never with part of the releases."""


class IndexEmptyError(IndexMissingError):
    """The index exists but holds no release (every release was deleted)."""


class IndexLockedError(RuntimeError):
    """Another build, update or delete holds the index."""


class IndexWriteError(RuntimeError):
    """The index folder cannot be written (read-only, full disk); the old index is intact."""


def index_dir(path: str | os.PathLike | None = None) -> Path:
    """The index location: the argument, else ``$PRESSROOM_INDEX_DIR``, else ``./index``."""
    return Path(path or os.environ.get(ENV_VAR) or "index")


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so a reader sees the old or the new content, never a mix."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


class IndexStore:
    """One index folder and its generations."""

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = index_dir(path)

    # Pointers ---------------------------------------------------------------------------

    def current_name(self) -> str | None:
        """Name of the generation ``CURRENT`` points to, or None before the first build."""
        try:
            name = (self.path / "CURRENT").read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name or None

    def current(self) -> Path:
        """Folder of the current generation (raises ``IndexMissingError`` if there is none)."""
        name = self.current_name()
        if not name or not (self.path / name).is_dir():
            raise IndexMissingError(
                f"no index at {self.path}/; build one with 'pressroom build SOURCE... --index {self.path}'"
            )
        return self.path / name

    def pointer_stamp(self) -> tuple[int, int] | None:
        """A cheap signature of ``CURRENT`` (inode, mtime): readers reopen when it changes."""
        try:
            st = os.stat(self.path / "CURRENT")
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns)

    # Writing -----------------------------------------------------------------------------

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the index's writer lock; raise ``IndexLockedError`` at once if someone else has it."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            fh = open(self.path / ".lock", "a+")
        except OSError as e:
            raise IndexWriteError(f"cannot write to {self.path}/: {e.strerror or e}") from None
        try:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = ""
                try:
                    fh.seek(0)
                    holder = fh.read().strip()
                except OSError:
                    pass
                raise IndexLockedError(
                    f"another build, update or delete is running on {self.path}/"
                    + (f" ({holder})" if holder else "")
                    + "; wait for it to finish"
                ) from None
            try:
                fh.seek(0)
                fh.truncate()
                fh.write(f"pid {os.getpid()} since {utc_now()}\n")
                fh.flush()
            except OSError:
                pass  # the lock itself is what matters; the note is a courtesy
            yield
        finally:
            fh.close()  # closing releases the lock; the kernel releases it on SIGKILL too

    def new_generation(self) -> Path:
        """Create and return an empty folder for a new generation."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        path = self.path / f"gen-{stamp}-{os.getpid()}"
        try:
            path.mkdir(parents=True)
        except OSError as e:
            raise IndexWriteError(f"cannot create a generation in {self.path}/: {e.strerror or e}") from None
        return path

    def switch_to(self, generation: Path) -> None:
        """Point ``CURRENT`` at ``generation`` atomically, remembering the old one as ``PREVIOUS``."""
        old = self.current_name()
        if old and old != generation.name:
            write_atomic(self.path / "PREVIOUS", old + "\n")
        write_atomic(self.path / "CURRENT", generation.name + "\n")

    def collect_garbage(self, grace_seconds: float = GRACE_SECONDS) -> list[str]:
        """Delete generations that are neither current nor previous and older than the grace period."""
        keep = {self.current_name()}
        try:
            keep.add((self.path / "PREVIOUS").read_text(encoding="utf-8").strip())
        except FileNotFoundError:
            pass
        removed = []
        now = time.time()
        for child in sorted(self.path.glob("gen-*")):
            if child.name in keep or not child.is_dir():
                continue
            try:
                age = now - child.stat().st_mtime
            except FileNotFoundError:
                continue
            if age >= grace_seconds:
                shutil.rmtree(child, ignore_errors=True)
                removed.append(child.name)
        return removed

    # Metadata ----------------------------------------------------------------------------

    @staticmethod
    def read_meta(generation: Path) -> dict[str, Any]:
        """The generation's ``meta.json`` (built_at, counts), or {} if it has none."""
        try:
            return json.loads((generation / "meta.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}

    @staticmethod
    def write_meta(generation: Path, meta: dict[str, Any]) -> None:
        """Write ``meta.json`` atomically."""
        write_atomic(generation / "meta.json", json.dumps(meta, ensure_ascii=False, indent=1) + "\n")


def utc_now() -> str:
    """Now, as ISO 8601 UTC with a ``Z``."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def folder_bytes(path: Path) -> int:
    """Total size of the files in a folder."""
    total = 0
    for f in path.rglob("*"):
        try:
            if f.is_file():
                total += f.stat().st_size
        except OSError:
            pass
    return total


def is_disk_error(e: OSError) -> bool:
    """A full disk or a read-only file system: the user must act, the code cannot retry."""
    return e.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT)
