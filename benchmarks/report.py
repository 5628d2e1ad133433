#!/usr/bin/env python3
"""Turns a JMH JSON result (and the batch CPU log) into a Markdown table of figures and ratios.

usage: report.py RESULT.json CPU.jsonl OUT.md [--profile NAME] [--seconds N]
Throughput of the sample-time benchmarks is threads / mean time (a closed loop per thread).
"""
import argparse
import json
import os
import platform
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("result")
ap.add_argument("cpu")
ap.add_argument("out")
ap.add_argument("--profile", default="?")
ap.add_argument("--seconds", type=int, default=0)
args = ap.parse_args()

with open(args.result) as f:
    runs = json.load(f)
cpu = {}
if os.path.exists(args.cpu):
    with open(args.cpu) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                cpu[(r["store"], r["size"])] = r

STORES = ["memory", "file", "h2", "postgres", "mariadb", "redis"]
res = {}  # (class, method, param) -> dict
failed = []
for r in runs:
    cls, method = r["benchmark"].split(".")[-2:]
    params = r.get("params", {})
    key = params.get("store") or params.get("peer") or "file"
    if "size" in params:
        key = (key, int(params["size"]))
    if "agents" in params:
        key = ("agents", int(params["agents"]))
    if "replicas" in params:
        key = ("replicas", int(params["replicas"]))
    if "stats" in params:
        key = (key, params["stats"])
    pm = r["primaryMetric"]
    if not pm.get("rawData") and not pm.get("rawDataHistogram") and pm.get("score") is None:
        failed.append(r["benchmark"])
    sec = r.get("secondaryMetrics", {})
    alloc = None
    for name, m in sec.items():
        if name.lstrip("·").strip() == "gc.alloc.rate.norm":
            alloc = m["score"]
    pct = pm.get("scorePercentiles", {})
    res[(cls, method, key)] = {
        "mean": pm["score"], "unit": pm["scoreUnit"], "threads": r["threads"],
        "p50": pct.get("50.0"), "p99": pct.get("99.0"), "alloc": alloc,
        "ops": r["threads"] * 1e6 / pm["score"] if pm["scoreUnit"] == "us/op" and pm["score"] else None,
    }


def get(cls, method, key):
    return res.get((cls, method, key))


def num(x, digits=0):
    if x is None:
        return "–"
    if digits == 0:
        return f"{x:,.0f}"
    return f"{x:,.{digits}f}"


def ratio(a, b):
    if not a or not b:
        return None
    return a / b


def rat(x, goal=None):
    if x is None:
        return "–"
    s = f"{x:.2f}x"
    if goal is not None:
        s += " ✓" if x >= goal else " ✗"
    return s


out = []
w = out.append
try:
    cpu_model = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
except Exception:
    cpu_model = platform.processor() or "?"
jvm = runs[0].get("vmName", "?") + " " + runs[0].get("jdkVersion", "?") if runs else "?"
w(f"# heartbeat benchmarks: `{args.profile}` profile")
w("")
w(f"Machine: {os.cpu_count()} cores ({cpu_model}), {platform.system()} {platform.release()}; JVM: {jvm}; "
  f"JMH {runs[0].get('jmhVersion', '?') if runs else '?'}; run took {args.seconds // 60} min {args.seconds % 60} s. "
  "All servers on loopback. The machine was shared with other work during the run: ratios between "
  "rows of the same run mean more than absolute figures.")
w("")
w("Throughput (ops/s) is threads / mean sample time; p50 and p99 are JMH sample-time percentiles; "
  "B/op is `-prof gc` `gc.alloc.rate.norm` (standard profile only). On a shared machine the mean is "
  "pulled by a few long stalls, so each ratio is given twice: by throughput (from the mean) and by "
  "p50 (baseline p50 / store p50, higher is better for the store).")
w("")

w("## 1. Renewal of one held lease vs the raw baseline (goal: store ≥ 0.8x raw)")
w("")
w("| store | threads | store ops/s | p50 µs | p99 µs | B/op | raw ops/s | raw p50 µs | raw B/op | store / raw (ops/s) | store / raw (p50) |")
w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for t in (1, 8):
    for s in STORES:
        a = get("RenewBench", f"store{t}", s)
        b = get("RenewBench", f"raw{t}", s)
        if not a and not b:
            continue
        a = a or {}
        b = b or {}
        w(f"| {s} | {t} | {num(a.get('ops'))} | {num(a.get('p50'), 1)} | {num(a.get('p99'), 1)} | "
          f"{num(a.get('alloc'))} | {num(b.get('ops'))} | {num(b.get('p50'), 1)} | {num(b.get('alloc'))} | "
          f"{rat(ratio(a.get('ops'), b.get('ops')), 0.8)} | {rat(ratio(b.get('p50'), a.get('p50')), 0.8)} |")
w("")
w("Raw baselines: memory = one `ConcurrentHashMap.computeIfPresent` swapping an immutable lease; "
  "file = write temp + fsync + rename + fsync directory, same disk; SQL = one prepared `UPDATE` of the "
  "same row (same compare, database clock) in auto-commit on the same Hikari pool; redis = Lettuce "
  "`EVALSHA` of an equivalent compare-and-set script on a connection of the same client.")
w("")

w("## 2. Peers on the same servers, same run (goal: store ≥ 1.5x each peer at 8 threads)")
w("")
w("| server | contender | per call | 1 t ops/s | 1 t p50 µs | 8 t ops/s | 8 t p50 µs | store / it, 1 t | store / it, 8 t | store / it by p50, 8 t |")
w("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
peers = [
    ("redis", "heartbeat-redis `renew`", None, "1 EVALSHA (TIME, HGET epoch, HMGET, HSET; one-string reply)"),
    ("redis", "raw Lettuce EVALSHA (baseline)", "raw", "1 EVALSHA (TIME, HMGET, HSET, PEXPIRE)"),
    ("redis", "raw Jedis EVALSHA (baseline)", "jedis-evalsha", "1 EVALSHA, same script, Jedis pool"),
    ("redis", "Redisson `RLock.lock(60 s)` (held)", "redisson", "1 EVALSHA (EXISTS, HEXISTS, HINCRBY, PEXPIRE)"),
    ("redis", "ShedLock redis-spring `extend`", "shedlock-redis", "1 `SET key value XX PX` (no owner check)"),
    ("redis", "ShedLock redis-spring `extend`, safeUpdate", "shedlock-redis-safe", "1 EVALSHA (GET, compare, PEXPIRE)"),
    ("postgres", "heartbeat-jdbc `renew`", None, "1 `UPDATE … RETURNING`, auto-commit"),
    ("postgres", "raw prepared UPDATE (baseline)", "raw", "1 `UPDATE`, auto-commit"),
    ("postgres", "ShedLock jdbc-template `extend`", "shedlock-postgres", "`UPDATE` + `COMMIT` (2 round trips)"),
]
for server, label, peer, per_call in peers:
    store = [get("RenewBench", f"store{t}", server) for t in (1, 8)]
    if peer is None:
        row = store
    elif peer == "raw":
        row = [get("RenewBench", f"raw{t}", server) for t in (1, 8)]
    else:
        row = [get("PeerBench", f"peer{t}", peer) for t in (1, 8)]
    ops = [r["ops"] if r else None for r in row]
    p50 = [r["p50"] if r else None for r in row]
    sops = [r["ops"] if r else None for r in store]
    sp50 = [r["p50"] if r else None for r in store]
    goal = 1.5 if peer not in (None, "raw", "jedis-evalsha") else None
    r1 = rat(ratio(sops[0], ops[0])) if peer else ""
    r8 = rat(ratio(sops[1], ops[1]), goal) if peer else ""
    q8 = rat(ratio(p50[1], sp50[1]), goal) if peer else ""
    w(f"| {server} | {label} | {per_call} | {num(ops[0])} | {num(p50[0], 1)} | {num(ops[1])} | "
      f"{num(p50[1], 1)} | {r1} | {r8} | {q8} |")
w("")

w("## 3. Batch renewal: one `renewAll` of N leases held by one process")
w("")
w("CPU is this JVM's process CPU time over the measured ticks (caller, driver and Lettuce I/O threads, "
  "GC, JIT; the OS counts it in 10 ms steps, so small batches read 0), not the server's. \"Max leases per 5 s tick\" extrapolates linearly from this size; "
  "\"at 25 % CPU\" is the count whose tick would use a quarter of one core every 5 s.")
w("")
w("| store | N | ms / tick | µs / lease | single renewal µs (1 t) | single / batch per lease | CPU ms / tick | % of one core, 5 s tick | max leases in 5 s (wall) | leases at 25 % CPU |")
w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
sizes = sorted({k[2][1] for k in res if k[0] in ("BatchRenewBench", "FileBatchRenewBench")})
for s in STORES:
    for n in sizes:
        cls = "FileBatchRenewBench" if s == "file" else "BatchRenewBench"
        key = ("file", n) if s == "file" else (s, n)
        b = get(cls, "renewAll", key)
        if not b:
            continue
        ms = b["mean"]
        per = ms * 1000 / n
        single = get("RenewBench", "store1", s)
        single_us = single["mean"] if single else None
        c = cpu.get((s, n))
        cpu_ms = c["cpuNanos"] / c["shots"] / 1e6 if c else None
        core = cpu_ms / 5000 * 100 if cpu_ms is not None else None
        max_wall = n * 5000 / ms if ms else None
        at25 = n * 1250 / cpu_ms if cpu_ms else None
        w(f"| {s} | {n:,} | {num(ms, 2)} | {num(per, 2)} | {num(single_us, 1)} | {rat(ratio(single_us, per))} | "
          f"{num(cpu_ms, 1)} | {num(core, 2)} | {num(max_wall)} | {num(at25)} |")
w("")

w("## 4. Heartbeat recording, 1 thread (baseline: the raw single write of the same backend)")
w("")
w("| store | plain ops/s | plain p50 µs | with progress ops/s | progress p50 µs | raw write ops/s | plain / raw | progress / raw |")
w("|---|---:|---:|---:|---:|---:|---:|---:|")
for s in STORES:
    a = get("RecordBench", "plain", s)
    p = get("RecordBench", "progress", s)
    raw = get("RenewBench", "raw1", s)
    if not a and not p:
        continue
    a = a or {}
    p = p or {}
    rops = raw["ops"] if raw else None
    w(f"| {s} | {num(a.get('ops'))} | {num(a.get('p50'), 1)} | {num(p.get('ops'))} | {num(p.get('p50'), 1)} | "
      f"{num(rops)} | {rat(ratio(a.get('ops'), rops))} | {rat(ratio(p.get('ops'), rops))} |")
w("")

w("## 5. Allocation on the in-memory renewal path (goal: none per renewal in steady state)")
w("")
m1 = get("RenewBench", "store1", "memory")
r1 = get("RenewBench", "raw1", "memory")
w(f"- `MemoryStore.renew`: {num(m1['alloc']) if m1 and m1['alloc'] is not None else '– (run with -prof gc)'} B/op; "
  f"raw `computeIfPresent` baseline: {num(r1['alloc']) if r1 and r1['alloc'] is not None else '–'} B/op.")
w("")
w("## 6. Detector tick cost (`DetectorCore`, no store read)")
w("")
det = [(n, get("DetectorBench", "evaluate", ("agents", n)), get("DetectorBench", "tick", ("agents", n)))
       for n in (10000, 100000)]
if any(e or t for _, e, t in det):
    w("| agents | evaluate ms | tick (observe all + evaluate) ms | tick µs / agent | tick / evaluate | % of one core at one tick per 5 s |")
    w("|---:|---:|---:|---:|---:|---:|")
    for n, e, t in det:
        em = e["mean"] if e else None
        tm = t["mean"] if t else None
        w(f"| {n:,} | {num(em, 2)} | {num(tm, 2)} | {num(tm * 1000 / n if tm else None, 2)} | "
          f"{rat(ratio(tm, em))} | {num(tm / 5000 * 100 if tm else None, 2)} |")
else:
    w("Not in this run.")
w("")
tick = [(n, get("DetectorTickBench", "evaluate", ("agents", n)),
         get("DetectorTickBench", "observeAndEvaluate", ("agents", n))) for n in (10000, 100000)]
if any(e or t for _, e, t in tick):
    w("`DetectorTickBench` (issue 6's steady-state round: a fifth of the agents has a new beat each 1 s round):")
    w("")
    w("| agents | evaluate ms | observe the new fifth + evaluate ms | % of one core at one round per s |")
    w("|---:|---:|---:|---:|")
    for n, e, t in tick:
        tm = t["mean"] if t else None
        w(f"| {n:,} | {num(e['mean'] if e else None, 2)} | {num(tm, 2)} | {num(tm / 1000 * 100 if tm else None, 2)} |")
    w("")
w("## 7. Redis renewal acknowledged by a replica (`waitForReplicas(1, 1 s)`), 1 thread")
w("")
plain, acked = get("ReplicaRenewBench", "renew1", ("replicas", 0)), get("ReplicaRenewBench", "renew1", ("replicas", 1))
if plain and acked:
    w("| store on a primary with one replica | mean µs | p50 µs | p99 µs | cost / without (mean) | cost / without (p50) |")
    w("|---|---:|---:|---:|---:|---:|")
    for label, r in (("without `waitForReplicas` (baseline)", plain), ("`waitForReplicas(1, 1 s)`: script + `WAIT`", acked)):
        w(f"| {label} | {num(r['mean'], 1)} | {num(r['p50'], 1)} | {num(r['p99'], 1)} | "
          f"{rat(ratio(r['mean'], plain['mean']))} | {rat(ratio(r['p50'], plain['p50']))} |")
else:
    w("Not in this run.")
w("")
w("## 9. Tasks: executing a task through the engine vs the raw store (`TaskBench`, `BatchClaimBench`)")
w("")
rows = [(st, get("TaskBench", "engine", st), get("TaskBench", "store", st)) for st in STORES]
if any(e or r for _, e, r in rows):
    w("| store | engine µs / task (submit, claim, empty handler, DONE; 4 slots) | raw store µs / task (submit, claim 4, end) | engine / raw |")
    w("|---|---:|---:|---:|")
    for st, e, r in rows:
        if e or r:
            w(f"| {st} | {num(e['mean'] if e else None, 1)} | {num(r['mean'] if r else None, 1)} | "
              f"{rat(ratio(e['mean'] if e else None, r['mean'] if r else None))} |")
    w("")
claims = sorted(k[2] for k in res if k[0] == "BatchClaimBench")
if claims:
    w("| store | tasks per claim | µs per claim | µs per task | cost per task / single claim |")
    w("|---|---:|---:|---:|---:|")
    for st, n in claims:
        c = get("BatchClaimBench", "claim", (st, n))
        one = get("BatchClaimBench", "claim", (st, 1))
        per = c["mean"] / n if c else None
        w(f"| {st} | {n:,} | {num(c['mean'] if c else None, 1)} | {num(per, 2)} | "
          f"{rat(ratio(per, one['mean'] if one else None))} |")
    w("")
if not any(e or r for _, e, r in rows) and not claims:
    w("Not in this run.")
    w("")
cmd = f"benchmarks/run.sh {args.profile}"
w("## 10. Tasks against issue 17's goals (`TaskThroughputBench`, `TaskLatencyBench`, `ClaimRenewBench`)")
w("")
w(f"Command: `{cmd}` (all figures below from that one run).")
w("")
tp = {st: (get("TaskThroughputBench", "execute", ("heartbeat", st)),
           get("TaskThroughputBench", "execute", ("db-scheduler", st))) for st in ("fresh", "analyzed")}
if any(h or d for h, d in tp.values()):
    w("Executed tasks per second on PostgreSQL (submit, claim, empty handler, completion committed), "
      "500 tasks an invocation, 4 executing threads on each side (heartbeat: one `TaskWorker` with "
      "`concurrency(4)`; db-scheduler 16.7.1: `threads(4)`), both polling every 10 ms (heartbeat "
      "`pollInterval`, db-scheduler `pollingInterval` with `pollUsingLockAndFetch(0.5, 1.0)`, no "
      "immediate execution), each on a HikariCP pool of 8; `fresh`: tables never analyzed, "
      "`analyzed`: both sides' tables analyzed after each iteration (the steady state once "
      "autovacuum ran):")
    w("")
    w("| tables | engine | µs / task | tasks / s | heartbeat / db-scheduler (goal ≥ 2x) |")
    w("|---|---|---:|---:|---:|")
    for st, (hbt, dbs) in tp.items():
        for label, r in (("heartbeat", hbt), ("db-scheduler", dbs)):
            w(f"| {st} | {label} | {num(r['mean'] if r else None, 1)} | {num(r['ops'] if r else None)} | "
              + (rat(ratio(hbt["ops"] if hbt else None, dbs["ops"] if dbs else None), 2) if label == "heartbeat" else "1.00x (baseline)")
              + " |")
    w("")
lat = [(st, get("TaskLatencyBench", "submitToStart", st)) for st in STORES]
if any(r for _, r in lat):
    w("Claim latency at an idle queue, submit to handler start, the worker polling every 50 ms "
      "(no store notifies a worker yet; submits land at a random point of the poll interval):")
    w("")
    w("| store | samples | p50 ms | p99 ms | p99 / 100 ms goal (≤ 1 meets it) |")
    w("|---|---:|---:|---:|---:|")
    for st, r in lat:
        if r:
            n = sum(sum(c for _, c in h) for it in next((x for x in runs if x["benchmark"].endswith("TaskLatencyBench.submitToStart")
                    and x.get("params", {}).get("store") == st))["primaryMetric"].get("rawDataHistogram", []) for h in it)
            p99 = r["p99"]
            w(f"| {st} | {num(n)} | {num(r['p50'], 1)} | {num(p99, 1)} | "
              f"{'–' if p99 is None else f'{p99 / 100:.2f}' + (' ✓' if p99 < 100 else ' ✗')} |")
    w("")
ren = sorted({k[2] for k in res if k[0] == "ClaimRenewBench"})
if ren:
    w("Claim renewal: one `renewClaims` call of N in-flight claims vs one renewal on its own "
      "(`renewOne`: a warm `renewClaims` of one claim, 100 a shot, per call, on the same store in "
      "the same trial; without it, the `size=1` shot):")
    w("")
    w("| store | claims per call | µs per call | µs per claim | one renewal alone µs (same trial) | one renewal / per-claim cost (goal ≥ 10x) | one renewal alone µs (1-claim trial) | ratio against it |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|")
    for st, n in ren:
        if n == 1 and get("ClaimRenewBench", "renewOne", (st, 1)):
            continue
        c = get("ClaimRenewBench", "renew", (st, n))
        one = get("ClaimRenewBench", "renewOne", (st, n)) or get("ClaimRenewBench", "renew", (st, 1))
        per = c["mean"] / n if c else None
        alone = get("ClaimRenewBench", "renewOne", (st, 1))
        w(f"| {st} | {n:,} | {num(c['mean'] if c else None, 1)} | {num(per, 2)} | "
          f"{num(one['mean'] if one else None, 1)} | {rat(ratio(one['mean'] if one else None, per), 10)} | "
          f"{num(alone['mean'] if alone else None, 1)} | {rat(ratio(alone['mean'] if alone else None, per), 10)} |")
    w("")
if not any(h or d for h, d in tp.values()) and not any(r for _, r in lat) and not ren:
    w("Not in this run.")
    w("")
if failed:
    w("## Failed or empty results")
    w("")
    for f_ in failed:
        w(f"- {f_}")
with open(args.out, "w") as f:
    f.write("\n".join(out) + "\n")
print("\n".join(out))
sys.exit(1 if failed else 0)
