#!/usr/bin/env python3
"""Dedup benchmark: bertforge's `dedup` beside datasketch (MinHash 256 + MinHashLSH 0.7), same corpus, same run.

Quality: pairwise precision/recall against ground truth = every pair of documents (after exact dedup) whose exact
Jaccard similarity of word 5-gram shingle sets is >= 0.7, found by an exact all-pairs join (prefix filtering: a
pair at or above the threshold cannot be missed). Shingles are bertforge's definition (lowercase; tokens = runs of
Unicode letters, digits, underscore; 5 tokens joined by one space), built here independently in Python and fed to
datasketch as UTF-8 bytes.

Speed: CPU time (user + sys) of bertforge's whole `./bertforge dedup` command (JVM start, read, exact + near dedup, writing
kept/clusters/stats) against datasketch's MinHash + LSH insert + query in one Python process (its shingling
included, its JSON reading excluded), and MB of text per CPU second.

Usage:
  PYTHONPATH=/path/to/datasketch python examples/bench/dedup_bench.py --corpus=/work/bench-data/linux-c-pair.jsonl \
      [--runners=direct,flink] [--verify=signature,exact,none] [--quality] [--out=bench-out/dedup]
datasketch is not on the project's PyPI mirror: either `pip install datasketch` (real package) or point PYTHONPATH
at a reconstruction of its MinHash/MinHashLSH (e.g. /work/anchors/datasketch); the script prints which it used.
The machine may be shared: both figures come from the same run, side by side.
"""
import argparse
import json
import math
import os
import re
import resource
import subprocess
import sys
import time
import unicodedata
from collections import defaultdict

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def token_pattern():
    """Runs of what Java's Character.isLetterOrDigit accepts (categories L*, Nd) plus underscore."""
    ranges, start = [], None
    for cp in range(0x110000):
        ok = cp == 0x5F or unicodedata.category(chr(cp)) in ("Lu", "Ll", "Lt", "Lm", "Lo", "Nd")
        if ok and start is None:
            start = cp
        elif not ok and start is not None:
            ranges.append((start, cp - 1))
            start = None
    body = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return re.compile("[" + body + "]+")


TOKEN = token_pattern()


def shingles(text, n=5):
    tokens = TOKEN.findall(text.lower())
    if not tokens:
        return []
    if len(tokens) < n:
        return [" ".join(tokens)]
    return [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def normalize(text):
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def read_corpus(path):
    docs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            docs.append((str(record["id"]), record["text"]))
    return docs


def exact_representatives(docs):
    """Smallest id per normalized text (bertforge's ExactDuplicates)."""
    best = {}
    for doc_id, text in docs:
        key = normalize(text)
        if key not in best or doc_id < best[key][0]:
            best[key] = (doc_id, text)
    return sorted(best.values())


def ground_truth_pairs(sets, threshold):
    """All pairs with exact Jaccard >= threshold: prefix filtering over shingles ordered rare-first."""
    frequency = defaultdict(int)
    for s in sets:
        for x in s:
            frequency[x] += 1
    order = {x: (f, x) for x, f in frequency.items()}
    ranked = [sorted(s, key=order.__getitem__) for s in sets]
    index = defaultdict(list)
    pairs = set()
    by_size = sorted(range(len(sets)), key=lambda i: len(sets[i]))
    for i in by_size:
        size = len(ranked[i])
        if size == 0:
            continue
        prefix = size - math.ceil(threshold * size) + 1
        candidates = set()
        for x in ranked[i][:prefix]:
            for j in index[x]:
                if len(sets[j]) >= threshold * size:
                    candidates.add(j)
            index[x].append(i)
        for j in candidates:
            common = len(sets[i] & sets[j])
            if common / (len(sets[i]) + len(sets[j]) - common) >= threshold:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def cluster_pairs(clusters):
    pairs = set()
    for members in clusters.values():
        members = sorted(members)
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                pairs.add((members[a], members[b]))
    return pairs


def union_find_clusters(pairs, n):
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    clusters = defaultdict(list)
    for x in range(n):
        clusters[find(x)].append(x)
    return {k: v for k, v in clusters.items() if len(v) > 1}


def precision_recall(predicted, truth):
    tp = len(predicted & truth)
    return (tp / len(predicted) if predicted else 1.0), (tp / len(truth) if truth else 1.0), len(predicted)


def run_datasketch(reps, threshold, num_perm):
    import datasketch

    t0 = time.process_time()
    w0 = time.perf_counter()
    lsh = datasketch.MinHashLSH(threshold=threshold, num_perm=num_perm)
    minhashes = []
    text_bytes = 0
    for i, (_, text) in enumerate(reps):
        text_bytes += len(text.encode("utf-8"))
        sh = shingles(text)
        if not sh:
            minhashes.append(None)
            continue
        m = datasketch.MinHash(num_perm=num_perm)
        m.update_batch([s.encode("utf-8") for s in sh])
        minhashes.append(m)
        lsh.insert(i, m)
    signed = time.process_time()
    candidates = set()
    for i, m in enumerate(minhashes):
        if m is not None:
            for j in lsh.query(m):
                if j != i:
                    candidates.add((min(i, j), max(i, j)))
    cpu = time.process_time() - t0
    wall = time.perf_counter() - w0
    verified = {(a, b) for a, b in candidates if minhashes[a].jaccard(minhashes[b]) >= threshold}
    return {
        "module": datasketch.__file__,
        "cpu": cpu,
        "signature_cpu": signed - t0,
        "wall": wall,
        "text_bytes": text_bytes,
        "candidates": candidates,
        "verified": verified,
        "clusters": cluster_pairs(union_find_clusters(candidates, len(reps))),
    }


LAUNCHER = os.path.join(ROOT, "bertforge")


def prepare_runs(corpus, runners, out, heap):
    """Builds before anything is timed, and runs each runner once on the corpus' first 200 documents: with
    BERTFORGE_CDS=1 the launcher records its class-data archive on a first run, and later runs (timed here) map it."""
    subprocess.run([LAUNCHER, "dedup", "--help"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    sample = os.path.join(out, "warm-up.jsonl")
    os.makedirs(out, exist_ok=True)
    with open(corpus) as src, open(sample, "w") as dst:
        for _, line in zip(range(200), src):
            dst.write(line)
    for runner in runners:
        run_bertforge(sample, os.path.join(out, "warm-up-" + runner), runner, "signature", heap)


def run_bertforge(corpus, out, runner, verify, heap):
    """The whole command as a user runs it: ./bertforge dedup, on the Direct runner or embedded Flink."""
    args = [LAUNCHER, "dedup", "--input=" + corpus, "--idField=id", "--output=" + out, "--verify=" + verify]
    if runner == "flink":
        args += ["--runner=FlinkRunner", "--flinkMaster=[local]"]
    subprocess.run(["rm", "-rf", out], check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    w0 = time.perf_counter()
    proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=dict(os.environ, BERTFORGE_HEAP=heap, BERTFORGE_LOG="warn", BERTFORGE_CDS="1"))
    wall = time.perf_counter() - w0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit("bertforge dedup failed:\n" + proc.stderr[-3000:])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(os.path.join(out, "stats.json")) as f:
        stats = json.load(f)
    return {"cpu": cpu, "wall": wall, "max_rss_mb": after.ru_maxrss / 1024, "stats": stats}


def our_cluster_pairs(out, index_of):
    clusters = defaultdict(list)
    folder = os.path.join(out, "clusters")
    for name in os.listdir(folder):
        with open(os.path.join(folder, name)) as f:
            for line in f:
                record = json.loads(line)
                if record["id"] in index_of:  # exact duplicates are not representatives: near pairs only
                    clusters[record["cluster"]].append(index_of[record["id"]])
    return cluster_pairs(clusters)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="/work/bench-data/linux-c-pair.jsonl")
    parser.add_argument("--runners", default="direct")
    parser.add_argument("--verify", default="signature")
    parser.add_argument("--quality", action="store_true", help="also compute ground truth and P/R")
    parser.add_argument("--threshold", type=float, default=0.7)
    parser.add_argument("--heap", default="8g")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench-out", "dedup"))
    a = parser.parse_args()

    print("load average at start: %.1f %.1f %.1f" % os.getloadavg(), flush=True)
    docs = read_corpus(a.corpus)
    reps = exact_representatives(docs)
    index_of = {doc_id: i for i, (doc_id, _) in enumerate(reps)}
    print(f"corpus {a.corpus}: {len(docs)} documents, {len(reps)} after exact dedup", flush=True)

    ds = run_datasketch(reps, a.threshold, 256)
    mb = ds["text_bytes"] / 1e6
    print(f"datasketch ({ds['module']}): {ds['cpu']:.1f} s CPU ({ds['signature_cpu']:.1f} s signatures), "
          f"{mb / ds['cpu']:.2f} MB/s per core, {len(ds['candidates'])} candidate pairs", flush=True)

    prepare_runs(a.corpus, a.runners.split(","), a.out, a.heap)
    ours = {}
    for runner in a.runners.split(","):
        for verify in a.verify.split(","):
            out = os.path.join(a.out, f"{runner}-{verify}")
            ours[(runner, verify)] = run_bertforge(a.corpus, out, runner, verify, a.heap)
            r = ours[(runner, verify)]
            print(f"bertforge {runner} verify={verify}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, "
                  f"max RSS {r['max_rss_mb']:.0f} MB, kept {r['stats']['kept']}", flush=True)

    print("load average at the end of the timed runs: %.1f %.1f %.1f" % os.getloadavg(), flush=True)
    corpus_mb = sum(len(t.encode("utf-8")) for _, t in docs) / 1e6
    print("\n## Speed (same run; machine shared with other jobs)\n")
    print("| system | runner | wall s | CPU s | text MB/s per CPU s | CPU vs datasketch |")
    print("|---|---|---|---|---|---|")
    print(f"| datasketch MinHash(256) + MinHashLSH(0.7), 1 Python process | - | {ds['wall']:.1f} | {ds['cpu']:.1f} | "
          f"{mb / ds['cpu']:.2f} ({mb:.0f} MB after exact dedup) | 1 |")
    for (runner, verify), r in ours.items():
        print(f"| bertforge dedup, verify={verify} (whole command, {corpus_mb:.0f} MB) | {runner} | {r['wall']:.1f} | "
              f"{r['cpu']:.1f} | {corpus_mb / r['cpu']:.2f} | {r['cpu'] / ds['cpu']:.3f} |")

    if not a.quality:
        return
    t0 = time.perf_counter()
    sets = [set(shingles(text)) for _, text in reps]
    truth = ground_truth_pairs(sets, a.threshold)
    print(f"\nground truth: {len(truth)} pairs with exact Jaccard >= {a.threshold} "
          f"({time.perf_counter() - t0:.0f} s)\n")
    print("## Quality (pairs of exact-deduplicated documents vs exact Jaccard >= %.2f)\n" % a.threshold)
    print("| system | predicted pairs | precision | recall |")
    print("|---|---|---|---|")
    rows = [("datasketch MinHashLSH candidates (lsh.query)", ds["candidates"]),
            ("datasketch candidates + MinHash.jaccard >= t", ds["verified"]),
            ("datasketch clusters (union-find of candidates)", ds["clusters"])]
    for (runner, verify), r in ours.items():
        rows.append((f"bertforge clusters, verify={verify} ({runner})",
                     our_cluster_pairs(os.path.join(a.out, f"{runner}-{verify}"), index_of)))
    for name, predicted in rows:
        p, rc, n = precision_recall(predicted, truth)
        print(f"| {name} | {n} | {p:.4f} | {rc:.4f} |")


if __name__ == "__main__":
    main()
