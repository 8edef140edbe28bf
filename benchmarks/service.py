"""The reconciliation service under load: ``geonorm serve`` on a free
loopback port, and clients sending batches of 10 queries (names of every
kind from ``tests/cases/*.tsv``, as OpenRefine sends a column) over
keep-alive connections.

For each number of concurrent clients (1, 4 and 8 by default) it reports
queries per second and the latency of one batch (median, 95th percentile,
worst), best of ``--rounds`` (the levels take turns in each round; the
machine is shared). Every answer is checked: an HTTP error, a malformed
answer or a batch without its results counts as an error, and the run
fails if there is any. Bounded: ``--batches`` per client and level, and
``--seconds`` at most per level and round; traffic stays on 127.0.0.1.

None of geonorm's peers (countrynames, rigour, country_converter) offers a
reconciliation service, so there is nothing to run beside it.

Run: ``python -m pip install -e '.[serve]' && python benchmarks/service.py``.
Writes ``benchmarks/results/service.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import interpreter  # noqa: E402
from tests.casefile import read_cases  # noqa: E402

_FILES = ("countries.tsv", "currencies.tsv", "organisations.tsv", "people_heads.tsv", "weapons.tsv")


def names() -> list[str]:
    """The test cases' inputs of every kind, without options (hints)."""
    return [c.text for f in _FILES for c in read_cases(f) if not c.options and c.text.strip()]


def start() -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    proc = subprocess.Popen(
        [sys.executable, "-m", "geonorm", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/reconcile", timeout=5):
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def client(port: int, batches: list[dict[str, Any]], until: float, out: list[float], errors: list[str]) -> None:
    """Send ``batches`` one after another on one connection, until ``until``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    try:
        for batch in batches:
            if time.monotonic() > until:
                break
            body = urllib.parse.urlencode({"queries": json.dumps(batch)})
            began = time.perf_counter()
            try:
                conn.request("POST", "/reconcile", body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
            except OSError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            out.append(time.perf_counter() - began)
            if response.status != 200:
                errors.append(f"HTTP {response.status}")
                continue
            answer = json.loads(payload)
            if set(answer) != set(batch) or not all("result" in v for v in answer.values()):
                errors.append("an answer without its results")
    finally:
        conn.close()


def level(port: int, pool: list[str], clients: int, batches: int, seconds: float, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    work = [[{f"q{j}": {"query": rng.choice(pool)} for j in range(10)} for _ in range(batches)] for _ in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(port, work[i], until, latencies[i], errors)) for i in range(clients)
    ]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    flat = sorted(x for each in latencies for x in each)
    return {
        "clients": clients,
        "batches": len(flat),
        "queries_per_second": 10 * len(flat) / elapsed,
        "median_ms": 1000 * statistics.median(flat),
        "p95_ms": 1000 * flat[int(0.95 * (len(flat) - 1))],
        "max_ms": 1000 * flat[-1],
        "errors": errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", default="1,4,8", help="numbers of concurrent clients, comma-separated")
    parser.add_argument("--batches", type=int, default=200, help="batches of 10 queries per client and level")
    parser.add_argument("--seconds", type=float, default=30.0, help="time limit per level and round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    pool = names()
    proc, port = start()
    best: dict[int, dict[str, Any]] = {}
    errors: list[str] = []
    try:
        level(port, pool, 1, 20, 10.0, seed=0)  # warm-up
        for round_ in range(args.rounds):
            for n in (int(x) for x in args.clients.split(",")):
                got = level(port, pool, n, args.batches, args.seconds, seed=round_ * 100 + n)
                errors += got["errors"]
                print(
                    f"round {round_ + 1}: {n} clients {got['queries_per_second']:,.0f} queries/s, "
                    f"median {got['median_ms']:.1f} ms, errors {len(got['errors'])}",
                    file=sys.stderr,
                )
                if n not in best or got["queries_per_second"] > best[n]["queries_per_second"]:
                    best[n] = got
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    results = {
        f"{n} client{'s' if n > 1 else ''}": {k: v for k, v in r.items() if k not in ("errors", "clients")}
        for n, r in sorted(best.items())
    }
    meta = {"rounds": args.rounds, "batch": 10, "names": len(pool), **interpreter()}
    out = ROOT / "benchmarks" / "results" / "service.json"
    out.write_text(
        json.dumps({"meta": meta, "results": results, "errors": len(errors)}, indent=2, sort_keys=True) + "\n"
    )
    print(f"\nbatches of 10 queries, best of {args.rounds} rounds, {len(errors)} errors:\n")
    print("| clients | queries/s | batch median ms | batch p95 ms | batch max ms |")
    print("| --- | --- | --- | --- | --- |")
    for n, r in results.items():
        print(
            f"| {n} | {r['queries_per_second']:,.0f} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | {r['max_ms']:.1f} |"
        )
    if errors:
        print("errors:", *sorted(set(errors))[:10], sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
