"""Served files: written once under their content's hash, addressed from the map's frame."""

import os
import time

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
