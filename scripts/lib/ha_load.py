"""Mixed load for scripts/ha-test: writers record planned meetings (计划召开的会议)
through the API, readers open the superior's views. Every acknowledged write
(201 with an id) is appended to --acked; per third of the run (both servers,
after server A died, after the primary died) the requests, errors and
latencies go to --figures."""
import argparse
import json
import threading
import time
import urllib.error
import urllib.request

USER, PASSWORD = "dangwei", "Tongpin@2026"
PHASES = ["两台服务器与主库", "服务器 A 停止后", "主库停止、副本提升后"]


def call(base, method, path, token=None, body=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def login(base, deadline):
    while time.time() < deadline:
        try:
            status, body = call(base, "POST", "/api/v1/session", body={"username": USER, "password": PASSWORD})
            if status == 200:
                return json.loads(body)["token"]
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("could not log in")


class Figures:
    def __init__(self, start, duration):
        self.start, self.third = start, duration / 3
        self.lock = threading.Lock()
        self.rows = [{"requests": 0, "errors": 0, "writes": 0, "ms": []} for _ in PHASES]
        self.failures = {}

    def add(self, ok, ms, wrote=False, status=None):
        i = min(int((time.time() - self.start) / self.third), len(PHASES) - 1)
        with self.lock:
            r = self.rows[i]
            r["requests"] += 1
            r["errors"] += 0 if ok else 1
            r["writes"] += 1 if wrote else 0
            r["ms"].append(ms)
            if not ok:
                key = f"{PHASES[i]}: HTTP {status}" if status else f"{PHASES[i]}: 连接失败或超时"
                self.failures[key] = self.failures.get(key, 0) + 1

    def table(self):
        out = ["| 阶段 | 请求数 | 出错数 | 已确认写入 | p50 ms | p99 ms |", "|---|---:|---:|---:|---:|---:|"]
        for name, r in zip(PHASES, self.rows):
            ms = sorted(r["ms"]) or [0]
            p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]
            out.append(f"| {name} | {r['requests']} | {r['errors']} | {r['writes']} | {p(0.5):.0f} | {p(0.99):.0f} |")
        out.append("")
        out += [f"- {k}: {v}" for k, v in sorted(self.failures.items())]
        return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--duration", type=float, default=36)
    ap.add_argument("--acked", required=True)
    ap.add_argument("--figures", required=True)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--readers", type=int, default=2)
    a = ap.parse_args()
    start = time.time()
    end = start + a.duration
    token = login(a.base, end)
    status, body = call(a.base, "GET", "/api/v1/orgs", token)
    items = json.loads(body)
    items = items.get("items", items) if isinstance(items, dict) else items
    branches = [o["id"] for o in items if o.get("kind") == "branch"]
    root = items[0]["id"]
    if not branches:
        raise SystemExit("no branch in the demo tree")
    figures = Figures(start, a.duration)
    acked = open(a.acked, "w")
    acked_lock = threading.Lock()

    def timed(method, path, body=None):
        t = time.time()
        try:
            status, out = call(a.base, method, path, token, body)
        except OSError:
            status, out = 0, b""
        return status, out, (time.time() - t) * 1000

    def writer(w):
        n = 0
        while time.time() < end:
            n += 1
            body = {"org_id": branches[(w + n) % len(branches)], "kind": "theme_day", "status": "planned",
                    "held_at": f"2027-0{1 + w % 9}-{1 + n % 28:02d} 09:00", "topic": f"负载测试 {w}-{n}"}
            status, out, ms = timed("POST", "/api/v1/meetings", body)
            ok = status == 201
            if ok:
                with acked_lock:
                    acked.write(json.loads(out)["id"] + "\n")
                    acked.flush()
            figures.add(ok, ms, ok, status)
            if not ok:
                time.sleep(0.05)

    def reader(_):
        views = [f"/api/v1/orgs/{root}/supervision", f"/api/v1/orgs/{root}/matrix", "/healthz"]
        n = 0
        while time.time() < end:
            n += 1
            status, _, ms = timed("GET", views[n % len(views)])
            figures.add(status == 200, ms, status=status)
            if status != 200:
                time.sleep(0.05)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(a.writers)]
    threads += [threading.Thread(target=reader, args=(i,)) for i in range(a.readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    acked.close()
    with open(a.figures, "w") as f:
        f.write(figures.table())


if __name__ == "__main__":
    main()
