"""Load during a fault: 16 connections for 40 s against a running server; at 12 s the fault
is injected (Redis stopped for 5 s, or PostgreSQL restarted). Prints requests, answers by
status, and the recovery time. Driven by bench/faults.sh.

    python bench/faults.py --base http://127.0.0.1:8767 --fault redis|postgres
"""

import argparse
import collections
import subprocess
import threading
import time
import urllib.error
import urllib.request

CONNECTIONS = 16
SECONDS = 40.0
FAULT_AT = 12.0
REDIS_DOWN_SECONDS = 5.0
REDIS_START = [
    "redis-server",
    "--bind",
    "127.0.0.1",
    "--port",
    "6379",
    "--daemonize",
    "yes",
    "--save",
    "",
    "--dir",
    "/var/lib/redis",
]


def fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our server)
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        error.read()
        return error.code
    except OSError:
        return 0  # no answer at all (connection refused or reset)


def run(base: str, paths: list[str], fault: str) -> None:
    results: list[tuple[float, str, int]] = []
    lock = threading.Lock()
    start = time.monotonic()
    stop = start + SECONDS

    def worker(offset: int) -> None:
        n = offset
        while time.monotonic() < stop:
            path = paths[n % len(paths)]
            n += 1
            status = fetch(base + path)
            with lock:
                results.append((time.monotonic() - start, path, status))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    time.sleep(FAULT_AT)
    fault_start = time.monotonic() - start
    if fault == "redis":
        subprocess.run(["redis-cli", "shutdown", "nosave"], check=False, capture_output=True)
        time.sleep(REDIS_DOWN_SECONDS)
        subprocess.run(REDIS_START, check=True, capture_output=True)
    else:
        subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=True)
    fault_end = time.monotonic() - start
    for thread in threads:
        thread.join()

    statuses = collections.Counter(status for _t, _p, status in results)
    bad = [(t, p, s) for t, p, s in results if not 200 <= s < 300]
    last_bad = max((t for t, _p, _s in bad), default=None)
    print(f"fault: {fault}, injected at {fault_start:.1f} s, over at {fault_end:.1f} s")
    print(f"requests: {len(results)}, answers: {dict(sorted(statuses.items()))}")
    print(
        f"non-2xx: {len(bad)}  (500: {statuses.get(500, 0)}, 503: {statuses.get(503, 0)}, "
        f"no answer: {statuses.get(0, 0)})"
    )
    by_path = collections.Counter((p, s) for _t, p, s in bad)
    for (path, status), count in sorted(by_path.items()):
        print(f"  {status} x {count}  {path}")
    if last_bad is None:
        print("recovery: nothing failed")
    else:
        print(
            f"recovery: last non-2xx {max(0.0, last_bad - fault_end):.2f} s after the fault "
            f"ended ({last_bad - fault_start:.2f} s after it began)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--fault", choices=["redis", "postgres"], required=True)
    parser.add_argument("paths", nargs="+")
    options = parser.parse_args()
    run(options.base, options.paths, options.fault)
