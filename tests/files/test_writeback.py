"""Write-back: filled cells change, every other byte of the user's file stays as it was."""

import csv
import io

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reseau_map.core.errors import DataFileError
from reseau_map.core.safefile import backups
from reseau_map.files.dialect import TextDialect
from reseau_map.files.writeback import (
    _sniff,
    fill_cells,
    fills_by_key,
    read_records,
    record_keys,
    record_lines,
    write_fills,
)

EXCEL = TextDialect(encoding="cp1252", separator=";", newline="\r\n", decimal=",")
EXCEL_LINES = [
    "nom;ville;latitude;longitude;précision",
    "La Cantine;Paris;48,8698;2,3430;adresse",
    "La Boate;Marseille;;;",
    "Le Node;Bordeaux;;;",
    '"Atelier ""Médias"" ; Œuvre";Lyon;;;',
]


def excel_bytes(encoding: str = "cp1252", bom: bytes = b"") -> bytes:
    return bom + "\r\n".join(EXCEL_LINES).encode(encoding) + b"\r\n"


@pytest.mark.parametrize(("encoding", "bom"), [("cp1252", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_excel_file_changes_only_the_filled_cells(encoding, bom) -> None:
    data = excel_bytes(encoding, bom)
    dialect = TextDialect(encoding=encoding, bom=bool(bom), separator=";", newline="\r\n", decimal=",")
    out = fill_cells(data, dialect, {1: {"latitude": 43.29695, "longitude": "5.38107"}})
    before, after = "La Boate;Marseille;;;".encode(encoding), "La Boate;Marseille;43,29695;5,38107;".encode(encoding)
    assert out == data.replace(before, after)
    assert out.startswith(bom + "nom;ville;latitude;longitude;précision\r\n".encode(encoding))
    # Only bytes inside the filled record differ.
    cut = data.index(before) + len("La Boate;Marseille;")
    assert out[:cut] == data[:cut] and out[-40:] == data[-40:]


def test_quoted_fields_and_filled_values_that_need_quotes() -> None:
    data = excel_bytes()
    out = fill_cells(data, EXCEL, {2: {"précision": "ville; à vérifier"}, 3: {"latitude": "45.75"}})
    text = out.decode("cp1252")
    assert 'Le Node;Bordeaux;;;"ville; à vérifier"\r\n' in text
    assert '"Atelier ""Médias"" ; Œuvre";Lyon;45,75;;\r\n' in text  # untouched quoting kept
    header, rows = read_records(out, EXCEL)
    assert rows[2][4] == "ville; à vérifier" and rows[3][0] == 'Atelier "Médias" ; Œuvre'


def test_a_value_the_encoding_cannot_hold_names_row_and_column() -> None:
    with pytest.raises(DataFileError, match="Ligne 3, colonne « précision » : valeur « Gdańsk » .* cp1252"):
        fill_cells(excel_bytes(), EXCEL, {1: {"précision": "Gdańsk"}})


def test_unknown_column_and_record_are_french_errors() -> None:
    with pytest.raises(DataFileError, match="Colonne « lat » absente"):
        fill_cells(excel_bytes(), EXCEL, {0: {"lat": "1"}})
    with pytest.raises(DataFileError, match="Enregistrement n° 10 absent"):
        fill_cells(excel_bytes(), EXCEL, {9: {"latitude": "1"}})


def test_utf16_file_round_trip() -> None:
    dialect = TextDialect(encoding="utf-16-le", bom=True, separator="\t", newline="\r\n")
    data = b"\xff\xfe" + "nom\tville\tlat\tlon\r\nLa Plage Digitale\tToulon\t\t\r\n".encode("utf-16-le")
    assert fill_cells(data, dialect, {}) == data
    out = fill_cells(data, dialect, {0: {"lat": 43.1242, "lon": 5.928}})
    assert out == b"\xff\xfe" + "nom\tville\tlat\tlon\r\nLa Plage Digitale\tToulon\t43.1242\t5.928\r\n".encode(
        "utf-16-le")
    generic = TextDialect(encoding="utf-16", bom=True, separator="\t")  # codec name without byte order
    assert fill_cells(data, generic, {0: {"lat": 43.1242, "lon": 5.928}}) == out


def test_multi_line_quoted_field_is_kept_and_lines_are_physical() -> None:
    text = 'id,name,city,lat\na,"Cantine\nsur deux lignes",Rennes,\n\nb,Node,Bordeaux,\n'
    data = text.encode()
    dialect = TextDialect()
    assert record_lines(text, dialect) == [2, 5]  # the blank line 4 is not a record
    out = fill_cells(data, dialect, {0: {"lat": "48.1"}, 1: {"lat": "44.8"}})
    assert out == b'id,name,city,lat\na,"Cantine\nsur deux lignes",Rennes,48.1\n\nb,Node,Bordeaux,44.8\n'


def test_new_columns_go_at_the_end_and_short_records_are_padded() -> None:
    data = b"nom,ville\r\nLa Cantine,Paris\r\nSeul\r\nLe Node,Bordeaux"  # no final newline
    out = fill_cells(data, TextDialect(newline="\r\n"), {0: {"lat": "48.87"}, 1: {"ville": "Nantes"}},
                     new_columns=["lat", "lon"])
    assert out == b"nom,ville,lat,lon\r\nLa Cantine,Paris,48.87,\r\nSeul,Nantes,,\r\nLe Node,Bordeaux,,"


def test_a_cell_quoted_in_the_file_stays_quoted() -> None:
    data = b'"nom","lat"\n"La Cantine",""\n'
    assert fill_cells(data, TextDialect(), {0: {"lat": "48.87"}}) == b'"nom","lat"\n"La Cantine","48.87"\n'


def test_headerless_file_is_filled_by_position() -> None:
    dialect = TextDialect(header=False, separator=";")
    assert fill_cells(b"a;;\nb;;\n", dialect, {1: {2: "x"}}) == b"a;;\nb;;x\n"
    assert record_lines("a;;\nb;;\n", dialect) == [1, 2]


KEYS = [("id",), ("nom", "ville")]


def test_fills_by_key_keep_rows_added_or_moved_during_the_run() -> None:
    read_first = b"id;nom;ville;lat\n;La Boate;Marseille;\nnode;Le Node;Bordeaux;\n"
    keys = record_keys(read_first, TextDialect(separator=";"), KEYS)
    assert keys == [("nom+ville", "la boate", "marseille"), ("id", "node")]
    fills = {keys[0]: {"lat": "43.3"}, keys[1]: {"lat": "44.8"}}
    # Meanwhile someone added a row at the top, moved the rows and typed a latitude by hand.
    now = b"id;nom;ville;lat\n;Nouveau;Brest;\nnode;Le Node;Bordeaux;44.84\n;La Boate;Marseille;\n"
    out, missed = fills_by_key(now, TextDialect(separator=";"), KEYS, fills)
    assert out == b"id;nom;ville;lat\n;Nouveau;Brest;\nnode;Le Node;Bordeaux;44.84\n;La Boate;Marseille;43.3\n"
    assert missed == []


def test_fills_by_key_skip_deleted_and_ambiguous_rows() -> None:
    now = b"nom;ville;lat\nLa Boate;Marseille;\nLa Boate;Marseille;\n"
    fills = {("nom+ville", "la boate", "marseille"): {"lat": "43.3"}, ("id", "gone"): {"lat": "1"}}
    out, missed = fills_by_key(now, TextDialect(separator=";"), KEYS, fills)
    assert out == now and missed == list(fills)


def test_read_records_gives_header_and_values() -> None:
    header, rows = read_records(excel_bytes(), EXCEL)
    assert header == ["nom", "ville", "latitude", "longitude", "précision"]
    assert rows[0] == ["La Cantine", "Paris", "48,8698", "2,3430", "adresse"]


cells = st.text(alphabet=st.sampled_from(list('ab ;,"\r\né\t')), max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab;,"\r\né ')), max_size=60), st.sampled_from([";", ","]))
def test_no_fills_gives_back_the_same_bytes(text, separator) -> None:
    data = text.encode("utf-8")
    assert fill_cells(data, TextDialect(separator=separator), {}) == data
    assert len(record_lines(text, TextDialect(separator=separator, header=False))) <= text.count("\n") + text.count(
        "\r") + 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=5), st.data())
def test_filling_one_cell_changes_only_that_cell(rows, data) -> None:
    rows = [r for r in rows if any(r)]  # csv writes an all-empty row as a blank line
    if not rows:
        return
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows([["a", "b", "c"], *rows])
    # Files the reader reads as written: a quoted cell holding a line that looks like a whole row
    # (« \r;;\r ») reads as a broken quote, a line set aside, and is not written to either.
    assume(read_records(buffer.getvalue().encode(), TextDialect(separator=";"))[1] ==
           [[c.replace("\r\n", "\n").replace("\r", "\n") for c in r] for r in rows])
    index = data.draw(st.integers(0, len(rows) - 1))
    value = data.draw(cells)
    out = fill_cells(buffer.getvalue().encode(), TextDialect(separator=";"), {index: {"b": value}})
    expected = [list(r) for r in rows]
    expected[index][1] = value
    got = list(csv.reader(io.StringIO(out.decode(), newline=""), delimiter=";"))
    assert got[1:] == expected


def test_write_fills_rereads_under_the_lock_and_keeps_a_backup(tmp_path) -> None:
    path = tmp_path / "lieux.csv"
    original = "\ufeffnom;ville;latitude\r\nLa Boate;Marseille;\r\n".encode()
    path.write_bytes(original)
    fills = {("nom+ville", "la boate", "marseille"): {"latitude": 43.29695}}  # ";" and no number: French decimal
    path.write_bytes(original + "Ajouté;Brest;\r\n".encode())  # edited while we geocoded
    written, missed = write_fills(path, fills, KEYS, ["latitude", "précision"])
    assert written and missed == []
    expected = "\ufeffnom;ville;latitude;précision\r\nLa Boate;Marseille;43,29695;\r\nAjouté;Brest;;\r\n"
    assert path.read_bytes() == expected.encode()
    assert [p.read_bytes() for p in backups(path)] == [original + "Ajouté;Brest;\r\n".encode()]
    assert write_fills(path, fills, KEYS) == (False, [])  # already filled by hand or by us: nothing to do


@pytest.mark.parametrize(("data", "expected"), [
    (excel_bytes(), TextDialect(encoding="cp1252", separator=";", newline="\r\n", decimal=",")),
    (excel_bytes("utf-8", b"\xef\xbb\xbf"), TextDialect(bom=True, separator=";", newline="\r\n", decimal=",")),
    (b"\xff\xfe" + "a\tb\n1.5\t2\n".encode("utf-16-le"), TextDialect(encoding="utf-16-le", bom=True, separator="\t")),
    (b"name,lat\nx,1.5\n", TextDialect()),
    (b"nom;lat\nx;1.5\n", TextDialect(separator=";")),
])
def test_provisional_sniff(data, expected) -> None:
    assert _sniff(data) == expected
