"""The one module that writes files: only inside its folder, only what changed."""

import os
from pathlib import Path

import pytest

from generator.writer import MANIFEST, Recycled, UnsafePath, write_tree


def test_write_tree_writes_keeps_and_removes(tmp_path: Path):
    root = tmp_path / "docs"
    first = write_tree(root, {"a.md": "one", "sub/b.md": "two", "sub/c.md": b"three"})
    assert (first.written, first.unchanged, first.removed) == (3, 0, 0)
    second = write_tree(root, {"a.md": "one", "sub/b.md": "changed"})
    assert (second.written, second.unchanged, second.removed) == (1, 1, 1)
    assert (root / "sub/b.md").read_text() == "changed" and not (root / "sub/c.md").exists()
    write_tree(root, {"a.md": "one"})
    assert not (root / "sub").exists()  # emptied folders go too


@pytest.mark.parametrize("name", ["../x.md", "/etc/x.md", "a/../../x.md", "", "a/.."])
def test_paths_that_are_not_plain_and_relative_are_refused(tmp_path: Path, name: str):
    with pytest.raises(UnsafePath):
        write_tree(tmp_path / "docs", {name: "x"})
    assert not (tmp_path / "x.md").exists()


def test_symlinked_folders_and_files_cannot_lead_outside(tmp_path: Path):
    root, outside = tmp_path / "docs", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "linked").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePath):
        write_tree(root, {"linked/x.md": "x"})
    (root / "file.md").symlink_to(outside / "target.md")
    with pytest.raises(UnsafePath):
        write_tree(root, {"file.md": "x"})
    assert list(outside.iterdir()) == []


def test_unchanged_files_are_known_by_the_manifest_without_reading_them(tmp_path, monkeypatch):
    files = {"a.md": "alpha", "sub/b.md": "beta"}
    assert write_tree(tmp_path, files).written == 2
    assert (tmp_path / MANIFEST).is_file()

    read = Path.read_bytes

    def no_reading(self):
        assert self.name == MANIFEST, f"read {self}"
        return read(self)

    with monkeypatch.context() as patched:
        patched.setattr(Path, "read_bytes", no_reading)
        stats = write_tree(tmp_path, files)
    assert (stats.written, stats.unchanged, stats.removed) == (0, 2, 0)
    assert (tmp_path / MANIFEST).is_file()  # kept, like .gitignore


def test_a_file_changed_behind_the_manifest_is_rewritten(tmp_path):
    files = {"a.md": "alpha"}
    write_tree(tmp_path, files)
    target = tmp_path / "a.md"
    target.write_text("edited")  # same size or not, its time or size no longer match
    os.utime(target, ns=(1, 1))
    assert write_tree(tmp_path, files).written == 1
    assert target.read_text() == "alpha"
    (tmp_path / MANIFEST).write_text("not json")  # a broken manifest: files are compared
    assert write_tree(tmp_path, files).written == 0


def test_scratch_folders_live_in_memory_when_there_is_room(tmp_path, monkeypatch):
    from generator import writer

    shm, fallback = tmp_path / "shm", tmp_path / "cache" / "records"
    shm.mkdir()
    dead = shm / f"{writer.SCRATCH_PREFIX}999999999-old"  # no such process
    alive = shm / f"{writer.SCRATCH_PREFIX}{os.getpid()}-mine"
    for folder in (dead, alive):
        (folder / "b0").mkdir(parents=True)
    monkeypatch.setattr(writer, "SCRATCH", shm)
    monkeypatch.setattr(writer, "_free_mb", lambda folder: 10_000.0)
    made = writer.scratch_folder(fallback)
    assert made.parent == shm and made.name.startswith(f"{writer.SCRATCH_PREFIX}{os.getpid()}-")
    assert not dead.exists() and alive.exists()  # a running build's folder is left alone
    assert list(made.iterdir()) == [] and not fallback.exists()
    writer.write_scratch(made / "b0", {"papers/a/index.html": "<p>a</p>"})
    assert (made / "b0/papers/a/index.html").read_text() == "<p>a</p>"
    with pytest.raises(UnsafePath):
        writer.write_scratch(made / "b1", {"../escape.html": "x"})
    # /dev/shm too small (a container's 64 MB): the fallback, emptied
    monkeypatch.setattr(writer, "_free_mb", lambda folder: 64.0)
    fallback.mkdir(parents=True)
    (fallback / "left-over").write_text("x")
    assert writer.scratch_folder(fallback) == fallback and list(fallback.iterdir()) == []


def test_copy_new_copies_a_folder_whole(tmp_path):
    from generator.writer import copy_new

    source = tmp_path / "index"
    (source / "fragment").mkdir(parents=True)
    (source / "pagefind-entry.json").write_bytes(b"{}")
    (source / "fragment" / "en_1.pf_fragment").write_bytes(b"\x1f\x8b data")
    copy_new(source, tmp_path / "copy")
    got = {
        p.relative_to(tmp_path / "copy").as_posix(): p.read_bytes()
        for p in (tmp_path / "copy").rglob("*")
        if p.is_file()
    }
    assert got == {"pagefind-entry.json": b"{}", "fragment/en_1.pf_fragment": b"\x1f\x8b data"}
    with pytest.raises(FileExistsError):  # never into an existing folder
        copy_new(source, tmp_path / "copy")


def files_and_folders(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() + "/" * p.is_dir() for p in root.rglob("*"))


def test_a_replaced_site_becomes_the_next_ones_empty_page_folders(tmp_path):
    old, target = tmp_path / "site.old", tmp_path / "site.partial"
    for name in ("papers/kept/index.html", "papers/gone/index.html", "papers/index.html"):
        (old / name).parent.mkdir(parents=True, exist_ok=True)
        (old / name).write_text("page")
    (old / "papers/kept/figure/a.png").parent.mkdir(parents=True)
    (old / "papers/kept/figure/a.png").write_bytes(b"png")
    (old / "assets/app.js").parent.mkdir(parents=True)
    (old / "assets/app.js").write_text("js")
    (old / "index.html").write_text("home")
    os.link(old / "papers/kept/index.html", tmp_path / "live.html")  # a page both sites share
    (target / "half").mkdir(parents=True)  # what a killed build left
    recycled = Recycled(old, target, "papers")
    assert recycled.ready({"kept", "new"}) == 1
    assert not old.exists()
    assert files_and_folders(target) == ["papers/", "papers/kept/"]
    assert (tmp_path / "live.html").read_text() == "page"  # unlinked there, not emptied


def test_with_no_replaced_site_the_next_one_starts_from_nothing(tmp_path):
    target = tmp_path / "site.partial"
    (target / "papers/x").mkdir(parents=True)
    (target / "papers/x/index.html").write_text("left by a killed build")
    recycled = Recycled(tmp_path / "site.old", target, "papers")
    assert recycled.ready({"x"}) == 0
    assert not target.exists()


def test_a_replaced_site_that_cannot_be_emptied_is_not_used(tmp_path, monkeypatch):
    old, target = tmp_path / "site.old", tmp_path / "site.partial"
    (old / "papers/a").mkdir(parents=True)
    (old / "papers/a/index.html").write_text("page")

    def refuse(path):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(os, "unlink", refuse)
    recycled = Recycled(old, target, "papers")
    recycled.join()
    monkeypatch.undo()
    assert recycled.ready({"a"}) == 0
    assert not target.exists()
