"""Records of a delimited text: split as the csv module splits them, with spans and physical lines."""

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from reseau_map.files.dialect import TextDialect
from reseau_map.files.records import _scan_tokens, decode, field_spans, field_value, record_lines, scan

TEXTS = st.text(alphabet=st.sampled_from(list('ab;"\r\n ')), max_size=30)


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_scanner_splits_records_as_the_csv_module_does(text) -> None:
    reference = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=";") if row]
    records = scan(text, ";")
    assert [list(r.values) for r in records] == reference
    # Field spans (found only for edited records) give the same values...
    assert [[field_value(text[a:b]) for a, b in field_spans(text, r, ";")] for r in records] == reference
    # ...and the regex scanner used past csv's field size limit agrees on everything.
    assert _scan_tokens(text, ";", '"') == records


def test_physical_lines_count_quoted_line_breaks_and_skip_blank_lines() -> None:
    text = 'id;nom\r\na;"deux\rlignes"\r\n\r\nb;"trois\nlignes\r\nici"\rc;x'
    assert record_lines(text, TextDialect(separator=";")) == [2, 5, 8]
    assert record_lines("\ufeff" + text, TextDialect(separator=";", header=False)) == [1, 2, 5, 8]


def test_decode_keeps_bytes_the_codec_cannot_read() -> None:
    data = b"nom\x81;ville\n"  # 0x81 is undefined in cp1252
    text, codec, bom = decode(data, TextDialect(encoding="cp1252"))
    assert (codec, bom) == ("cp1252", False)
    assert text.encode(codec, "surrogateescape") == data
