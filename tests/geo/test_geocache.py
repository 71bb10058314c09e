"""The geocoding cache file: round trip, appends that survive a crash, damaged files set aside."""

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reseau_map.geo.geocache import HEADER, GeoCache, GeocodeResult

FIXTURES = Path(__file__).parent.parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
STREET = "12 rue de la Paix, Rennes"
STREET_RESULT = GeocodeResult(48.1105, -1.6800, "adresse", "Bretagne", "nominatim")
GOOD = "rennes,48.1,-1.6,ville,Bretagne,gazetteer\n"


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


def test_cache_round_trip_is_atomic(tmp_path) -> None:
    path = tmp_path / "data" / "geocache.csv"
    cache = GeoCache.load(path)
    assert cache.get("Rennes") is None and cache.warning is None
    cache.save()
    assert not path.exists()  # nothing changed, nothing written
    cache.put("Saint-Étienne", GeocodeResult(45.43389, 4.39, "ville", None, "gazetteer"))
    cache.put(STREET, STREET_RESULT)
    cache.save()
    assert names(path.parent) == ["geocache.csv"]  # no temp file left
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header == "query,lat,lon,precision,region,origin"

    again = GeoCache.load(path)
    assert again.get("st etienne") == GeocodeResult(45.43389, 4.39, "ville", None, "cache")
    hit = again.get("12, rue de la Paix - Rennes")  # same normalised key
    assert (hit.lat, hit.lon, hit.precision, hit.region) == (48.1105, -1.68, "adresse", "Bretagne")
    before = path.stat().st_mtime_ns
    again.put(STREET, STREET_RESULT)  # the same value again is not a change
    again.save()
    assert path.stat().st_mtime_ns == before


def test_append_mode_writes_each_answer_at_once(tmp_path) -> None:
    path = tmp_path / "geocache.csv"
    cache = GeoCache.load(path, append=True)
    cache.put(STREET, STREET_RESULT)
    line = "12 rue de la paix rennes,48.1105,-1.68,adresse,Bretagne,nominatim\n"
    assert path.read_text(encoding="utf-8") == HEADER + line
    cache.save()  # nothing left to write
    assert GeoCache.load(path).get(STREET).lat == 48.1105


def test_a_run_killed_mid_way_keeps_the_answers_already_paid_for(tmp_path) -> None:
    path = tmp_path / "geocache.csv"
    code = f"""
        import time
        from reseau_map.geo.geocache import GeoCache, GeocodeResult
        cache = GeoCache.load({str(path)!r}, append=True)
        for n, city in enumerate(["Rennes", "Nantes", "Brest"]):
            cache.put(city, GeocodeResult(47.0 + n, -1.5, "ville", None, "ban"))
        print("ready", flush=True)
        time.sleep(60)
        cache.save()
    """
    with subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, stdout=subprocess.PIPE,
                          text=True) as proc:  # closes its pipe
        assert proc.stdout.readline().strip() == "ready"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    resumed = GeoCache.load(path, append=True)
    assert [resumed.get(c).lat for c in ("Rennes", "Nantes", "Brest")] == [47.0, 48.0, 49.0]
    assert resumed.warning is None


def test_two_runs_sharing_the_file_lose_nothing(tmp_path) -> None:
    path = tmp_path / "geocache.csv"
    first, second = GeoCache.load(path, append=True), GeoCache.load(path, append=True)
    first.put("Rennes", GeocodeResult(48.1, -1.6, "ville", None, "ban"))
    second.put("Nantes", GeocodeResult(47.2, -1.5, "ville", None, "ban"))
    memory_only = GeoCache.load(path)  # the old way: in memory until save()
    memory_only.put("Brest", GeocodeResult(48.4, -4.5, "ville", None, "ban"))
    first.put("Toulon", GeocodeResult(43.1, 5.9, "ville", None, "ban"))
    memory_only.save()  # merges what the others appended meanwhile
    both = GeoCache.load(path)
    assert sorted(both._entries) == ["brest", "nantes", "rennes", "toulon"]


def test_a_line_cut_by_a_crash_is_ignored_and_the_next_append_starts_clean(tmp_path) -> None:
    path = tmp_path / "geocache.csv"
    # The cut line still parses ("gaz" as origin, 2.3 as longitude): it must be dropped all the same.
    path.write_text(HEADER + GOOD + "paris,48.85,2.3,ville,,gaz", encoding="utf-8")
    cache = GeoCache.load(path, append=True)
    assert cache.warning is None and len(cache) == 1 and cache.get("Paris") is None
    cache.put("Lyon", GeocodeResult(45.76, 4.83, "ville", None, "ban"))
    again = GeoCache.load(path)
    assert sorted(again._entries) == ["lyon", "rennes"] and again.warning is None


def test_a_cut_header_is_an_empty_cache_rebuilt_on_first_put(tmp_path) -> None:
    path = tmp_path / "geocache.csv"
    path.write_text("query,la", encoding="utf-8")
    cache = GeoCache.load(path, append=True)
    assert len(cache) == 0 and cache.warning is None
    cache.put("Lyon", GeocodeResult(45.76, 4.83, "ville", None, "ban"))
    assert path.read_text(encoding="utf-8").startswith(HEADER)


@pytest.mark.parametrize(("content", "reason"), [
    (b"\x00\x00\x01\x02binary\x00\n", "octets nuls"),
    (HEADER.encode() + b"rennes,48.1,-1.6,ville,Bretagne,\xff\n", "pas du texte UTF-8"),
    ("Ville;Latitude;Longitude\r\nRennes;48,1;-1,6\r\n".encode("cp1252"), "en-tête « Ville;Latitude;Longitude »"),
    (b"query,lat,lon\nrennes,48.1,-1.6\n", "en-tête « query,lat,lon »"),  # columns missing
])
def test_a_damaged_cache_is_set_aside_with_a_french_warning(tmp_path, content, reason) -> None:
    path = tmp_path / "geocache.csv"
    path.write_bytes(content)
    cache = GeoCache.load(path, append=True)
    assert len(cache) == 0
    assert reason in cache.warning
    assert "mis de côté sous « geocache.csv.damaged-20" in cache.warning
    (aside,) = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert aside.read_bytes() == content and not path.exists()
    cache.put("Rennes", GeocodeResult(48.1, -1.6, "ville", None, "ban"))  # rebuilt
    assert GeoCache.load(path).get("Rennes").lat == 48.1


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf" + HEADER.encode() + GOOD.encode(), HEADER.encode()])
def test_empty_header_only_and_bom_files_are_fine(tmp_path, content) -> None:
    path = tmp_path / "geocache.csv"
    path.write_bytes(content)
    cache = GeoCache.load(path)
    assert cache.warning is None and len(cache) == (1 if GOOD.encode() in content else 0)


def test_invalid_rows_are_skipped_and_counted(tmp_path) -> None:
    path = tmp_path / "geocache.csv"
    bad = (FIXTURES / "geo_cache_corrupt.csv").read_text(encoding="utf-8").splitlines()[1]  # "quarante-huit"
    rows = [GOOD, bad + "\n", "nantes,148.1,-1.6,ville,,gazetteer\n", "brest,nan,-4.5,ville,,ban\n",
            "lyon,45.7,4.8,rue,,ban\n", "toulon,43.1\n"]
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    read_only = GeoCache.load(path)
    assert len(read_only) == 1 and read_only.get("Rennes").lat == 48.1
    assert read_only.warning == (f"Cache de géocodage « {path} » : 5 ligne(s) invalide(s) ignorée(s) "
                                 "(ligne 3, 4, 5, 6, 7).")
    assert path.read_text(encoding="utf-8") == HEADER + "".join(rows)  # reading does not write
    writer = GeoCache.load(path, append=True)  # a writer tidies the file, keeping a backup
    assert writer.warning.endswith("Elles sont retirées du fichier (copie de l'ancien en .bak).")
    assert path.read_text(encoding="utf-8") == HEADER + GOOD
    assert GeoCache.load(path).warning is None


def test_compact_sets_a_file_damaged_meanwhile_aside(tmp_path) -> None:
    path = tmp_path / "geocache.csv"
    cache = GeoCache.load(path)
    cache.put("Rennes", GeocodeResult(48.1, -1.6, "ville", None, "ban"))
    path.write_bytes(b"\x00garbage")  # damaged between load and save
    cache.save()
    assert GeoCache.load(path).get("Rennes").lat == 48.1
    assert [p.read_bytes() for p in tmp_path.glob("geocache.csv.damaged-*")] == [b"\x00garbage"]


def test_two_processes_appending_while_a_third_compacts_lose_nothing(tmp_path) -> None:
    path = tmp_path / "geocache.csv"
    code = f"""
        import sys
        from reseau_map.geo.geocache import GeoCache, GeocodeResult
        cache = GeoCache.load({str(path)!r}, append=True)
        for n in range(40):
            cache.put(f"{{sys.argv[1]}} {{n}}", GeocodeResult(45.0, 1.0 + n / 100, "ville", None, "ban"))
    """
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), who], cwd=ROOT)
             for who in ("alpha", "beta")]
    compactor = GeoCache.load(path)
    while any(p.poll() is None for p in procs):
        compactor.compact()  # rewrites under the lock, merging what the others appended
    assert all(p.returncode == 0 for p in procs)
    final = GeoCache.load(path)
    assert final.warning is None and len(final) == 80


def test_compact_keeps_a_newer_answer_another_run_appended(tmp_path) -> None:
    path = tmp_path / "geocache.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    slow = GeoCache.load(path)  # loaded the old Rennes
    other = GeoCache.load(path, append=True)
    other.put("Rennes", GeocodeResult(48.11, -1.68, "adresse", None, "ban"))  # a better answer
    slow.put("Brest", GeocodeResult(48.4, -4.5, "ville", None, "ban"))
    slow.save()
    final = GeoCache.load(path)
    assert final.get("Rennes").origin == "cache" and final.get("Rennes").lat == 48.11
    assert final.get("Brest").lat == 48.4
