"""`publish`: the static files, an HTML page with no external resource, drawn offline in Chromium."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from reseau_map import cli
from reseau_map.contrib.proposal import Proposal
from reseau_map.contrib.publish import FILES, credit_of, publish
from reseau_map.contrib.store import open_store, with_accepted
from reseau_map.domain.catalogue import build_catalogue
from reseau_map.files.network import load_network
from reseau_map.files.places import places_path, read_bytes
from reseau_map.geo.regions import load_outlines

HOSTILE = "<img src=x onerror=alert(1)> Lieu"
SECRET_EMAIL = "prive@example.org"
WEBSITE = "https://forge.example.org/?a=1&b=2"
# The optional online basemaps (tiles and their attribution links) are the only other URLs.
BASEMAP_URLS = ("https://tile.openstreetmap.org/", "https://{s}.basemaps.cartocdn.com/",
                "https://www.openstreetmap.org/copyright", "https://carto.com/attributions")
URL = re.compile(r"https?://[^\s\"'<>)\\]+")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pub")
    store = open_store(f"sqlite:///{folder / 'reseau.sqlite'}")
    store.submit(Proposal(name=HOSTILE, type="lieu_associe", status="ouvert", city="Brest", lat=48.39,
                          lon=-4.486, precision="ville", website=WEBSITE, contact_email=SECRET_EMAIL,
                          source_text="Le site du lieu </td><script>alert(2)</script>"))
    store.submit(Proposal(name="Refusé", type="autre", city="Rennes", lat=48.11, lon=-1.68))
    first, second = store.pending()
    store.accept(first.id, "Camille")
    store.refuse(second.id, "Camille", "non")
    df = with_accepted(build_catalogue(read_bytes(places_path())).places, store)
    out = folder / "site"
    publish(out, df, load_outlines(), load_network(), date(2026, 11, 30))
    return out, df


def test_every_file_is_written(published):
    out, df = published
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    csv = pd.read_csv(out / "places.csv", dtype=str, keep_default_na=False)
    assert HOSTILE in csv["name"].tolist() and "Refusé" not in csv["name"].tolist()
    assert len(csv) == len(df)
    geo = json.loads((out / "places.geojson").read_text(encoding="utf-8"))
    assert len(geo["features"]) == df.dropna(subset=["lat", "lon"]).shape[0]
    readme = (out / "LISEZMOI.txt").read_text(encoding="utf-8")
    for fragment in ("Publié le 30 novembre 2026", "Bruno Martin", "GeoNames", "CC BY 4.0",
                     "dont 1 proposé par le lieu"):
        assert fragment in readme
    for path in out.iterdir():
        assert SECRET_EMAIL not in text_of(path)


def text_of(path) -> str:
    """A published file's text (a workbook's cells, one after the other)."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        return " ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row)
    return path.read_text(encoding="utf-8-sig")


def test_every_data_file_carries_the_credit_and_the_readme_says_what_is_in_the_folder(published):
    out, df = published
    credit = credit_of(load_network())
    assert credit.text in text_of(out / "places.csv") and credit.text in text_of(out / "lieux-excel.csv")
    assert json.loads((out / "places.geojson").read_text(encoding="utf-8"))["credit"] == credit.text
    book = openpyxl.load_workbook(out / "lieux.xlsx")
    assert book["Lieux"].freeze_panes == "A2" and book["Lieux"].max_row == len(df) + 1
    assert [r[0] for r in book["Crédit et licence"].iter_rows(values_only=True)][1:len(credit.lines) + 1] \
        == list(credit.lines)
    excel = (out / "lieux-excel.csv").read_bytes()
    assert excel.startswith(b"\xef\xbb\xbf")
    assert excel.decode("utf-8-sig").split("\r\n")[0].startswith("Identifiant;Nom;")
    readme = (out / "LISEZMOI.txt").read_text(encoding="utf-8")
    for name in FILES:
        assert f"\n{name} " in readme, name  # each file named at the start of its line, and what it holds
    located = df.dropna(subset=["lat", "lon"]).shape[0]
    assert f"{len(df)} lieux ({located} placés sur la carte)" in readme
    assert all(f"- {line}" in readme for line in credit.lines)


def test_the_html_escapes_text_and_loads_nothing_from_outside(published):
    out, df = published
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page and "<script>alert(2)" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; Lieu" in page
    assert re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?https?:", page) is None
    # The places' own links, as a link (&amp;) or in the map's JSON (\u0026, read back as &).
    websites = {v for w in df["website"] if w for v in (w, w.replace("&", "&amp;"))}
    cited = load_network().source["url"]  # the credits say the source they cite, as text
    # The Content-Security-Policy names the tile hosts the page may load from; it loads nothing itself.
    page, policies = re.subn(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">', "", page)
    assert policies == 1
    for url in set(URL.findall(page.replace("\\u0026", "&"))):
        assert url.startswith(BASEMAP_URLS) or url in websites or url == cited, url
    assert f'href="{cited}"' not in page
    assert f'href="{WEBSITE.replace("&", "&amp;")}"' in page
    assert 'id="rm-q"' in page and "<b>1</b> proposé et accepté" in page


def test_the_command_writes_the_folder_with_the_accepted_places(tmp_path, monkeypatch, capsys):
    store = open_store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store.submit(Proposal(name="La Forge", type="cantine", city="Brest", lat=48.39, lon=-4.486))
    store.accept(store.pending()[0].id, "Camille")
    monkeypatch.setenv("RESEAU_MAP_DB", str(tmp_path / "db.sqlite"))
    assert cli.main(["publish", str(tmp_path / "site")]) == 0
    assert "lieux publiés" in capsys.readouterr().out
    assert "La Forge" in (tmp_path / "site" / "places.csv").read_text(encoding="utf-8-sig")


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")
def test_the_page_draws_offline_and_filters_in_chromium(published):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    out, df = published
    located = df.dropna(subset=["lat", "lon"]).shape[0]
    outside: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()

        def block(route):  # offline: every request but the file itself fails
            if not route.request.url.startswith("file:"):
                outside.append(route.request.url)
                return route.abort()
            return route.continue_()

        page.route("**/*", block)
        page.goto((out / "index.html").as_uri())
        page.wait_for_function("() => typeof L !== 'undefined' && !!document.querySelector('.leaflet-container')")
        circles = page.evaluate("""() => { let n = 0; const m = Object.values(window).find(
            v => v && v instanceof L.Map);  // places close together are in clusters: count what they hold
            m.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) n += l.getLayers().length; });
            return n; }""")
        total = page.locator("#rm-count").text_content()
        page.fill("#rm-q", "onerror")
        filtered = page.locator("#rm-count").text_content()
        browser.close()
    assert circles == located
    assert total == f"{len(df)} lieux affichés" and filtered == "1 lieu affiché"
    assert all("tile" in u or "basemaps" in u for u in outside), outside


def test_a_partner_site_speaks_its_vocabulary_and_keeps_its_mails(tmp_path):
    # A file of its own categories, a Public facet and a Courriel column (tests/fixtures/vocabulary/).
    from pathlib import Path

    data = (Path(__file__).parent.parent / "fixtures" / "vocabulary" / "six_categories.csv").read_bytes()
    cat = build_catalogue(data, filename="six_categories.csv")
    done = publish(tmp_path / "site", cat.places, load_outlines(), None, date(2026, 11, 30), cat.vocabulary,
                   cat.fields)
    page = (done.folder / "index.html").read_text(encoding="utf-8")
    assert 'data-facet="public"' in page and "Jeunes (6)" in page and 'data-facet-public="jeunes"' in page
    assert "<b>5</b> fablabs" in page and "Espace public numérique" in page
    csv = pd.read_csv(done.folder / "places.csv", dtype=str, keep_default_na=False)
    assert {"type", "type_id", "Public", "Horaires"} <= set(csv.columns) and "Courriel" not in csv.columns
    for name in FILES:
        assert "@example.org" not in text_of(done.folder / name)


DRAWN = """() => { let n = 0; const m = Object.values(window).find(v => v && v instanceof L.Map);
    m.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) n += l.getLayers().length; }); return n; }"""


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")
def test_on_a_phone_the_page_never_scrolls_sideways_and_its_filters_drive_the_map(published):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    out, df = published
    located = df.dropna(subset=["lat", "lon"])
    cantines = int((located["type"] == "cantine").sum())
    assert 0 < cantines < len(located)  # the filter must change what the map draws
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto((out / "index.html").as_uri())
        page.wait_for_function("() => typeof L !== 'undefined' && !!document.querySelector('.rc-legend-line')")
        wide = page.evaluate("() => [document.documentElement.scrollWidth, document.body.scrollWidth]")
        before = page.evaluate(DRAWN)
        page.select_option("#rm-type", "cantine")
        page.wait_for_function(f"() => ({DRAWN})() === {cantines}", timeout=10000)
        legend = page.evaluate("() => [...document.querySelectorAll('.rc-legend-line')].map(l => l.textContent.trim())")
        listed = page.locator("#rm-places tbody tr:not([hidden])").count()
        wide_after = page.evaluate("() => document.documentElement.scrollWidth")
        page.screenshot(path="/tmp/published-phone.png")
        # A name in the list opens the place's card on the map.
        page.locator("#rm-places tbody tr:not([hidden]) a.rm-show").first.click()
        page.wait_for_selector(".leaflet-popup .rc-popup h2", timeout=10000)
        browser.close()
    assert wide == [390, 390] and wide_after == 390
    assert before == len(located)
    assert listed == int((df["type"] == "cantine").sum())
    # The legend counts what the filter shows (folded on a phone: its lines are read, not seen).
    assert legend == [f"Cantine ({cantines})"]


# --- Issue 22: writes that never leave half a file, never go through a symlink, say in French what failed ----

ROOT = Path(__file__).resolve().parents[2]


def test_publish_replaces_a_symlink_in_the_folder_instead_of_writing_through_it(tmp_path, monkeypatch, capsys):
    outside = tmp_path / "outside.txt"
    outside.write_text("à garder", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").symlink_to(outside)
    (site / "places.csv").symlink_to(tmp_path / "nowhere.csv")  # a dangling link: replaced too
    assert cli.main(["publish", str(site)]) == 0
    assert outside.read_text(encoding="utf-8") == "à garder" and not (tmp_path / "nowhere.csv").exists()
    assert not (site / "index.html").is_symlink() and "<html" in (site / "index.html").read_text(encoding="utf-8")
    assert not (site / "places.csv").is_symlink()


def test_publish_onto_a_file_says_so_in_french(tmp_path, capsys):
    target = tmp_path / "site"
    target.write_text("un fichier", encoding="utf-8")
    assert cli.main(["publish", str(target)]) == 2
    assert capsys.readouterr().err.strip() == (f"Erreur : Impossible de publier dans « {target} » : c'est un "
                                               "fichier, pas un dossier.")
    assert target.read_text(encoding="utf-8") == "un fichier"


LIMITED = """import resource, sys
from reseau_map import cli
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))  # writes past this fail, as on a full disk
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.parametrize("command", [["publish", "{out}"], ["export", "--format", "html", "-o", "{out}/carte.html"]])
def test_a_full_disk_leaves_the_previous_file_whole_and_says_so(tmp_path, command):
    out = tmp_path / "site"
    out.mkdir()
    previous = "<html>la version d'hier</html>"
    for name in ("index.html", "carte.html"):
        (out / name).write_text(previous, encoding="utf-8")
    args = [part.format(out=out) for part in command]
    done = subprocess.run([sys.executable, "-c", LIMITED.format(limit=200_000), *args], cwd=ROOT, text=True,
                          capture_output=True, timeout=180,
                          env=dict(os.environ, RESEAU_MAP_DB=str(tmp_path / "none.sqlite")))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "fichier trop gros pour ce système ; l'ancien fichier est intact." in done.stderr
    for name in ("index.html", "carte.html"):
        assert (out / name).read_text(encoding="utf-8") == previous
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no temp file left


def test_export_onto_a_read_only_disk_says_so(tmp_path, monkeypatch, capsys):
    real_open = os.open

    def read_only(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:  # reading still works; creating a file does not
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr("reseau_map.core.safefile.os.open", read_only)
    assert cli.main(["export", "-o", str(tmp_path / "lieux.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Erreur : Impossible d'écrire « ") and "disque en lecture seule" in err


def test_publish_reads_a_network_file_with_unquoted_dates(tmp_path, capsys):
    # Issue 22, item 16: `publish` crashed with a traceback on `date = 2012-12-13`.
    folder = tmp_path / "reseau"
    folder.mkdir()
    shutil.copy(Path(__file__).parent.parent / "fixtures" / "page" / "places.csv", folder / "places.csv")
    (folder / "network.toml").write_text('[network]\nname = "Réseau daté"\n[source]\ntitle = "Billet"\n'
                                         'author = "Une autrice"\ndate = 2012-12-25\n[launch]\ndate = 2012-12-13\n',
                                         encoding="utf-8")
    assert cli.main(["publish", str(tmp_path / "site"), "--file", str(folder / "places.csv")]) == 0
    readme = (tmp_path / "site" / "LISEZMOI.txt").read_text(encoding="utf-8")
    assert "« Billet », 25 décembre 2012" in readme
