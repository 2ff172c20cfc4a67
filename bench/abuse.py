#!/usr/bin/env python3
"""What abuse costs everyone else: the time of a normal search while an abusive client
works on the same server, beside the same search on the idle server, and the server's
resident memory before and after. Run by bench/abuse.sh, which starts the server.

Usage: bench/abuse.py PORT SERVER_PID

Loopback only, every loop bounded in count and time.
"""
import http.client
import resource
import socket
import statistics
import sys
import threading
import time

NORMAL = "/api/search?q=shelter"
WILDCARDS = "/api/search?q=" + "+OR+".join(c + "*" for c in "abcdefghijklmnopqrstuvwxyz")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def searches(port, count, target=NORMAL):
    """Milliseconds per search, over one keep-alive connection from 127.0.0.1."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", target)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"{target}: status {response.status}")
        times.append((time.perf_counter() - started) * 1000)
    connection.close()
    return times


def open_from(address, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((address, 0))
    s.settimeout(2)
    try:
        s.connect(("127.0.0.1", port))
    except OSError:
        s.close()
        return None
    return s


def wildcard_loop(port, stop, outcomes):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while not stop.is_set():
        started = time.perf_counter()
        connection.request("GET", WILDCARDS)
        response = connection.getresponse()
        response.read()
        outcomes.append((response.status, (time.perf_counter() - started) * 1000))
    connection.close()


def during(name, port, pid, abuse, settle=2.0):
    """Runs abuse(stop) in a thread, measures searches meanwhile, and memory around it."""
    before = rss_mib(pid)
    stop = threading.Event()
    thread = threading.Thread(target=abuse, args=(stop,))
    thread.start()
    time.sleep(1.0)  # let the abuse take hold
    times = searches(port, 200)
    stop.set()
    thread.join()
    time.sleep(settle)
    after = rss_mib(pid)
    return name, statistics.median(times), max(times), before, after


def main():
    port, pid = int(sys.argv[1]), int(sys.argv[2])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    searches(port, 50)  # warm every server thread
    idle = searches(port, 300)
    rows = [("idle", statistics.median(idle), max(idle), rss_mib(pid), rss_mib(pid))]

    outcomes = []

    def wildcards(stop):
        loops = [threading.Thread(target=wildcard_loop, args=(port, stop, outcomes)) for _ in range(2)]
        for loop in loops:
            loop.start()
        for loop in loops:
            loop.join()

    rows.append(during("two clients sending a*..z* without pause", port, pid, wildcards))

    def flood(stop):
        held = []
        for _ in range(min(10050, hard - 200)):
            s = open_from("127.0.0.2", port)
            if s is None:
                continue
            try:
                s.send(b"GET /healthz HTTP/1.1\r\n")
            except OSError:
                pass
            held.append(s)
        stop.wait(30)
        for s in held:
            s.close()

    rows.append(during("10,050 unfinished headers from one address", port, pid, flood))

    def slow_headers(stop):
        clients = [s for s in (open_from(f"127.0.0.{3 + i % 10}", port) for i in range(500)) if s]
        request = b"GET /api/search?q=shelter HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 400
        for byte in range(len(request)):
            if stop.is_set():
                break
            for s in clients:
                try:
                    s.send(request[byte:byte + 1])
                except OSError:
                    pass
            time.sleep(0.05)
        for s in clients:
            s.close()

    rows.append(during("500 slow-header clients from 10 addresses", port, pid, slow_headers))

    statuses = sorted({status for status, _ in outcomes})
    wildcard_ms = statistics.median([ms for _, ms in outcomes]) if outcomes else float("nan")
    print(f"{'while':48} {'search p50 ms':>14} {'max ms':>8} {'RSS before':>11} {'RSS after':>10}")
    for name, p50, worst, before, after in rows:
        print(f"{name:48} {p50:14.2f} {worst:8.1f} {before:9.1f} M {after:8.1f} M")
    print(f"\nthe a*..z* query itself: {len(outcomes)} sent, status {statuses}, median {wildcard_ms:.1f} ms")
    print(f"search p50 under abuse / idle: " +
          ", ".join(f"{p50 / rows[0][1]:.2f}x" for _, p50, _, _, _ in rows[1:]))


if __name__ == "__main__":
    main()
