"""Writes docs/reliability.md from the battery's JSON results."""
import datetime
import json
import os
import platform
import sys


def load(tmp, name):
    path = os.path.join(tmp, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def main():
    tmp, out, props, hostile, matrix_sqlite, matrix_pg, revision = sys.argv[1:8]
    r1, r2, fuzz, xss = (load(tmp, n) for n in ("r1.json", "r2.json", "fuzz.json", "xss.json"))
    lines = [
        "# Reliability battery (可靠性测试)",
        "",
        f"Written by `scripts/battery` on {datetime.date.today()} at revision `{revision}`, on a machine with "
        f"{os.cpu_count()} cores ({platform.machine()}), debug build. Rerun it to refresh every figure; a failed part "
        "fails the script. A short version (a few seconds of load, three kills, three fuzz cases per operation, "
        "eight payloads) runs in `scripts/test`.",
        "",
        "## R1 — mixed load (readers and writers at once)",
        "",
        "Writers add people through the API (`POST /api/v1/people`) and keep every id the server acknowledged (201); "
        "readers search the roster, list organizations, read their to-dos and the health check. Afterwards every "
        "acknowledged id is read back.",
        "",
        "| engine | seconds | writers / readers | requests | req/s | ≥ 500 | transport errors | acknowledged writes | lost |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in r1 or []:
        lines.append(f"| {r['engine']} | {r['seconds']} | {r['writers']} / {r['readers']} | {r['requests']} | "
                     f"{r['per_second']} | {r['five_xx']} | {r['transport_errors']} | {r['acknowledged_writes']} | "
                     f"{r['lost_writes']} |")
    lines += [
        "",
        "## R2 — kill -9 during writes",
        "",
        "SQLite: the server is killed with SIGKILL 0.2–0.8 s into a burst of writes by three writers, restarted, "
        "`PRAGMA integrity_check` is run and every acknowledged id must be in the database. PostgreSQL: the database "
        "server itself is stopped in immediate mode (no checkpoint, as a crash) during writes and started again.",
        "",
        "| engine | kills | acknowledged writes | lost | integrity failures |",
        "|---|---|---|---|---|",
    ]
    for r in r2 or []:
        lines.append(f"| {r['engine']} | {r['kills']} | {r['acknowledged_writes']} | {r['lost_writes']} | "
                     f"{r['integrity_failures']} |")
    lines += ["", "## S1 — property tests and API fuzz", ""]
    lines.append(f"- Property tests of the validators and importers (`crates/core/tests/proptests.rs`, 256 cases "
                 f"each): {props}.")
    if fuzz:
        statuses = ", ".join(f"{k}: {v}" for k, v in fuzz["statuses"].items())
        lines.append(f"- API fuzz from `/api/openapi.json` ({fuzz['operations']} operations, as the committee's "
                     f"org admin, the system admin and a branch secretary; bodies from each schema, wrong types, "
                     f"edge values, hostile strings, malformed JSON): {fuzz['requests']} requests, "
                     f"**{fuzz['five_xx']} answered 500 or more**. Statuses: {statuses}.")
        for f in fuzz.get("failures", []):
            lines.append(f"  - {f}")
    lines += ["", "## S5 — stored XSS rendered in Chromium", ""]
    if xss:
        lines.append(f"{xss['payloads']} payloads, each stored through the API in the text fields of a meeting "
                     f"(topic, agenda, place), a goal (title, description, KPI name), a person (name, posts) and an "
                     f"organization (name): {xss['accepted']} stored, {xss['refused']} refused by validation, "
                     f"{xss['server_errors']} server errors. {xss['pages']} pages that show them were rendered in "
                     f"headless Chromium with alert, confirm, prompt and a marker function counting calls: "
                     f"**{xss['executed']} executed**.")
    lines += [
        "",
        "## Matrices and hostile files (cargo tests)",
        "",
        f"- Authorization matrix (every route of the registry × every demo role × an object inside and outside the "
        f"caller's subtree) and the three admins (every pair of admin kinds): SQLite {matrix_sqlite}; "
        f"PostgreSQL {matrix_pg}.",
        f"- Hostile spreadsheets (sparse, wide, deep, zip bomb, malformed; memory measured): {hostile}.",
        "",
    ]
    with open(out, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
