"""S1 API fuzz, driven by /api/openapi.json: every operation, as an org admin
and as the system admin, with bodies made from its schema (right types,
wrong types, edge values, hostile strings) and malformed bodies. The count
that matters: responses of 500 or more (none allowed)."""
import json
import random
import sys

from server import Server

STRINGS = ["", " ", "a" * 5000, "\u0000", "\uffff", "\ud7ff", "<script>alert(1)</script>", "' OR 1=1 --",
           "../../etc/passwd", "=cmd|' /C calc'!A0", "2026-02-30", "9999-99-99", "-1", "1e309", "NaN", "王" * 300,
           "%00", "\r\nSet-Cookie: x=1", "😀" * 50, "0", "null", "{}", "2026-13", "2026-Q5"]
NUMBERS = [0, -1, 1, 2 ** 31, 2 ** 63 - 1, -(2 ** 63), 1e308, 0.5, 100, 101]


def sample(schema, doc, depth=0):
    if depth > 4 or not isinstance(schema, dict):
        return None
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return sample(doc["components"]["schemas"].get(name, {}), doc, depth + 1)
    if random.random() < 0.15:
        return random.choice([None, 7, "x", [], {}, True, random.choice(STRINGS)])
    if "enum" in schema and random.random() < 0.7:
        return random.choice(schema["enum"])
    t = schema.get("type", "object")
    if t == "object":
        props = schema.get("properties", {})
        return {k: sample(v, doc, depth + 1) for k, v in props.items() if random.random() < 0.85}
    if t == "array":
        return [sample(schema.get("items", {}), doc, depth + 1) for _ in range(random.randint(0, 3))]
    if t == "integer":
        return random.choice(NUMBERS[:8])
    if t == "number":
        return random.choice(NUMBERS)
    if t == "boolean":
        return random.choice([True, False])
    return random.choice(STRINGS)


# Ending the fuzzer's own sessions or changing its passwords would only make
# the rest of the run answer 401.
SKIP = {"/api/v1/session", "/api/v1/me/password"}

MALFORMED = [b"{", b"[]", b"null", b'{"a":' * 200 + b"1" + b"}" * 200, b"\xff\xfe", b'{"name": "\\u0000"}', b"x" * 70000]


def ids(srv, token):
    """Real ids to put into path parameters, besides made-up ones."""
    found = []
    for path, key in [("/api/v1/orgs", "id"), ("/api/v1/people", "id"), ("/api/v1/transfers", "id"),
                      ("/api/v1/accounts", "id"), ("/api/v1/grants", "id")]:
        s, body = srv.request("GET", path, token=token)
        if s == 200 and isinstance(body, dict):
            found += [i[key] for i in body.get("items", [])[:3] if key in i]
    return found or ["x"]


def fuzz(srv, tokens, per_operation):
    s, doc = srv.request("GET", "/api/openapi.json")
    assert s == 200, s
    real = ids(srv, tokens[0])
    tally, failures, total = {}, [], 0
    for path, ops in doc["paths"].items():
        if path in SKIP:
            continue
        for method, op in ops.items():
            if method not in ("get", "post", "put", "delete"):
                continue
            schema = (op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema"))
            for i in range(per_operation):
                url = path
                while "{" in url:
                    start, end = url.index("{"), url.index("}")
                    url = url[:start] + random.choice(real + ["0", "x" * 300, "%2e%2e", "%00"]) + url[end + 1:]
                if method == "get" and random.random() < 0.5:
                    url += "?" + "&".join(f"{k}={random.choice(['', '-1', '2026-99', 'x'*300, '%00', '%E7%8E%8B'])}"
                                          for k in ["page", "per_page", "q", "period", "org", "year", "status"])
                token = tokens[i % len(tokens)]
                body, raw = None, None
                if method in ("post", "put"):
                    if schema and random.random() < 0.8:
                        body = sample(schema, doc)
                    else:
                        raw = random.choice(MALFORMED)
                headers = {"Content-Type": "application/json"} if raw is not None else None
                try:
                    status, text = srv.request(method.upper(), url, body=body, raw=raw, token=token, headers=headers)
                except OSError as e:
                    status, text = 599, str(e)
                total += 1
                tally[status] = tally.get(status, 0) + 1
                if status >= 500:
                    failures.append(f"{method.upper()} {url[:120]} → {status}: {str(text)[:200]}")
    return {"requests": total, "operations": sum(len(o) for o in doc["paths"].values()),
            "five_xx": len(failures), "statuses": {str(k): v for k, v in sorted(tally.items())},
            "failures": failures[:20]}


if __name__ == "__main__":
    binary, workdir, out = sys.argv[1:4]
    per_operation = int(sys.argv[4]) if len(sys.argv) > 4 else 30
    random.seed(20261206)
    srv = Server(binary, "demo", f"sqlite://{workdir}/fuzz.db", workdir, "fuzz.log").start()
    try:
        tokens = [srv.login("dangwei"), srv.login("admin"), srv.login("shuji")]
        result = fuzz(srv, tokens, per_operation)
    finally:
        srv.stop()
    with open(out, "w") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    print(json.dumps({k: v for k, v in result.items() if k != "failures"}, ensure_ascii=False))
    for line in result["failures"]:
        print("  ", line)
    sys.exit(1 if result["five_xx"] else 0)
