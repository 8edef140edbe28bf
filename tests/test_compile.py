"""The compile step: the shipped index is fresh, and broken tables fail with a
message that names the file, the entry and the problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geonorm.compile.build import DATA_DIR, build, table_paths
from geonorm.tables import TableError, read_tables

DATA = Path(DATA_DIR)


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("index"))
    return target


def test_colliding_strong_aliases_fail_the_build(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    broken = data / "organisations" / "zz-broken.toml"
    broken.write_text(
        '[[organisation]]\nid = "organisation:rosneft-impostor"\nname = "Rosneft Impostor"\n'
        'type = "company"\ncountry = "RU"\naliases = ["Rosneft"]\n',
        encoding="utf-8",
    )
    with pytest.raises(TableError, match="strong name of several entities") as err:
        build(data)
    assert "zz-broken.toml" in str(err.value)
    assert "organisation:rosneft-impostor" in str(err.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[organisation]]\nid = "organisation:rosneft"\nname = "Again"\ntype = "company"', "duplicate id"),
        ('[[weapon]]\nid = "weapon:x"\nname = "X"\ncategory = "spaceship"', "unknown category"),
        ('[[person]]\nid = "person:x"\nname = "X"\nroles = [{office = "x"}]', "missing required field 'title'"),
        (
            '[[person]]\nid = "person:x"\nname = "X"\nroles = [{office = "x", title = "y", start = "2024-05-01", '
            'end = "2023-01-01"}]',
            "ends before it starts",
        ),
    ],
)
def test_broken_tables_are_named(tmp_path: Path, text: str, message: str) -> None:
    data = _copy_data(tmp_path)
    folder = "weapons" if "weapon" in text else "people" if "person" in text else "organisations"
    broken = data / folder / "zz-broken.toml"
    broken.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(TableError, match=message) as err:
        read_tables(table_paths(folder, data))
    assert "zz-broken.toml" in str(err.value)


def test_index_is_fresh() -> None:
    """The checked-in index is what the tables compile to (CI also runs
    ``python -m geonorm.compile --check``)."""
    texts, _ = build()
    for kind, text in texts.items():
        assert (DATA / "index" / f"{kind}.json").read_text(encoding="utf-8") == text, f"{kind} index is stale"
