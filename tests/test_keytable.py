"""The compact key table: the same mapping as the index's keys, whatever
the script of a key, with its keys beyond ASCII out of the dict."""

from __future__ import annotations

import pytest

from geonorm import index as ix
from geonorm.keytable import KeyTable
from geonorm.shipped import available_kinds, table


@pytest.mark.parametrize("kind", available_kinds())
def test_a_shipped_kind_s_keys_are_the_index_s_keys(kind: str) -> None:
    loaded = table(kind)
    keys = loaded.keys
    assert isinstance(keys, KeyTable)
    expected = ix.parse_keys(
        ix.read_index(kind),
        ix.load_index(kind, keys=False)["keys_at"],
        [(e.id, e.aliases) for e in loaded.entities],
    )
    assert len(keys) == len(expected)
    # In the index's order, as a dict of its keys iterates (the people's
    # initials-and-surname fallback takes the first of several candidates).
    assert list(keys) == list(expected)
    assert all(keys[k] == v and keys.get(k) == v and k in keys for k, v in expected.items())
    # Only ASCII keys are held as Python strings in the dict.
    assert all(k.isascii() for k in keys.plain)
    assert len(keys.plain) == sum(k.isascii() for k in expected)


def test_misses_and_odd_keys() -> None:
    keys = KeyTable({"india": 5, "индия": (6, 7), "中国": 0})
    for missing in ("", "indi", "индияx", "инди", "中", "中国人", "\ud800", "india\x00", "индия\x00", "индия\x00x"):
        assert keys.get(missing) is None
        assert keys.get(missing, ()) == ()
        assert missing not in keys
        with pytest.raises(KeyError):
            keys[missing]
    assert 5 not in keys  # type: ignore[comparison-overlap]
    assert keys.get(5) is None  # type: ignore[call-overload]
    assert keys["中国"] == 0  # an entry of 0 (entity 0, alias 0) is an entry
    assert dict(keys.items()) == {"india": 5, "индия": (6, 7), "中国": 0}


def test_an_empty_table() -> None:
    keys = KeyTable({})
    assert len(keys) == 0 and list(keys) == [] and keys.get("индия") is None


def test_a_key_with_a_nul_is_its_own_key() -> None:
    # The trie reads a key up to a NUL: such keys stay in the dict.
    keys = KeyTable({"ж\x00x": 5, "ж": (1, 2)})
    assert keys["ж\x00x"] == 5 and keys["ж"] == (1, 2)
    assert keys.get("ж\x00y") is None and "ж\x00" not in keys
    assert sorted(keys) == ["ж", "ж\x00x"]
