"""The one module that writes files (MkDocs writes the site's pages): atomically, never
outside their folder. The built site is swapped in whole, so a failed build leaves the
previous one intact; Pagefind's cached indexes are linked into it."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from fnmatch import fnmatchcase
from pathlib import Path
from typing import BinaryIO

SCRATCH = Path("/dev/shm")  # memory-backed on Linux
SCRATCH_PREFIX = "paper-catalogue-"
SCRATCH_FREE_MB = 512  # room /dev/shm must keep beyond what is written there


class UnsafePath(ValueError):
    """A page path that would land outside the output folder."""


log = logging.getLogger("mkdocs.plugins.catalogue")


def _plain_parts(relative: str) -> list[str]:
    """The parts of a plain relative POSIX path; UnsafePath for anything else."""
    parts = relative.split("/")
    if relative.startswith("/") or any(p in ("..", "", ".") for p in parts):
        raise UnsafePath(f"refusing to write {relative!r}: not a plain relative path")
    return parts


def safe_target(root: Path, relative: str) -> Path:
    """`root / relative`, refusing absolute paths, `..`, and anything resolving outside."""
    target = root.joinpath(*_plain_parts(relative))
    if not target.resolve().is_relative_to(root.resolve()):
        raise UnsafePath(f"refusing to write {relative!r}: outside {root}")
    return target


FILE_MODE = 0o644  # what a site's files must be for a web server: mkstemp makes 0o600


@contextmanager
def _replacing(path: Path) -> Iterator[BinaryIO]:
    """A new file beside `path` that replaces it when the block succeeds; else deleted."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            os.fchmod(handle.fileno(), FILE_MODE)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    with _replacing(path) as handle:
        handle.write(data)


def scratch_folder(fallback: Path, needed_mb: int = 0) -> Path:
    """A fresh, empty folder for `needed_mb` of files another program reads once (Pagefind's
    records): in /dev/shm where it has room, since creating a file on disk costs far more
    (0.15 to 0.45 ms of system time each, against 0.01 ms), else `fallback`, emptied.
    Folders left in /dev/shm by builds no longer running are deleted first; the caller
    deletes its own. A small /dev/shm (containers often get 64 MB) is left alone."""
    room = (SCRATCH_FREE_MB + needed_mb) << 20
    if os.access(SCRATCH, os.W_OK) and shutil.disk_usage(SCRATCH).free >= room:
        for old in SCRATCH.glob(SCRATCH_PREFIX + "*"):
            pid = old.name[len(SCRATCH_PREFIX) :].split("-", 1)[0]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():  # a build not running
                shutil.rmtree(old, ignore_errors=True)
        return Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=SCRATCH))
    remove(fallback)
    fallback.mkdir(parents=True)
    return fallback


def write_scratch(root: Path, files: Mapping[str, str]) -> None:
    """Write `files` into `root`, made afresh: inputs another program reads once, which
    need no atomic writes. Paths are checked as `safe_target` does; in a folder just made
    there is no link to follow, and each file is created exclusively (`O_EXCL`)."""
    remove(root)
    root.mkdir(parents=True)
    for relative in sorted(files):
        parts = _plain_parts(relative)
        folder = os.path.join(root, *parts[:-1])
        os.makedirs(folder, exist_ok=True)  # a paper's record is alone in its folder
        with open(os.path.join(folder, parts[-1]), "xb") as handle:  # x: O_EXCL
            handle.write(files[relative].encode("utf-8"))


def swap_in(new: Path, target: Path) -> None:
    """Replace the folder `target` with `new` in two renames; the replaced folder is then
    deleted. What cannot be deleted (a file its owner protects) is moved aside, named in
    a warning, and never blocks a later build."""
    old = target.with_name(target.name + ".old")
    _clear(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    _clear(old)


def _clear(old: Path) -> None:
    shutil.rmtree(old, ignore_errors=True)
    if old.exists():
        n = 1
        while (aside := old.with_name(f"{old.name}-{n}")).exists():
            n += 1
        os.replace(old, aside)
        log.warning("%s could not be deleted; it was moved to %s: delete it by hand.", old, aside)


def write_zip(target: Path, folder: Path, prefix: str) -> None:
    """Zip every file under `folder` as `prefix/...` into `target`, atomically. Entries
    are sorted and carry a fixed timestamp and mode: the same folder gives the same bytes."""
    files = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    with _replacing(target) as handle, zipfile.ZipFile(handle, "w") as archive:
        for relative in sorted(files):
            info = zipfile.ZipInfo(f"{prefix}/{relative}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = FILE_MODE << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[relative].read_bytes())


def recover(target: Path) -> None:
    """Undo a swap that was killed between its two renames: put the previous site back."""
    old = target.with_name(target.name + ".old")
    if old.is_dir() and not target.exists():
        os.replace(old, target)


def json_object(path: Path) -> dict:
    """The JSON object in the file `path` (a manifest written here), or {} when it cannot be
    read or is not one."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def remove(path: Path) -> None:
    """Delete a generated file or folder if present."""
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def link_tree(source: Path, target: Path, names: Iterable[str] = ("*",)) -> None:
    """Put the files of `source` whose top-level name matches one of `names` (globs) at
    the same places under `target`: hard links where the file system allows, else copies."""

    def unchosen(folder: str, found: list[str]) -> list[str]:
        if folder != os.fspath(source):
            return []
        return [name for name in found if not any(fnmatchcase(name, p) for p in names)]

    shutil.copytree(source, target, ignore=unchosen, copy_function=place, dirs_exist_ok=True)


def place(path: str | Path, placed: str | Path) -> None:
    """`placed` as a hard link to `path` where the file system allows, else a copy."""
    try:
        os.link(path, placed)
    except OSError:
        shutil.copy2(path, placed)


def write_files(root: Path, files: Sequence[tuple[str, str | bytes]]) -> int:
    """Write `files` (relative path, content) under `root`; how many were written."""
    root.mkdir(parents=True, exist_ok=True)
    for relative, content in files:
        data = content.encode("utf-8") if isinstance(content, str) else content
        write_atomic(safe_target(root, relative), data)
    return len(files)
