"""Reading any partner's file as rows of text: formats, encodings, separators, broken lines."""

import codecs
import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reseau_map.core.errors import DataFileError, ReseauMapError
from reseau_map.core.findings import DROPPED, FILE_NOTE
from reseau_map.files.delimited import MAX_LINE, plain_rows, records
from reseau_map.files.dialect import TextDialect
from reseau_map.files.encoding import decode
from reseau_map.files.reader import NO_HEADER_NOTE, read_rows
from reseau_map.files.sheets import cell_text

PARTNER = Path(__file__).parent.parent / "fixtures" / "partner"


def partner(name: str) -> bytes:
    return (PARTNER / name).read_bytes()


@pytest.mark.parametrize(("name", "dialect"), [
    ("base_tiers_lieux.csv", TextDialect("utf-8", True, ";", "\r\n", ",", True)),
    ("region_lieux.csv", TextDialect("utf-8", False, ",", "\n", ".", True)),
    ("region_lieux_utf16.csv", TextDialect("utf-16-le", True, ",", "\r\n", ".", True)),
    ("region_lieux_cp1252.csv", TextDialect("cp1252", False, ",", "\r\n", ".", True)),
    ("sans_entete.csv", TextDialect("utf-8", False, ",", "\n", ".", False)),
    ("tabulations.tsv", TextDialect("utf-8", False, "\t", "\n", ".", True)),
    ("virgules_decimales.csv", TextDialect("utf-8", False, ";", "\n", ",", True)),
])
def test_text_dialect_is_detected(name, dialect):
    table = read_rows(partner(name))
    assert table.dialect == dialect
    assert table.format == "csv"


def test_region_list_in_three_encodings_reads_the_same():
    tables = [read_rows(partner(n)) for n in ("region_lieux.csv", "region_lieux_utf16.csv",
                                              "region_lieux_cp1252.csv")]
    assert tables[0].headers == ["Nom du lieu", "Code postal", "Commune", "Site internet"]
    for t in tables:
        assert t.frame.equals(tables[0].frame)
        assert t.lines == [2, 3, 4, 5, 6]
    assert tables[0].frame["Commune"].tolist()[0] == "Alençon"


def test_headerless_file_says_so_and_numbers_its_columns():
    table = read_rows(partner("sans_entete.csv"))
    assert table.headers == [f"colonne {i}" for i in range(1, 7)]
    assert table.lines == [1, 2, 3, 4, 5]
    assert table.frame.iloc[0].tolist() == ["La Ruche", "35000", "Rennes", "www.laruche.fr", "48.1147", "-1.6794"]
    assert [(f.row, f.kind, f.message) for f in table.findings] == [
        (0, FILE_NOTE, "Pas de ligne d'en-tête : la première ligne est lue comme des données.")]
    assert NO_HEADER_NOTE == "Pas de ligne d'en-tête : la première ligne est lue comme des données."


def test_stray_quote_costs_one_line_with_its_number():
    table = read_rows(partner("guillemet.csv"))
    assert table.frame["nom"].tolist() == ["Cantine A", "Cantine C", "Cantine D, la vraie", "Cantine E"]
    assert table.lines == [2, 4, 5, 6]
    [finding] = table.findings
    assert (finding.row, finding.kind) == (3, DROPPED)
    assert finding.message == ("Ligne 3, colonne « nom » : valeur « \"Cantine B,cantine,Rennes » — "
                               "guillemet non fermé : ligne écartée.")


def test_unclosed_quote_on_the_last_line_is_dropped_alone():
    table = read_rows(b'nom,ville\nA,Paris\nB,"Rennes\n')
    assert table.frame["nom"].tolist() == ["A"]
    assert [(f.row, f.column) for f in table.findings] == [(3, "ville")]


def test_quoted_newlines_advance_line_numbers():
    data = 'nom;description;ville\nA;"deux\nlignes";Paris\nB;"trois\nvraies\nlignes";Lyon\nC;;Nantes\n'
    table = read_rows(data.encode())
    assert table.lines == [2, 4, 7]
    assert table.frame["description"].tolist() == ["deux\nlignes", "trois\nvraies\nlignes", ""]
    assert table.findings == []


def test_doubled_quotes_and_quoted_separators():
    table = read_rows(b'nom,ville\n"La ""Cantine"", Paris",Paris\n')
    assert table.frame.iloc[0].tolist() == ['La "Cantine", Paris', "Paris"]


def test_too_many_fields_is_one_finding_not_a_refused_file():
    table = read_rows(partner("virgule_non_protegee.csv"))
    assert table.lines == [2, 4]
    [finding] = table.findings
    assert finding.message == (
        "Ligne 3, colonne « ligne entière » : valeur « Cantine de Toulon,cantine,Toulon,43,1242,5,928 » — "
        "7 champs pour 5 colonnes (séparateur dans une valeur sans guillemets ?) : ligne écartée.")


def test_trailing_empty_fields_and_short_rows_are_tolerated():
    table = read_rows(b"nom;ville;type\nA;Paris;cantine;;\nB;Lyon\n;;\n")
    assert table.frame.values.tolist() == [["A", "Paris", "cantine"], ["B", "Lyon", ""]]
    assert table.findings == []


def test_duplicate_and_empty_headers_are_made_unique():
    table = read_rows(b"nom,,nom\nA,b,c\n")
    assert table.headers == ["nom", "colonne 2", "nom (2)"]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "Le fichier des lieux est vide."),
    (b"\xef\xbb\xbf", "Le fichier des lieux est vide."),
    (b"\n\n  \n", "Le fichier des lieux est vide."),
    (b"nom;type;ville\r\n", "Le fichier des lieux n'a qu'une ligne d'en-tête : aucun lieu à lire."),
    (bytes(range(256)) * 4, "octets binaires"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Ancien format Excel (.xls)"),
    (b"PK\x03\x04garbage", "Archive ZIP illisible"),
    (b'{"type": "Feature"}', "Fichier JSON sans « features »"),
    (b'{"type": "FeatureCollection", "features": []}', "Le GeoJSON ne contient aucun lieu"),
    (b"a" * (MAX_LINE + 1), "ce n'est pas un tableau de lieux"),
])
def test_unreadable_files_are_clear_french_errors(data, message):
    with pytest.raises(DataFileError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        read_rows(data)


def test_zip_that_is_no_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "bonjour")
    with pytest.raises(DataFileError, match="ni un classeur XLSX ni un classeur ODS"):
        read_rows(out.getvalue())


def test_damaged_xlsx_is_a_data_file_error():
    data = partner("lieux.xlsx")
    with pytest.raises(DataFileError, match="illisible"):
        read_rows(data[: len(data) // 2])


def test_a_few_stray_nul_bytes_are_removed_and_said():
    table = read_rows(b"nom,ville\nA\x00,Paris\nB,Lyon\n")
    assert table.frame["nom"].tolist() == ["A", "B"]
    assert [f.reason for f in table.findings] == ["caractère(s) de contrôle retiré(s) du fichier"]


def test_huge_line_in_the_body_is_one_finding():
    data = b"nom,ville\nA,Paris\n" + b"x" * (MAX_LINE + 5) + b"\nB,Lyon\n"
    table = read_rows(data)
    assert table.frame["nom"].tolist() == ["A", "B"]
    [finding] = table.findings
    assert finding.row == 3 and finding.kind == DROPPED and len(finding.value) == 80
    assert finding.reason == f"ligne de {MAX_LINE + 5} caractères, trop longue : ligne écartée"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_by_its_nul_bytes(codec):
    text, found, bom = decode("nom;ville\nCafé;Orléans\n".encode(codec))
    assert (text, found, bom) == ("nom;ville\nCafé;Orléans\n", codec, False)


def test_utf8_bom_and_cp1252():
    assert decode(codecs.BOM_UTF8 + "é".encode()) == ("é", "utf-8", True)
    assert decode("é".encode("cp1252")) == ("é", "cp1252", False)


@pytest.mark.parametrize("name", ["lieux.xlsx", "lieux.ods", "lieux.geojson"])
def test_one_list_in_every_format_gives_the_same_cells(name):
    csv_table = read_rows(partner("lieux.csv"))
    other = read_rows(partner(name))
    assert other.format == name.rsplit(".", 1)[1]
    assert other.dialect is None
    renamed = other.frame.rename(columns={"lat": "latitude", "lon": "longitude"})
    assert renamed[csv_table.headers].equals(csv_table.frame)
    assert set(renamed["mise à jour"]) == {"2013-01-15"}


def test_sheet_rows_keep_their_sheet_numbers():
    assert read_rows(partner("lieux.xlsx")).lines == [2, 3, 4, 5, 6]
    assert read_rows(partner("lieux.ods")).lines == [2, 3, 4, 5, 6]


@pytest.mark.parametrize(("value", "text"), [
    (75001.0, "75001"), (48.1173, "48.1173"), (1e-05, "0.00001"), (2012, "2012"), (None, ""),
    (True, "VRAI"), (" Paris ", "Paris"),
])
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_geojson_polygon_gives_a_point_inside_and_one_note():
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nom": "A"},
         "geometry": {"type": "Polygon", "coordinates": [[[2, 48], [3, 48], [3, 49], [2, 49], [2, 48]]]}},
        {"type": "Feature", "properties": {"nom": "B"}, "geometry": None},
        {"type": "Feature", "properties": {"nom": "C"}, "geometry": {"type": "Point", "coordinates": ["x", 1]}},
    ]}
    table = read_rows(json.dumps(doc).encode())
    assert table.headers == ["nom", "lat", "lon"]
    lat, lon = float(table.frame.at[0, "lat"]), float(table.frame.at[0, "lon"])
    assert 48 < lat < 49 and 2 < lon < 3
    assert table.frame.loc[1:, ["lat", "lon"]].values.tolist() == [["", ""], ["", ""]]
    assert [f.message for f in table.findings] == [
        "Colonne « geometry » (ex. « Polygon ») : 1 géométrie(s) autre(s) qu'un point, chacune lue en un point "
        "à l'intérieur.",
        "Ligne 3, colonne « geometry » : valeur « Point » — géométrie illisible ; lieu placé d'après sa ville."]


# Arbitrary bytes: the reader may refuse them, but only with one of our errors.
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400) | st.text(alphabet=',;\t|"\n\r aé0123456789.-', max_size=300).map(str.encode))
def test_arbitrary_bytes_raise_only_our_errors(data):
    try:
        table = read_rows(data)
    except ReseauMapError:
        return
    assert len(table.frame) == len(table.lines)
    assert list(table.frame.columns) == table.headers


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_behind_a_zip_signature_raise_only_our_errors(data):
    for magic in (b"PK\x03\x04", b"\xef\xbb\xbf{", b"\xff\xfe"):
        try:
            read_rows(magic + data)
        except ReseauMapError:
            pass


CELL = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
               | st.sampled_from([",", ";", "\t", "|", '"', "\n", " "]), max_size=12)


# Every row of a valid file survives, with its cells and its first physical line.
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sep=st.sampled_from([",", ";", "\t", "|"]), newline=st.sampled_from(["\n", "\r\n"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
       rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=8))
def test_every_row_of_a_valid_file_survives(sep, newline, encoding, rows):
    rows = [[c.strip() for c in r] for r in rows]
    rows = [r for r in rows if any(r)]  # blank rows are skipped on purpose
    if not rows:
        return
    # The one ambiguity we accept: inside a quoted cell, a whole line holding a row's separators
    # (and no quote) reads as a row that a broken quote swallowed.
    assume(not any(line.count(sep) >= 2 and '"' not in line
                   for r in rows for c in r for line in c.split("\n")[1:-1]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["nom", "ville", "type"])
    writer.writerows(rows)
    text = out.getvalue()
    table = read_rows(text.encode(encoding))
    assert table.headers == ["nom", "ville", "type"]
    assert table.dialect.separator == sep
    got = [[c.strip() for c in r] for r in table.frame.values.tolist()]
    assert got == [[c.replace("\r\n", "\n").replace("\r", "\n") for c in r] for r in rows]
    expected, line = [], 2
    for r in rows:
        expected.append(line)
        line += sum(c.count("\n") for c in r) + 1
    assert table.lines == expected


def test_title_lines_above_the_table_are_skipped_and_said():
    table = read_rows(b"Liste des tiers-lieux 2019;;;\n\nnom;type;ville;cp\nA;cantine;Paris;75001\nB;;Lyon;69001\n")
    assert table.headers == ["nom", "type", "ville", "cp"] and table.lines == [4, 5]
    assert [f.message for f in table.findings] == [
        "Ligne(s) 1 à 2 au-dessus du tableau ignorée(s) : « Liste des tiers-lieux 2019 »."]


def test_title_rows_of_a_sheet_are_skipped_too():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tiers-lieux de Normandie"])
    sheet.append([])
    sheet.append(["Nom du lieu", "Code postal", "Commune"])
    sheet.append(["Le Bocal", 14000, "Caen"])
    out = io.BytesIO()
    book.save(out)
    table = read_rows(out.getvalue())
    assert table.headers == ["Nom du lieu", "Code postal", "Commune"]
    assert table.lines == [4] and table.frame.iloc[0].tolist() == ["Le Bocal", "14000", "Caen"]
    assert table.findings[0].reason.startswith("Ligne(s) 1 à 2 au-dessus du tableau ignorée(s)")


def test_a_first_line_of_our_words_is_data():
    table = read_rows("La Cantine,cantine,Paris\nLe Node,lieu associé,Bordeaux\n".encode())
    assert table.dialect.header is False and len(table.frame) == 2


def test_ods_rows_keep_their_sheet_numbers_below_empty_rows():
    import pandas as pd

    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="odf") as writer:
        pd.DataFrame({"nom": ["A", "B"], "cp": [75001, 35000]}).to_excel(writer, index=False, startrow=3)
    table = read_rows(out.getvalue())
    assert table.lines == [5, 6] and table.frame.values.tolist() == [["A", "75001"], ["B", "35000"]]


def test_geojson_position_never_takes_a_property_name():
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nom": "A", "lat": "48"},
         "geometry": {"type": "Point", "coordinates": [2.35, 48.85]}}]}
    table = read_rows(json.dumps(doc).encode())
    assert table.headers == ["nom", "lat", "lat (géométrie)", "lon"]
    assert table.frame.iloc[0].tolist() == ["A", "48", "48.85", "2.35"]


def test_tsv_file_name_settles_the_separator():
    data = b"nom\tville;quartier\nA\tParis;Nord\n"
    assert read_rows(data, "lieux.tsv").dialect.separator == "\t"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=';,a é"\t', max_size=12), max_size=8), st.integers(0, 3))
def test_plain_rows_read_lines_as_records_do(lines, start):
    # The fast path for files without quotes must give what the careful reader gives, or step aside.
    plain = plain_rows(lines, ";", start)
    if any('"' in line for line in lines[start:]):
        assert plain is None
    else:
        assert plain == [(r.line, r.fields) for r in records(lines, ";", None, start)]
