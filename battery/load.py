"""R1 (mixed load) and R2 (kill -9 during writes): no 5xx under load and no
acknowledged write lost. Writers add people through the API and keep the ids
the server acknowledged (201); afterwards every one of them must be there."""
import itertools
import json
import os
import random
import sqlite3
import subprocess
import threading
import time

from server import Server

PEOPLE_READS = ["/api/v1/people?q=%E7%8E%8B", "/api/v1/people?page=2", "/api/v1/todos", "/api/v1/orgs", "/healthz"]


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = {}
        self.errors = 0
        self.acked = []

    def status(self, s):
        with self.lock:
            self.statuses[s] = self.statuses.get(s, 0) + 1

    def error(self):
        with self.lock:
            self.errors += 1

    def five_xx(self):
        return sum(n for s, n in self.statuses.items() if s >= 500)


def writer(srv, token, org, tally, stop, seq):
    while not stop.is_set():
        n = next(seq)
        try:
            s, body = srv.request("POST", "/api/v1/people", {"name": f"压测{n:06d}", "gender": "男", "org_id": org, "status": "applicant"},
                                  token=token, timeout=60)
        except OSError:
            tally.error()
            continue
        tally.status(s)
        if s == 201 and isinstance(body, dict):
            with tally.lock:
                tally.acked.append(body["id"])


def reader(srv, token, tally, stop):
    while not stop.is_set():
        try:
            s, _ = srv.request("GET", random.choice(PEOPLE_READS), token=token, timeout=60)
        except OSError:
            tally.error()
            continue
        tally.status(s)


def run_load(srv, token, org, seconds, writers, readers):
    tally, stop, seq = Tally(), threading.Event(), itertools.count(1)
    threads = [threading.Thread(target=writer, args=(srv, token, org, tally, stop, seq)) for _ in range(writers)]
    threads += [threading.Thread(target=reader, args=(srv, token, tally, stop)) for _ in range(readers)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    return tally


def r1(binary, engine, db, workdir, seconds, writers=4, readers=12):
    srv = Server(binary, "demo", db, workdir, f"r1-{engine}.log").start()
    try:
        token = srv.login("dangwei")
        org = srv.branch_id(token)
        started = time.time()
        tally = run_load(srv, token, org, seconds, writers, readers)
        elapsed = time.time() - started
        lost = [i for i in tally.acked if srv.request("GET", f"/api/v1/people/{i}", token=token)[0] != 200]
    finally:
        srv.stop()
    total = sum(tally.statuses.values())
    return {
        "engine": engine, "seconds": round(elapsed, 1), "writers": writers, "readers": readers,
        "requests": total, "per_second": round(total / elapsed, 1), "five_xx": tally.five_xx(),
        "transport_errors": tally.errors, "acknowledged_writes": len(tally.acked), "lost_writes": len(lost),
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
    }


def sqlite_check(path, acked):
    con = sqlite3.connect(path)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        present = {r[0] for r in con.execute("SELECT id FROM people")}
    finally:
        con.close()
    return integrity, [i for i in acked if i not in present]


def r2_sqlite(binary, workdir, kills):
    path = os.path.join(workdir, "r2.db")
    db = f"sqlite://{path}"
    first = Server(binary, "demo", db, workdir, "r2-sqlite.log").start()
    token = first.login("dangwei")
    org = first.branch_id(token)
    first.stop()
    acked, bad_integrity, lost, seq = [], 0, 0, itertools.count(1)
    for _ in range(kills):
        srv = Server(binary, "serve", db, workdir, "r2-sqlite.log").start()
        token = srv.login("dangwei")
        tally, stop = Tally(), threading.Event()
        threads = [threading.Thread(target=writer, args=(srv, token, org, tally, stop, seq)) for _ in range(3)]
        for t in threads:
            t.start()
        time.sleep(random.uniform(0.2, 0.8))
        srv.kill9()
        stop.set()
        for t in threads:
            t.join()
        acked += tally.acked
        integrity, missing = sqlite_check(path, acked)
        bad_integrity += integrity != "ok"
        lost += len(missing)
        acked = [i for i in acked if i not in missing]
    return {"engine": "sqlite", "kills": kills, "acknowledged_writes": len(acked) + lost,
            "lost_writes": lost, "integrity_failures": bad_integrity}


def pg_cluster():
    version = sorted(os.listdir("/etc/postgresql"))[0]
    return version


def r2_postgres(binary, workdir, pg_url, stops):
    """An immediate stop of the PostgreSQL server (no checkpoint, as a crash)
    while writes are in flight; afterwards every acknowledged id is there."""
    db = f"{pg_url.rsplit('/', 1)[0]}/tongpin_battery"
    subprocess.run(["psql", pg_url, "-qc", "DROP DATABASE IF EXISTS tongpin_battery"], check=True)
    subprocess.run(["psql", pg_url, "-qc", "CREATE DATABASE tongpin_battery"], check=True)
    version = pg_cluster()
    srv = Server(binary, "demo", db, workdir, "r2-postgres.log").start()
    acked, seq = [], itertools.count(1)
    try:
        token = srv.login("dangwei")
        org = srv.branch_id(token)
        for _ in range(stops):
            tally, stop = Tally(), threading.Event()
            threads = [threading.Thread(target=writer, args=(srv, token, org, tally, stop, seq)) for _ in range(3)]
            for t in threads:
                t.start()
            time.sleep(random.uniform(0.3, 1.0))
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop", "-m", "immediate"],
                           check=True, capture_output=True)
            stop.set()
            for t in threads:
                t.join()
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True,
                           capture_output=True)
            acked += tally.acked
            for _ in range(100):
                if srv.request("GET", "/healthz")[0] == 200:
                    break
                time.sleep(0.2)
        out = subprocess.run(["psql", db, "-Atc", "SELECT id FROM people"], check=True, capture_output=True, text=True)
        present = set(out.stdout.split())
    finally:
        srv.stop()
        subprocess.run(["psql", pg_url, "-qc", "DROP DATABASE IF EXISTS tongpin_battery"], capture_output=True)
    lost = [i for i in acked if i not in present]
    return {"engine": "postgres", "kills": stops, "acknowledged_writes": len(acked), "lost_writes": len(lost),
            "integrity_failures": 0}


if __name__ == "__main__":
    import sys
    binary, what, workdir, out = sys.argv[1:5]
    quick = os.environ.get("BATTERY_QUICK") == "1"
    pg_url = os.environ.get("TONGPIN_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")
    if what == "r1":
        seconds = 5 if quick else 60
        result = [r1(binary, "sqlite", f"sqlite://{workdir}/r1.db", workdir, seconds)]
        if os.environ.get("BATTERY_PG", "1") == "1":
            pg_db = f"{pg_url.rsplit('/', 1)[0]}/tongpin_battery_r1"
            subprocess.run(["psql", pg_url, "-qc", "DROP DATABASE IF EXISTS tongpin_battery_r1"], check=True)
            subprocess.run(["psql", pg_url, "-qc", "CREATE DATABASE tongpin_battery_r1"], check=True)
            try:
                result.append(r1(binary, "postgres", pg_db, workdir, seconds))
            finally:
                subprocess.run(["psql", pg_url, "-qc", "DROP DATABASE IF EXISTS tongpin_battery_r1"], capture_output=True)
    else:
        result = [r2_sqlite(binary, workdir, 3 if quick else 100)]
        if os.environ.get("BATTERY_PG", "1") == "1" and not quick:
            result.append(r2_postgres(binary, workdir, pg_url, 10))
    with open(out, "w") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    bad = any(r.get("five_xx", 0) or r["lost_writes"] or r.get("integrity_failures", 0) for r in result)
    print(json.dumps(result, ensure_ascii=False))
    sys.exit(1 if bad else 0)
