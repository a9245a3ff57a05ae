"""The one module that writes files: only inside its folder, whole files only."""

import os
import shutil
from pathlib import Path

import pytest

from generator.site.writer import UnsafePath, link_tree, write_files


def test_write_files_writes_text_and_bytes_and_counts_them(tmp_path: Path):
    root = tmp_path / "out"
    files = [("a.md", "one \u00e9"), ("sub/b.md", "two"), ("sub/deep/c.bin", b"\x00three")]
    assert write_files(root, files) == 3
    assert (root / "a.md").read_bytes() == "one \u00e9".encode()
    assert (root / "sub/b.md").read_text() == "two"
    assert (root / "sub/deep/c.bin").read_bytes() == b"\x00three"
    assert write_files(root, [("a.md", "changed")]) == 1  # overwritten, the rest left alone
    assert (root / "a.md").read_text() == "changed" and (root / "sub/b.md").is_file()
    assert sorted(p.name for p in root.rglob(".tmp-*")) == []  # no temporary file left
    assert (root / "a.md").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("name", ["../x.md", "/etc/x.md", "a/../../x.md", "", "a/..", "./x.md"])
def test_paths_that_are_not_plain_and_relative_are_refused(tmp_path: Path, name: str):
    with pytest.raises(UnsafePath):
        write_files(tmp_path / "docs", [(name, "x")])
    assert not (tmp_path / "x.md").exists()


def test_symlinked_folders_and_files_cannot_lead_outside(tmp_path: Path):
    root, outside = tmp_path / "docs", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "linked").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePath):
        write_files(root, [("linked/x.md", "x")])
    (root / "file.md").symlink_to(outside / "target.md")
    with pytest.raises(UnsafePath):
        write_files(root, [("file.md", "x")])
    assert list(outside.iterdir()) == []


def test_scratch_folders_live_in_memory_when_there_is_room(tmp_path, monkeypatch):
    from generator.site import writer

    shm, fallback = tmp_path / "shm", tmp_path / "cache" / "records"
    shm.mkdir()
    dead = shm / f"{writer.SCRATCH_PREFIX}999999999-old"  # no such process
    alive = shm / f"{writer.SCRATCH_PREFIX}{os.getpid()}-mine"
    for folder in (dead, alive):
        (folder / "b0").mkdir(parents=True)
    monkeypatch.setattr(writer, "SCRATCH", shm)
    made = writer.scratch_folder(fallback)
    assert made.parent == shm and made.name.startswith(f"{writer.SCRATCH_PREFIX}{os.getpid()}-")
    assert not dead.exists() and alive.exists()  # a running build's folder is left alone
    assert list(made.iterdir()) == [] and not fallback.exists()
    writer.write_scratch(made / "b0", {"papers/a/index.html": "<p>a</p>"})
    assert (made / "b0/papers/a/index.html").read_text() == "<p>a</p>"
    with pytest.raises(UnsafePath):
        writer.write_scratch(made / "b1", {"../escape.html": "x"})
    # /dev/shm too small for what is to be written (a container's 64 MB): the fallback, emptied
    free_mb = shutil.disk_usage(shm).free >> 20
    fallback.mkdir(parents=True)
    (fallback / "left-over").write_text("x")
    made = writer.scratch_folder(fallback, free_mb - writer.SCRATCH_FREE_MB + 1)
    assert made == fallback and list(fallback.iterdir()) == []


def test_link_tree_links_the_chosen_top_level_names_at_any_depth(tmp_path):
    source, target = tmp_path / "index", tmp_path / "site/pagefind"
    for name in ("entry.json", "a.pf_meta", "other.js", "fragment/x.pf", "fragment/deep/y.pf"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(name)
    (source / "skipped/z.pf").parent.mkdir()
    (source / "skipped/z.pf").write_text("z")
    link_tree(source, target, ("entry.json", "*.pf_meta", "fragment"))
    found = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert found == ["a.pf_meta", "entry.json", "fragment/deep/y.pf", "fragment/x.pf"]
    assert (target / "fragment/deep/y.pf").read_text() == "fragment/deep/y.pf"
    assert os.path.samefile(target / "fragment/x.pf", source / "fragment/x.pf")  # a link
    link_tree(source, tmp_path / "all")  # every name by default
    assert (tmp_path / "all/skipped/z.pf").is_file() and (tmp_path / "all/other.js").is_file()


def test_an_old_site_that_cannot_be_deleted_is_moved_aside_and_blocks_nothing(
    tmp_path, monkeypatch, caplog
):
    from generator.site import writer

    site = tmp_path / "site"
    site.mkdir()
    (site / "stuck.html").write_text("old")
    monkeypatch.setattr(writer.shutil, "rmtree", lambda path, ignore_errors=False: None)
    for round_ in ("one", "two"):
        new = tmp_path / "site.partial"
        new.mkdir()
        (new / "index.html").write_text(round_)
        writer.swap_in(new, site)
        assert (site / "index.html").read_text() == round_
    assert (tmp_path / "site.old-1" / "stuck.html").read_text() == "old"
    assert (tmp_path / "site.old-2" / "index.html").read_text() == "one"
    assert "could not be deleted; it was moved to" in caplog.text
