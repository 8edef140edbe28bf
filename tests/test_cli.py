"""The command line: names as arguments, resolve and extract over files and
streams, bad input, closed pipes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import geonorm


def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "geonorm", *args], input=stdin, capture_output=True, check=False)


def test_resolve_a_file_as_tsv(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("India\nBharat\n\nCongo\nAtlantis\nRs\n", encoding="utf-8")
    done = _run("resolve", str(names))
    assert done.returncode == 0, done.stderr
    rows = [line.split("\t") for line in done.stdout.decode().splitlines()]
    assert rows[0] == ["input", "status", "kind", "id", "name", "candidates"]
    assert rows[1] == ["India", "match", "country", "country:IN", "India", ""]
    assert rows[3][:2] == ["", "none"]
    assert rows[4][:2] == ["Congo", "ambiguous"] and rows[4][5] == "country:CD country:CG"
    assert rows[5][:2] == ["Atlantis", "none"]
    assert len(rows) == 7


def test_resolve_standard_input_as_csv_and_jsonl() -> None:
    done = _run("resolve", "--format", "csv", "--kind", "currency", "--country", "PK", "-", stdin="Rs\n₹\n".encode())
    table = list(csv.DictReader(io.StringIO(done.stdout.decode())))
    assert [(r["input"], r["id"]) for r in table] == [("Rs", "currency:PKR"), ("₹", "currency:INR")]
    done = _run("resolve", "--format", "jsonl", stdin=b"Moscow\n")
    assert json.loads(done.stdout)["status"] == "none"
    done = _run("resolve", "--format", "jsonl", "--metonyms", stdin=b"Moscow\n")
    assert json.loads(done.stdout)["id"] == "country:RU"


def test_names_on_standard_input_are_read_not_the_demo() -> None:
    done = _run(stdin=b"Bharat\n")
    lines = done.stdout.decode().splitlines()
    assert lines[0].startswith("input\tstatus") and lines[1].startswith("Bharat\tmatch\tcountry\tcountry:IN")
    assert len(lines) == 2


def test_extract_jsonl_and_tsv(tmp_path: Path) -> None:
    text = tmp_path / "news.txt"
    text.write_text("Modi met Putin in Delhi.\nThe rupee fell.\n", encoding="utf-8")
    done = _run("extract", str(text))
    found = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [(m["line"], m["start"], m["end"], m["id"]) for m in found] == [
        (1, 0, 4, "person:narendra-modi"),
        (1, 9, 14, "person:vladimir-putin"),
        (2, 4, 9, "currency:INR"),
    ]
    assert all(m["file"] == str(text) for m in found)
    done = _run("extract", "--format", "tsv", "--kinds", "currency", str(text))
    rows = done.stdout.decode().splitlines()
    assert rows[0].split("\t") == ["file", "line", "start", "end", "text", "kind", "id", "name", "how"]
    assert [r.split("\t")[6] for r in rows[1:]] == ["currency:INR"]


def test_bad_input_gives_one_line_and_status_2(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Côte d'Ivoire\n".encode("latin-1"))
    done = _run("resolve", str(bad))
    assert done.returncode == 2
    assert done.stdout == b""
    message = done.stderr.decode().strip()
    assert message.count("\n") == 0 and str(bad) in message and "not UTF-8" in message
    done = _run("extract", str(tmp_path / "missing.txt"))
    assert done.returncode == 2 and "cannot read" in done.stderr.decode()
    done = _run("extract", "--kinds", "planet", "-", stdin=b"x\n")
    assert done.returncode == 2 and "unknown kind" in done.stderr.decode()


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    names = tmp_path / "many.txt"
    names.write_text("India\nBharat\nCongo\n" * 50_000, encoding="utf-8")
    cmd = f"{sys.executable} -m geonorm resolve {names} | head -n 2"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, check=False)
    assert done.stdout.decode().splitlines()[1].startswith("India\tmatch")
    assert done.stderr == b""
    assert done.returncode == 0


def test_load_a_table_and_version(tmp_path: Path) -> None:
    table = tmp_path / "mine.toml"
    table.write_text('[[country]]\nid = "country:GB"\naliases = ["Blighty"]\n', encoding="utf-8")
    done = _run("resolve", "--load", str(table), stdin=b"Blighty\n")
    assert done.returncode == 0, done.stderr
    assert "country:GB" in done.stdout.decode()
    assert _run("resolve", stdin=b"Blighty\n").stdout.decode().splitlines()[1].split("\t")[1] == "none"
    assert _run("--version").stdout.decode().strip() == f"geonorm {geonorm.__version__}"


def test_compile_a_table_and_use_it(tmp_path: Path) -> None:
    table = tmp_path / "mine.toml"
    table.write_text(
        '[[organisation]]\nid = "organisation:kestrel-arms"\nname = "Kestrel Arms"\ntype = "company"\n'
        '[[country]]\nid = "country:GB"\naliases = ["Blighty"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "mine.compiled"
    done = _run("compile-table", str(out), str(table))
    assert done.returncode == 0, done.stderr
    assert "1 organisation" in done.stderr.decode()
    done = _run("resolve", "--compiled", str(out), stdin=b"Blighty\nKESTREL ARMS\n")
    assert done.returncode == 0, done.stderr
    rows = [line.split("\t") for line in done.stdout.decode().splitlines()]
    assert [r[3] for r in rows[1:]] == ["country:GB", "organisation:kestrel-arms"]
    done = _run("extract", "--compiled", str(out), stdin=b"Kestrel Arms sold it.\n")
    assert json.loads(done.stdout.decode().splitlines()[0])["id"] == "organisation:kestrel-arms"
    done = _run("Kestrel Arms", "--compiled", str(table))  # the TOML, not the compiled file
    assert done.returncode == 2
    assert "not a compiled geonorm table" in done.stderr.decode()
    bad = tmp_path / "bad.toml"
    bad.write_text('[[organisation]]\nid = "organisation:x"\nname = "X"\n', encoding="utf-8")
    done = _run("compile-table", str(tmp_path / "bad.compiled"), str(bad))
    assert done.returncode == 2 and "missing required field 'type'" in done.stderr.decode()
    assert not (tmp_path / "bad.compiled").exists()


_STREAM = """
import sys, geonorm.cli
sys.argv = ["geonorm", "resolve", sys.argv[1]]
code = geonorm.cli.main()
with open("/proc/self/status") as fh:
    peak = [int(line.split()[1]) for line in fh if line.startswith("VmHWM:")][0]
sys.stderr.write(str(peak // 1024))
"""


def test_resolve_streams_with_flat_memory(tmp_path: Path) -> None:
    # 50,000 distinct names (more than the memo holds) cost about what 1,000 cost.
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text("".join(f"India {i}\n" for i in range(1000)), encoding="utf-8")
    with big.open("w", encoding="utf-8") as fh:
        for i in range(50_000):
            fh.write(f"Country number {i} of the list\n")
    assert big.stat().st_size > 1_000_000
    peaks = []
    for path in (small, big):
        done = subprocess.run([sys.executable, "-c", _STREAM, str(path)], capture_output=True, check=True)
        peaks.append(int(done.stderr.decode().strip().splitlines()[-1]))
    assert peaks[1] - peaks[0] < 40, peaks
