"""Served files: written once under their content's hash, addressed from the map's frame."""

import hashlib
import os
import stat
import tempfile
import time
from pathlib import Path

from reseau_map.maps import served as served_module
from reseau_map.maps.served import Served


def test_a_file_is_written_once_under_its_hash(tmp_path):
    files = Served(tmp_path / "web")
    url = files.put(b"var a = 1;", "lib", ".js")
    assert url.startswith("../reseau_map.maps.served.files/lib-") and url.endswith(".js")
    path = files.path_of(url)
    assert path.read_bytes() == b"var a = 1;"
    os.utime(path, (1, 1))
    assert files.put(b"var a = 1;", "lib", ".js") == url  # same content, same address
    assert path.stat().st_mtime > 1  # touched: in use, not stale
    assert files.put(b"var a = 2;", "lib", ".js") != url


def test_only_our_own_addresses_lead_to_files(tmp_path):
    files = Served(tmp_path)
    assert files.path_of("../other.component/lib-1.js") is None
    assert files.path_of(files.url("../../etc/passwd")) is None
    assert files.path_of("https://cdn.example/leaflet.js") is None


def test_an_unwritable_folder_says_none(tmp_path):
    (tmp_path / "file").write_text("")
    assert Served(tmp_path / "file" / "web").put(b"x", "lib", ".js") is None


def test_stale_files_are_pruned_by_prefix(tmp_path):
    files = Served(tmp_path)
    old = files.path_of(files.put(b"old", "places", ".js"))
    new = files.path_of(files.put(b"new", "places", ".js"))
    lib = files.path_of(files.put(b"lib", "lib", ".js"))
    os.utime(old, (1, 1))
    os.utime(lib, (1, 1))
    assert files.prune("places-", days=30, now=time.time()) == 1
    assert not old.exists() and new.exists() and lib.exists()


# Issue 22, item 6: a file planted in a shared temporary folder was served to every visitor.
def test_a_planted_file_with_the_right_name_and_size_is_replaced(tmp_path):
    files = Served(tmp_path / "web")
    url = files.put(b"var a = 1;", "lib", ".js")
    path = files.path_of(url)
    path.write_bytes(b"alert(1);!")  # same size, other bytes
    assert files.put(b"var a = 1;", "lib", ".js") == url
    assert path.read_bytes() == b"var a = 1;"


def test_a_planted_symlink_is_replaced_not_followed(tmp_path):
    outside = tmp_path / "outside.js"
    outside.write_bytes(b"keep me")
    files = Served(tmp_path / "web")
    assert files.put(b"x", "lib", ".js") is not None  # the folder exists now
    target = files.folder / f"lib-{hashlib.sha256(b'var b;').hexdigest()[:16]}.js"
    target.symlink_to(outside)
    assert files.put(b"var b;", "lib", ".js") is not None
    assert not target.is_symlink() and target.read_bytes() == b"var b;" and outside.read_bytes() == b"keep me"


def test_the_folder_is_made_private_and_one_owned_by_someone_else_is_refused(tmp_path):
    files = Served(tmp_path / "web")
    assert files.put(b"x", "lib", ".js") is not None
    assert stat.S_IMODE(files.folder.stat().st_mode) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o777)
    os.chmod(loose, 0o777)
    assert Served(loose).put(b"x", "lib", ".js") is not None and stat.S_IMODE(loose.stat().st_mode) == 0o700
    if os.geteuid() == 0:  # root can give a folder away: another user's folder is never served from
        theirs = tmp_path / "theirs"
        theirs.mkdir()
        os.chown(theirs, 65534, 65534)
        assert Served(theirs).put(b"x", "lib", ".js") is None
    linked = tmp_path / "linked"
    linked.symlink_to(tmp_path / "web")
    assert Served(linked).put(b"y", "lib", ".js") is None


def test_without_a_cache_folder_the_files_go_to_a_private_folder_never_a_shared_one(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("")
    monkeypatch.delenv(served_module.ENV_DIR, raising=False)
    monkeypatch.setattr(served_module, "USER_CACHE_DIR", tmp_path / "file" / "cache")  # cannot be created
    served_module._private_folder.cache_clear()
    try:
        folder = served_module.default_folder()
        assert folder != Path(tempfile.gettempdir()) / f"reseau-map-web-{os.getuid()}"
        assert folder.name.startswith("reseau-map-web-") and stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert served_module.default_folder() == folder  # one per process
    finally:
        served_module._private_folder.cache_clear()
