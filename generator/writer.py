"""The one module that writes files.

Pages are written atomically (temporary file, then rename), only when their bytes
changed, and never outside the output folder. Files a previous run wrote that the
new run does not produce are removed, so a paper that left the input leaves the site.
The built site is swapped in whole, so a failed build leaves the previous one intact.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

KEEP = frozenset({".gitignore"})


class UnsafePath(ValueError):
    """A page path that would land outside the output folder."""


@dataclass(frozen=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def safe_target(root: Path, relative: str, inside: dict[Path, bool] | None = None) -> Path:
    """`root / relative`, refusing absolute paths, `..`, and anything resolving outside.

    `inside` caches which folders resolve inside `root`: resolving a path costs a system
    call per component, and tens of thousands of pages share a few folders."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or not pure.parts or any(p in ("..", "", ".") for p in pure.parts):
        raise UnsafePath(f"refusing to write {relative!r}: not a plain relative path")
    target = root.joinpath(*pure.parts)
    inside = inside if inside is not None else {}
    folder = target.parent
    if folder not in inside:
        inside[folder] = folder.resolve().is_relative_to(root.resolve())
    escapes = not inside[folder] or (
        target.is_symlink() and not target.resolve().is_relative_to(root.resolve())
    )
    if escapes:
        raise UnsafePath(f"refusing to write {relative!r}: outside {root}")
    return target


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_tree(
    root: Path, files: dict[str, str | bytes], current: Iterable[str] = ()
) -> WriteStats:
    """Make `root` hold exactly `files` (plus KEEP), touching only what changed. Files in
    `current` are already as they should be: kept as they are, not even read."""
    root.mkdir(parents=True, exist_ok=True)
    inside: dict[Path, bool] = {}
    wanted: set[Path] = {safe_target(root, relative, inside) for relative in current}
    kept = len(wanted)
    written = unchanged = 0
    for relative in sorted(files):
        content = files[relative]
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = safe_target(root, relative, inside)
        wanted.add(target)
        if target.is_file() and target.read_bytes() == data:
            unchanged += 1
            continue
        write_atomic(target, data)
        written += 1
    removed = 0
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted and path.name not in KEEP:
            path.unlink()
            removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return WriteStats(written, unchanged + kept, removed)


def swap_in(new: Path, target: Path) -> None:
    """Replace the folder `target` with `new` in two renames; the old one is deleted after."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    if old.exists():
        shutil.rmtree(old)


def write_zip(target: Path, folder: Path, prefix: str) -> None:
    """Zip every file under `folder` as `prefix/...` into `target`, atomically.

    Entries are sorted and carry a fixed timestamp and mode, so the same folder gives the
    same bytes.
    """
    import zipfile

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".zip")
    os.close(fd)
    try:
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
            files = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
            for relative in sorted(files):
                path, name = files[relative], f"{prefix}/{relative}"
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def recover(target: Path) -> None:
    """Undo a swap that was killed between its two renames: put the previous site back."""
    old = target.with_name(target.name + ".old")
    if old.is_dir() and not target.exists():
        os.replace(old, target)


def remove(path: Path) -> None:
    """Delete a generated file or folder if present."""
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
