#!/usr/bin/env python3
"""The client side of bench/local-runner.sh: one long-lived process that times what a user waits for, with HTTP
connections kept alive and polls 5 ms apart, so no figure includes starting a curl process per request (tens of
milliseconds each on two busy cores, more than the steps being timed).

  app-start STARTS JAVA_ARGS...   starts the tenant app STARTS times, prints each start-to-first-answer in ms
  signups PORT KEY TENANTS HOST OUTBOX
                                  signs up TENANTS tenants on the runner at 127.0.0.1:PORT, prints one line each

A signup is done when its welcome email is in the runner's OUTBOX (written when it is sent, after the tenant's link
answered), seen by listing the folder every 2 ms, and the tenant's status then says running and sent. Polling the
runner's API every few ms instead would load the runner's CPU while the tenant's app starts beside it on two cores:
the landing page polls every 700 ms (app.js), and the runner moves a signup on by itself.
"""
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

POLL_SECONDS = 0.005


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(host, port, host_header=None):
    """Whether an HTTP GET of / gets an answer below 500 (a refused or reset connection is no answer)."""
    connection = http.client.HTTPConnection(host, port, timeout=5)
    try:
        connection.request("GET", "/", headers={"Host": host_header} if host_header else {})
        response = connection.getresponse()
        response.read()
        return response.status < 500
    except OSError:
        return False
    finally:
        connection.close()


def app_start(starts, java_args):
    for _ in range(starts):
        port = free_port()
        env = dict(os.environ, PORT=str(port), BIND_HOST="127.0.0.1", TENANT_ID="bench")
        began = time.monotonic()
        app = subprocess.Popen(java_args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while not answers("127.0.0.1", port):
                if app.poll() is not None:
                    sys.exit("the tenant app exited with code %d before it answered" % app.returncode)
                time.sleep(POLL_SECONDS)
            print(round((time.monotonic() - began) * 1000))
        finally:
            app.kill()
            app.wait()


class Api:
    """The runner's HTTP API over one kept-alive connection, opened again if the server closed it."""

    def __init__(self, port, key):
        self.port = port
        self.headers = {"x-api-key": key, "content-type": "application/json"}
        self.connection = None

    def send(self, method, path, body=None):
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.connection.request(method, path, body=body, headers=self.headers)
                response = self.connection.getresponse()
                return response.status, json.loads(response.read() or b"{}")
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise


def emailed(outbox, tenant):
    prefix = "welcome-%s-" % tenant
    try:
        return any(name.startswith(prefix) and name.endswith(".eml") for name in os.listdir(outbox))
    except FileNotFoundError:
        return False


def signups(port, key, tenants, tenant_host, outbox):
    api = Api(port, key)
    for i in range(1, tenants + 1):
        tenant = "bench-%d" % i
        began = time.monotonic()
        status, _ = api.send("POST", "/provision", json.dumps({"userId": tenant, "email": "b%d@example.com" % i}))
        accepted = time.monotonic()
        if status >= 300:
            sys.exit("POST /provision for %s answered %d" % (tenant, status))
        deadline = began + 60
        while not emailed(outbox, tenant):
            if time.monotonic() > deadline:
                sys.exit("no welcome email for %s in %s after 60 s" % (tenant, outbox))
            time.sleep(0.002)
        done = time.monotonic()
        _, described = api.send("GET", "/tenants/" + tenant)
        if described.get("state") != "running" or described.get("notification") != "sent":
            sys.exit("%s was emailed but is %s, notification %s" % (tenant, described.get("state"),
                                                                    described.get("notification")))
        # sslip.io names need DNS, which this machine may not have: the link's host is sent as the Host header to the
        # tenant host, which is what the name resolves to.
        link = urlsplit(described["accessUrl"])
        if not answers(tenant_host, link.port, link.netloc):
            sys.exit("%s's link %s does not answer" % (tenant, described["accessUrl"]))
        print("%s %d %d %s" % (tenant, round((accepted - began) * 1000), round((done - began) * 1000),
                               described["taskId"]))


if __name__ == "__main__":
    if sys.argv[1] == "app-start":
        app_start(int(sys.argv[2]), sys.argv[3:])
    elif sys.argv[1] == "signups":
        signups(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6])
    else:
        sys.exit(__doc__)
