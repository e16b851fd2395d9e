#!/usr/bin/env python3
"""Load generator for bench/webui-vs-openqa.sh: creates jobs through POST /api/v1/jobs, signed the way
openqa-cli signs (HMAC-SHA1 over path + query + timestamp), then times GET /api/v1/jobs.
One persistent HTTP/1.1 connection per client thread; prints one JSON line of rates."""
import argparse, hashlib, hmac, http.client, json, threading, time, urllib.parse

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--key", required=True)
p.add_argument("--secret", required=True)
p.add_argument("--jobs", type=int, default=10000)
p.add_argument("--concurrency", type=int, default=4)
p.add_argument("--pages", type=int, default=1000, help="GET /api/v1/jobs?limit=100 requests")
p.add_argument("--full", type=int, default=20, help="GET /api/v1/jobs?limit=10000 requests")
a = p.parse_args()


def run(total, one):
    """Runs one(conn, i) for i in range(total) on a.concurrency threads; returns requests per second."""
    counter = iter(range(total))
    lock = threading.Lock()
    errors = []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=600)
        while True:
            with lock:
                i = next(counter, None)
            if i is None or errors:
                break
            try:
                one(conn, i)
            except Exception as e:  # noqa: BLE001 - report the first failure and stop
                errors.append(f"request {i}: {e}")
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(a.concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise SystemExit(errors[0])
    return total / elapsed


def create(conn, i):
    path = "/api/v1/jobs"
    ts = str(int(time.time()))
    sig = hmac.new(a.secret.encode(), (path + ts).encode(), hashlib.sha1).hexdigest()
    body = urllib.parse.urlencode({"DISTRI": "bench", "VERSION": "1", "FLAVOR": "dvd", "ARCH": "x86_64",
                                   "BUILD": str(i // 100), "TEST": f"test{i}", "MACHINE": "64bit"})
    conn.request("POST", path, body, {"X-API-Key": a.key, "X-API-Microtime": ts, "X-API-Hash": sig,
                                      "Content-Type": "application/x-www-form-urlencoded"})
    r = conn.getresponse()
    data = r.read()
    if r.status != 200 or "id" not in json.loads(data):
        raise RuntimeError(f"POST {r.status} {data[:200]!r}")


def getter(limit, expect):
    def get(conn, i):
        conn.request("GET", f"/api/v1/jobs?limit={limit}")
        r = conn.getresponse()
        data = r.read()
        if r.status != 200:
            raise RuntimeError(f"GET {r.status} {data[:200]!r}")
        n = len(json.loads(data)["jobs"])
        if n < expect:
            raise RuntimeError(f"GET limit={limit} returned {n} jobs, expected at least {expect}")
    return get


result = {"create": run(a.jobs, create)}
result["get100"] = run(a.pages, getter(100, min(100, a.jobs)))
result["getall"] = run(a.full, getter(10000, min(10000, a.jobs)))
print(json.dumps(result))
