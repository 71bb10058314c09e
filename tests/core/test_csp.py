"""The Content-Security-Policy of the pages we write as files: their own inline scripts, nothing else."""

import base64
import hashlib

import pytest

from reseau_map.core.csp import policy, script_hashes, with_policy

PAGE = """<!DOCTYPE html><html><head><title>t</title>
<script src="data:text/javascript;base64,AAAA"></script>
<script>var a = 1;</script></head><body><script type="text/javascript">
go();
</script></body></html>"""


def sha(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def test_each_inline_script_is_named_by_its_hash_and_data_libraries_are_allowed():
    assert script_hashes(PAGE) == [sha("var a = 1;"), sha("\ngo();\n")]
    said = policy(PAGE)
    assert f"script-src {sha('var a = 1;')} {sha(chr(10) + 'go();' + chr(10))} data:" in said
    assert "'unsafe-inline'" not in said.split("style-src")[0]  # inline handlers never run
    assert "default-src 'none'" in said and "connect-src 'none'" in said and "form-action 'none'" in said


def test_the_policy_comes_first_in_the_head():
    page = with_policy(PAGE)
    assert page.index('http-equiv="Content-Security-Policy"') < page.index("<title>")
    with pytest.raises(ValueError):
        with_policy("<html><body></body></html>")
