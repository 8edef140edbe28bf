"""``geonorm serve``: the real server on a free loopback port, spoken to over
HTTP (no mocks), every JSON answer validated against the Reconciliation
Service API 0.2 schemas in ``tests/schemas/reconciliation-0.2/``."""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the service needs geonorm[serve]")
pytest.importorskip("uvicorn", reason="the service needs geonorm[serve]")
jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

from referencing.jsonschema import DRAFT7  # noqa: E402

SCHEMAS = Path(__file__).parent / "schemas" / "reconciliation-0.2"


def _validator(name: str) -> Any:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], DRAFT7.create_resource(schema)))
    registry = referencing.Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, registry=registry)


def valid(name: str, document: object) -> None:
    errors = sorted(_validator(name).iter_errors(document), key=str)
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(*options: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    command = [sys.executable, "-m", "geonorm", "serve", "--port", str(port), *options]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            message = proc.stderr.read().decode() if proc.stderr else ""
            _stop(proc)
            raise RuntimeError(f"the server stopped: {message}")
        try:
            with urllib.request.urlopen(base + "/reconcile", timeout=5):
                return proc, base
        except OSError:
            time.sleep(0.2)
    _stop(proc)
    raise RuntimeError("the server did not start in 90 s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stderr is not None:
        proc.stderr.close()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    proc, base = _start()
    yield base
    _stop(proc)


class Answer:
    def __init__(self, status: int, headers: Any, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    def json(self) -> Any:
        assert self.headers.get("content-type", "").startswith("application/json"), self.headers
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def call(
    base: str,
    path: str,
    params: dict[str, Any] | None = None,
    *,
    method: str = "GET",
    form: dict[str, Any] | None = None,
    body: bytes | Iterator[bytes] | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    url = base + path
    if params:
        url += "?" + urllib.parse.urlencode(
            {k: json.dumps(v) if not isinstance(v, str) else v for k, v in params.items()}
        )
    if form is not None:
        body = urllib.parse.urlencode({k: json.dumps(v) for k, v in form.items()}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


def reconcile(base: str, queries: dict[str, Any], *, post: bool = True) -> dict[str, Any]:
    valid("reconciliation-query-batch.json", queries)
    answer = call(base, "/reconcile", form={"queries": queries}, method="POST") if post else None
    if answer is None:
        answer = call(base, "/reconcile", {"queries": queries})
    assert answer.status == 200, answer.text
    assert answer.headers["access-control-allow-origin"] == "*"
    out = answer.json()
    valid("reconciliation-result-batch.json", out)
    assert set(out) == set(queries)
    return out  # type: ignore[no-any-return]


# -- manifest -----------------------------------------------------------------


def test_manifest(server: str) -> None:
    answer = call(server, "/reconcile")
    assert answer.status == 200 and answer.headers["access-control-allow-origin"] == "*"
    manifest = answer.json()
    valid("manifest.json", manifest)
    assert "0.2" in manifest["versions"]
    assert [t["id"] for t in manifest["defaultTypes"]] == ["country", "currency", "organisation", "person", "weapon"]
    assert manifest["view"]["url"] == server + "/view?id={{id}}"
    assert manifest["preview"]["url"] == server + "/preview?id={{id}}"
    for service in ("entity", "type", "property"):
        assert manifest["suggest"][service]["service_url"] == server
    assert manifest["extend"]["propose_properties"]["service_path"] == "/extend/propose"


# -- reconciliation -----------------------------------------------------------

_EVERY_KIND = {
    "c1": ("Bharat", "country", "country:IN"),
    "c2": ("Индия", None, "country:IN"),
    "m1": ("₹", "currency", "currency:INR"),
    "m2": ("rupees", None, "currency:INR"),
    "o1": ("Rosneft PJSC", "organisation", "organisation:rosneft"),
    "o2": ("Роснефть", None, "organisation:rosneft"),
    "p1": ("President Putin", "person", "person:vladimir-putin"),
    "p2": ("普京", None, "person:vladimir-putin"),
    "w1": ("SA-21 Growler", "weapon", "weapon:s-400"),
    "w2": ("С-400 «Триумф»", None, "weapon:s-400"),
}


@pytest.mark.parametrize("post", [True, False], ids=["POST", "GET"])
def test_names_of_every_kind(server: str, post: bool) -> None:
    queries = {k: {"query": q, **({"type": t} if t else {})} for k, (q, t, _) in _EVERY_KIND.items()}
    out = reconcile(server, queries, post=post)
    for key, (_, kind, want) in _EVERY_KIND.items():
        results = out[key]["result"]
        assert results, key
        matched = [r["id"] for r in results if r["match"]]
        assert matched == ([want] if want else []), (key, results)
        if want:
            assert results[0]["id"] == want
            assert results[0]["type"][0]["id"] == want.split(":")[0]
        if kind:
            assert all(r["type"][0]["id"] == kind for r in results)
        assert all(0 < r["score"] <= 100 for r in results)


def test_ambiguous_and_unknown_names(server: str) -> None:
    out = reconcile(server, {"a": {"query": "Congo", "type": "country"}, "u": {"query": "Atlantis"}})
    assert [(r["id"], r["match"]) for r in out["a"]["result"]] == [("country:CD", False), ("country:CG", False)]
    assert out["u"]["result"] == []
    # No query (properties only), an unknown type: nothing, not an error.
    out = reconcile(
        server, {"p": {"properties": [{"pid": "country", "v": "IN"}]}, "t": {"query": "India", "type": "planet"}}
    )
    assert out["p"]["result"] == [] and out["t"]["result"] == []


def test_properties_are_hints(server: str) -> None:
    queries = {
        "pk": {"query": "Rs", "type": "currency", "properties": [{"pid": "country", "v": "Pakistan"}]},
        "np": {"query": "Rs", "type": "currency", "properties": [{"pid": "country", "v": {"id": "country:NP"}}]},
        "in": {"query": "Rs", "type": "currency", "properties": [{"pid": "country", "v": ["IN"]}]},
        "none": {"query": "Rs", "type": "currency"},
        "other": {"query": "Rs", "type": "currency", "properties": [{"pid": "colour", "v": "red"}]},
    }
    out = reconcile(server, queries)
    assert [(r["id"], r["match"]) for r in out["pk"]["result"]] == [("currency:PKR", True)]
    assert [(r["id"], r["match"]) for r in out["np"]["result"]] == [("currency:NPR", True)]
    assert [(r["id"], r["match"]) for r in out["in"]["result"]] == [("currency:INR", True)]
    # Without a hint, "Rs" is the Indian rupee, the others candidates.
    assert [(r["id"], r["match"]) for r in out["none"]["result"]][:2] == [
        ("currency:INR", True),
        ("currency:LKR", False),
    ]
    assert out["other"] == out["none"]


def test_hints_that_cannot_be_read_give_candidates_without_a_match(server: str) -> None:
    # One odd cell must not fail the batch: an unknown country, another
    # service's id or several countries leave the query unhinted and
    # unmatched; an empty cell is no hint; a number is read as a code.
    def hinted(v: object) -> dict[str, Any]:
        return {"query": "Rs", "type": "currency", "properties": [{"pid": "country", "v": v}]}

    queries = {
        "unknown": hinted("Narnia"),
        "other": hinted({"id": "Q668"}),
        "several": hinted(["IN", "PK"]),
        "empty": hinted(""),
        "null": hinted(None),
        "number": hinted(586),
    }
    out = call(server, "/reconcile", form={"queries": queries}, method="POST").json()
    valid("reconciliation-result-batch.json", out)
    for key in ("unknown", "other", "several"):
        assert len(out[key]["result"]) > 1 and not any(r["match"] for r in out[key]["result"]), key
    for key in ("empty", "null"):
        assert [(r["id"], r["match"]) for r in out[key]["result"]][:1] == [("currency:INR", True)], key
    assert [(r["id"], r["match"]) for r in out["number"]["result"]] == [("currency:PKR", True)]


def test_match_within_several_types(server: str) -> None:
    # "CHE" is Switzerland's code and the WIR euro's: ambiguous over every
    # type, but within countries and organisations only Switzerland.
    queries = {
        "all": {"query": "CHE"},
        "two": {"query": "CHE", "type": ["country", "organisation"]},
        "same": {"query": "CHE", "type": ["country", "country"]},
    }
    out = reconcile(server, queries)
    assert [(r["id"], r["match"]) for r in out["all"]["result"]] == [("country:CH", False), ("currency:CHE", False)]
    assert [(r["id"], r["match"]) for r in out["two"]["result"]] == [("country:CH", True)]
    assert out["same"] == out["two"]


def test_types_limit_and_strictness(server: str) -> None:
    queries = {
        "one": {"query": "Congo", "type": "country", "limit": 1},
        "list": {"query": "India", "type": ["currency", "country"], "type_strict": "any"},
        "zero": {"query": "India", "limit": 0},
    }
    out = reconcile(server, queries)
    assert len(out["one"]["result"]) == 1
    assert out["list"]["result"][0]["id"] == "country:IN" and out["list"]["result"][0]["match"]
    assert out["zero"]["result"] == []


# -- suggest, preview, extension ---------------------------------------------


def test_suggest(server: str) -> None:
    cases = [
        ("Роснеф", None, "organisation:rosneft"),
        ("S-4", "weapon", "weapon:s-400"),
        ("Bhara", "country", "country:IN"),
    ]
    for prefix, kind, want in cases:
        params = {"prefix": prefix, **({"type": kind} if kind else {})}
        answer = call(server, "/suggest/entity", params)
        assert answer.status == 200
        out = answer.json()
        valid("suggest-entities-response.json", out)
        assert out["result"][0]["id"] == want, out
    assert call(server, "/suggest/entity", {"prefix": "zzzzqx"}).json() == {"result": []}
    # A one-letter prefix is ranked over every key it starts, not a window:
    # the shortest names come first.
    short = [r["id"] for r in call(server, "/suggest/entity", {"prefix": "b", "limit": "5"}).json()["result"]]
    assert "organisation:bp" in short and "country:BS" in short
    types = call(server, "/suggest/type", {"prefix": "weap"}).json()
    valid("suggest-types-response.json", types)
    assert [t["id"] for t in types["result"]] == ["weapon"]
    props = call(server, "/suggest/property", {"prefix": "nato", "type": "weapon"}).json()
    valid("suggest-properties-response.json", props)
    assert [p["id"] for p in props["result"]] == ["nato_name"]


def test_suggest_is_fast_on_every_kind(server: str) -> None:
    # One letter matches thousands of aliases: the walk is bounded.
    for kind in (None, "country", "currency", "organisation", "person", "weapon"):
        start = time.perf_counter()
        answer = call(server, "/suggest/entity", {"prefix": "a", **({"type": kind} if kind else {})})
        assert answer.status == 200 and answer.json()["result"]
        assert time.perf_counter() - start < 2.0


def test_extend(server: str) -> None:
    proposal = call(server, "/extend/propose", {"type": "weapon"}).json()
    valid("data-extension-property-proposal.json", proposal)
    assert {"origin", "manufacturer", "family", "nato_name"} <= {p["id"] for p in proposal["properties"]}
    query = {
        "ids": ["country:IN", "currency:INR", "organisation:rosneft", "person:vladimir-putin", "weapon:s-400", "x:y"],
        "properties": [
            {"id": p}
            for p in ("alpha3", "currencies", "code", "countries", "country", "type", "office", "origin", "nato_name")
        ],
    }
    valid("data-extension-query.json", query)
    answer = call(server, "/reconcile", form={"extend": query}, method="POST")
    assert answer.status == 200, answer.text
    out = answer.json()
    valid("data-extension-response.json", out)
    rows = out["rows"]
    assert rows["country:IN"]["alpha3"] == [{"str": "IND"}]
    assert {"id": "currency:INR", "name": "Indian Rupee"} in rows["country:IN"]["currencies"]
    assert rows["currency:INR"]["code"] == [{"str": "INR"}]
    assert {"id": "country:IN", "name": "India"} in rows["currency:INR"]["countries"]
    assert rows["organisation:rosneft"]["country"] == [{"id": "country:RU", "name": "Russia"}]
    assert rows["organisation:rosneft"]["type"] == [{"str": "company"}]
    assert rows["person:vladimir-putin"]["office"] == [{"str": "President of Russia"}]
    assert rows["weapon:s-400"]["origin"] == [{"id": "country:RU", "name": "Russia"}]
    assert rows["weapon:s-400"]["nato_name"] == [{"str": "Growler"}]
    assert rows["weapon:s-400"]["alpha3"] == [] and all(v == [] for v in rows["x:y"].values())
    assert [m["id"] for m in out["meta"]] == [p["id"] for p in query["properties"]]  # type: ignore[index]
    # By GET too.
    assert call(server, "/reconcile", {"extend": query}).json() == out


def test_preview_and_view(server: str) -> None:
    for eid, shows in [
        ("country:IN", ["India", "IND", "Bharat"]),
        ("currency:INR", ["Indian Rupee", "INR", "₹"]),
        ("organisation:rosneft", ["Rosneft", "Russia"]),
        ("person:vladimir-putin", ["Vladimir Putin", "President of Russia"]),
        ("weapon:s-400", ["S-400 Triumf", "Growler", "Almaz-Antey"]),
    ]:
        for page in ("/preview", "/view"):
            answer = call(server, page, {"id": eid})
            assert answer.status == 200 and answer.headers["content-type"].startswith("text/html")
            assert all(s in answer.text for s in shows), (eid, page)
            assert "<script" not in answer.text
    missing = call(server, "/preview", {"id": "<b>x</b>"})
    assert missing.status == 404 and "&lt;b&gt;x&lt;/b&gt;" in missing.text


def test_lookup_page(server: str) -> None:
    page = call(server, "/lookup", {"q": "Congo", "kind": "country"}).text
    assert "Democratic Republic of the Congo" in page and "Republic of the Congo" in page
    assert "ambiguous" in page
    page = call(server, "/lookup", {"q": "Bharat"}).text
    assert 'resolve → <span class="match">' in page and "India" in page
    page = call(server, "/lookup", {"q": "<script>alert(1)</script>"}).text
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert call(server, "/lookup", {"q": "x", "kind": "planet"}).status == 400
    home = call(server, "/")
    assert home.status == 200 and "geonorm look-up" in home.text  # redirected


# -- bad requests -------------------------------------------------------------


def _declared_too_long(base: str) -> Answer:
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.putrequest("POST", "/reconcile")
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Content-Length", "1100000")
        conn.endheaders()  # and no body: the answer comes first
        response = conn.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        conn.close()


def test_bad_requests_get_clear_errors(server: str) -> None:
    def error(answer: Answer, status: int, words: str) -> None:
        assert answer.status == status, (answer.status, answer.text)
        assert answer.headers["access-control-allow-origin"] == "*"
        assert words in answer.json()["error"]

    form = {"Content-Type": "application/x-www-form-urlencoded"}
    post = "POST"
    error(call(server, "/reconcile", method=post, body=b"queries={bad", headers=form), 400, "not valid JSON")
    error(call(server, "/reconcile", {"queries": "[1, 2]"}), 400, "JSON object")
    error(call(server, "/reconcile", {"queries": {"q": "India"}}), 400, "must be a JSON object")
    error(call(server, "/reconcile", {"queries": {"q": {"query": 5}}}), 400, "must be a string")
    error(call(server, "/reconcile", {"queries": {"q": {"query": "India", "limit": "ten"}}}), 400, "limit")
    big = {f"q{i}": {"query": "India"} for i in range(201)}
    error(call(server, "/reconcile", form={"queries": big}, method=post), 400, "too many queries")
    error(call(server, "/reconcile", {"queries": {"q": {"query": "x" * 301}}}), 400, "too long")
    # JSON that parses but that the service does not take: deep, long numbers,
    # lone surrogates.
    error(call(server, "/reconcile", {"queries": "[" * 5000 + "]" * 5000}), 400, "too deep")
    error(
        call(server, "/reconcile", {"queries": '{"q": {"query": "India", "limit": ' + "9" * 5000 + "}}"}), 400, "JSON"
    )
    error(call(server, "/reconcile", {"queries": '{"\\ud800": {"query": "India"}}'}), 400, "surrogate")
    error(
        call(server, "/reconcile", {"extend": '{"ids": ["\\ud800"], "properties": [{"id": "name"}]}'}), 400, "surrogate"
    )
    # A declared length past the limit is refused before the body is read; a
    # chunked body, once it passes the limit.
    error(_declared_too_long(server), 413, "larger")
    chunks = [b"queries=" + b"x" * 99_992] + [b"x" * 100_000] * 9 + [b"x"]
    error(call(server, "/reconcile", method=post, body=iter(chunks), headers=form), 413, "larger")
    error(
        call(server, "/reconcile", method=post, body=b'{"q": 1}', headers={"Content-Type": "application/json"}),
        415,
        "form-encoded",
    )
    error(call(server, "/reconcile", {"extend": {"ids": "country:IN"}}), 400, "ids")
    error(
        call(server, "/reconcile", {"extend": {"ids": [], "properties": [{"id": "colour"}]}}), 400, "unknown properties"
    )
    error(call(server, "/suggest/entity", {"prefix": "a", "limit": "-1"}), 400, "limit")
    error(call(server, "/extend/propose", {"type": "planet"}), 400, "unknown type")
    for method in ("PUT", "DELETE", "PATCH"):
        answer = call(server, "/reconcile", method=method, body=b"")
        assert answer.status == 405 and "GET" in answer.headers["allow"]
    assert call(server, "/suggest/entity", {"prefix": "a"}, method="POST", body=b"").status == 405
    assert call(server, "/no/such/page").status == 404
    preflight = call(server, "/reconcile", method="OPTIONS")
    assert preflight.status == 204 and preflight.headers["access-control-allow-origin"] == "*"
    # Still answering.
    assert reconcile(server, {"q": {"query": "India"}})["q"]["result"][0]["match"] is True


def test_concurrent_requests_all_answered(server: str) -> None:
    names = ["India", "Congo", "₹", "Rosneft", "Путин", "S400", "Atlantis", "Bharat", "rupees", "SA-21"]

    def one(i: int) -> int:
        queries = {f"q{j}": {"query": names[(i + j) % len(names)]} for j in range(10)}
        return call(server, "/reconcile", form={"queries": queries}, method="POST").status

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(one, range(80))) == {200}


def test_serve_says_what_is_wrong_with_its_address(server: str) -> None:
    port = urllib.parse.urlsplit(server).port
    taken = subprocess.run(
        [sys.executable, "-m", "geonorm", "serve", "--port", str(port)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert taken.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in taken.stderr
    assert "reconciliation endpoint" not in taken.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "geonorm", "serve", "--port", "99999"], capture_output=True, text=True, check=False
    )
    assert bad.returncode == 2 and "a port is a number from 1 to 65535" in bad.stderr


def test_serve_with_a_table_of_ones_own(tmp_path: Path) -> None:
    table = tmp_path / "mine.toml"
    table.write_text('[[country]]\nid = "country:GB"\naliases = ["Blighty"]\n', encoding="utf-8")
    proc, base = _start("--load", str(table))
    try:
        out = reconcile(base, {"q": {"query": "Blighty"}})
        assert [(r["id"], r["match"]) for r in out["q"]["result"]] == [("country:GB", True)]
        assert call(base, "/suggest/entity", {"prefix": "Bligh"}).json()["result"][0]["id"] == "country:GB"
    finally:
        _stop(proc)


# -- a real browser -----------------------------------------------------------

_CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)


@pytest.mark.skipif(_CHROMIUM is None, reason="no Chromium (Debian: apt-get install chromium); CI installs it")
def test_lookup_page_in_a_browser(server: str, tmp_path: Path) -> None:
    url = server + "/lookup?" + urllib.parse.urlencode({"q": "Congo", "kind": "country"})
    command = [
        str(_CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--dump-dom",
        url,
    ]
    done = subprocess.run(command, capture_output=True, timeout=120, check=False)
    dom = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    assert '<table id="candidates">' in dom
    assert "Democratic Republic of the Congo" in dom and "country:CG" in dom
    assert "ambiguous" in dom
