"""The one module that writes files: only inside its folder, only what changed."""

import os
from pathlib import Path

import pytest

from generator.writer import MANIFEST, UnsafePath, apply, link_tree, write_tree


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


def put(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_a_site_updated_in_place_holds_exactly_the_new_files_and_the_kept_ones(tmp_path):
    site, new, trash = tmp_path / "site", tmp_path / "new", tmp_path / "trash"
    put(
        site,
        {
            "404.html": "kept at the top",
            "index.html": "old home",
            "papers/kept/index.html": "kept page",
            "papers/changed/index.html": "old page",
            "papers/gone/index.html": "gone page",
            "papers/gone/figure.png": "gone figure",
            "papers/index.html": "old list",
            "pagefind/old.pf_meta": "old index",
            "assets/old.js": "old script",
            "stale.txt": "stale",
        },
    )
    put(
        new,
        {
            "index.html": "home",
            "papers/changed/index.html": "new page",
            "papers/added/index.html": "added page",
            "papers/index.html": "list",
            "pagefind/new.pf_meta": "index",
            "assets/app.js": "script",
            "tags/x/index.html": "tag",
        },
    )
    kept_inode = (site / "papers/kept/index.html").stat().st_ino
    added_folder = (new / "papers/added").stat().st_ino
    removed = apply(new, site, ["papers/kept/index.html", "404.html"], trash)
    assert files_and_folders(site) == [
        "404.html",
        "assets/",
        "assets/app.js",
        "index.html",
        "pagefind/",
        "pagefind/new.pf_meta",
        "papers/",
        "papers/added/",
        "papers/added/index.html",
        "papers/changed/",
        "papers/changed/index.html",
        "papers/index.html",
        "papers/kept/",
        "papers/kept/index.html",
        "tags/",
        "tags/x/",
        "tags/x/index.html",
    ]
    assert (site / "papers/changed/index.html").read_text() == "new page"
    assert (site / "papers/kept/index.html").stat().st_ino == kept_inode  # left alone
    assert (site / "papers/added").stat().st_ino == added_folder  # moved, not made
    assert removed == 3  # the two files of papers/gone, and stale.txt
    assert not new.exists()
    assert sorted(p.name for p in trash.iterdir()) == [
        "assets.0",
        "changed.0",
        "pagefind.0",
        "stale.txt.0",
    ]  # replaced whole


def test_updating_in_place_replaces_a_folder_by_a_file_and_back(tmp_path):
    site, new, trash = tmp_path / "site", tmp_path / "new", tmp_path / "trash"
    put(site, {"papers/kept/index.html": "k", "papers/a/index.html": "a", "papers/b": "b"})
    put(new, {"papers/a": "a is a file now", "papers/b/index.html": "b is a page now"})
    apply(new, site, ["papers/kept/index.html"], trash)
    assert files_and_folders(site / "papers") == [
        "a",
        "b/",
        "b/index.html",
        "kept/",
        "kept/index.html",
    ]
    assert (site / "papers/a").read_text() == "a is a file now"


def test_with_no_site_yet_the_new_one_becomes_it(tmp_path):
    site, new = tmp_path / "site", tmp_path / "new"
    put(new, {"index.html": "home"})
    assert apply(new, site, [], tmp_path / "trash") == 0
    assert files_and_folders(site) == ["index.html"]


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
