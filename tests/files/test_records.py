"""Records of a delimited text: the reader's own records, with where each one and its fields sit."""

import csv
import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reseau_map.files.delimited import physical_lines, records, split_fields
from reseau_map.files.dialect import TextDialect
from reseau_map.files.encoding import decode
from reseau_map.files.reader import read_rows
from reseau_map.files.records import layout, record_lines

TEXTS = st.text(alphabet=st.sampled_from(list('ab;"\r\n ')), max_size=30)


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_records_are_the_readers_and_their_spans_hold_their_fields(text) -> None:
    found = layout(text, ";")
    lines = physical_lines(text)
    first = next((line for line in lines if line.strip()), "")
    read = [r for r in records(lines, ";", len(split_fields(first, ";")[0])) if hasattr(r, "fields")]
    assert [r.fields for r in found.records] == [r.fields for r in read if "".join(r.fields).strip()]
    for record in found.records:
        start, end = found.span(record)
        spans = found.field_spans(record)
        assert start == spans[0][0] and spans[-1][1] == end
        # Each span read alone is that one field (line breaks as the file spells them), and only
        # separators lie between spans.
        assert [_breaks(split_fields(text[a:b], ";")[0]) for a, b in spans] == [[f] for f in record.fields]
        assert all(text[b:c] == ";" for (_, b), (c, _) in zip(spans, spans[1:], strict=False))


def _breaks(fields: list[str]) -> list[str]:
    return [re.sub(r"\r\n|\r", "\n", f) for f in fields]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab; \r\n")), max_size=40))
def test_without_quotes_records_are_the_csv_modules(text) -> None:
    reference = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=";") if "".join(row).strip()]
    assert [r.fields for r in layout(text, ";").records] == reference


def test_a_broken_quote_costs_one_record_as_in_the_reader() -> None:
    text = 'nom;ville\nA;Paris\n"B;Lyon\nC;Brest\n'
    assert [r.fields for r in layout(text, ";").records] == [["nom", "ville"], ["A", "Paris"], ["C", "Brest"]]
    assert read_rows(text.encode()).frame["nom"].tolist() == ["A", "C"]


def test_physical_lines_count_quoted_line_breaks_and_skip_blank_lines() -> None:
    text = 'id;nom\r\na;"deux\rlignes"\r\n\r\nb;"trois\nlignes\r\nici"\rc;x'
    assert record_lines(text, TextDialect(separator=";")) == [2, 5, 8]
    assert record_lines("\ufeff" + text, TextDialect(separator=";", header=False)) == [1, 2, 5, 8]


def test_decode_keeps_bytes_the_codec_cannot_read() -> None:
    data = b"nom\x81;ville\n"  # 0x81 is undefined in cp1252
    text, codec, bom = decode(data, "cp1252")
    assert (codec, bom) == ("cp1252", False)
    assert text.encode(codec, "surrogateescape") == data
    assert decode(data) == ("nom\ufffd;ville\n", "cp1252", False)  # reading: shown as U+FFFD
