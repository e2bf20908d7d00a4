"""A tongpin server for the battery: started on a free loopback port, waited
for, logged into, killed. Only the standard library."""
import http.client
import json
import os
import signal
import socket
import subprocess
import time

DEMO_PASSWORD = "Tongpin@2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`tongpin <mode> --db <db>` on a free port; `mode` is demo or serve."""

    def __init__(self, binary, mode, db, workdir, log_name="server.log"):
        self.binary, self.mode, self.db, self.workdir = binary, mode, db, workdir
        self.port = free_port()
        self.log = open(os.path.join(workdir, log_name), "ab")
        self.proc = None

    def start(self, timeout=180):
        self.proc = subprocess.Popen(
            [self.binary, self.mode, "--db", self.db, "--listen", f"127.0.0.1:{self.port}"],
            cwd=self.workdir,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}; see {self.log.name}")
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the server did not answer /healthz in time")

    def kill9(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()

    def request(self, method, path, body=None, token=None, timeout=30, raw=None, headers=None):
        """(status, parsed JSON or text). `raw` sends bytes as they are."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = {"Host": f"127.0.0.1:{self.port}"}
        if token:
            h["Authorization"] = f"Bearer {token}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            text = r.read().decode("utf-8", "replace")
        finally:
            conn.close()
        try:
            return r.status, json.loads(text)
        except ValueError:
            return r.status, text

    def login(self, username, password=DEMO_PASSWORD):
        status, body = self.request("POST", "/api/v1/session", {"username": username, "password": password})
        if status != 201 and status != 200:
            raise RuntimeError(f"login {username}: {status} {body}")
        return body["token"]

    def branch_id(self, token):
        status, body = self.request("GET", "/api/v1/orgs", token=token)
        if status != 200:
            raise RuntimeError(f"GET /api/v1/orgs: {status} {body}")
        items = body["items"] if isinstance(body, dict) else body
        return next(o["id"] for o in items if o["kind"] == "branch" and not o.get("dissolved_at"))
