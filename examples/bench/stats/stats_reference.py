"""The anchor for the stats benchmark: the same figures `./bertforge stats` prints for a JSONL corpus, computed
by a plain single-process Python pass (json.loads per line, exact nearest-rank percentiles by sorting).

    $(.ci/python-env.sh) stats_reference.py CORPUS.jsonl [--textField=text]

Prints one JSON object: documents, text_bytes, characters, p50, p90, p99, max, blank, rejected, seconds.
"""
import json
import math
import sys
import time

path = sys.argv[1]
field = "text"
for arg in sys.argv[2:]:
    if arg.startswith("--textField="):
        field = arg.split("=", 1)[1]

start = time.time()
lengths = []
text_bytes = characters = blank = rejected = 0
with open(path, "rb") as f:
    for raw in f:
        line = raw.rstrip(b"\n").rstrip(b"\r")
        if not line.strip():
            blank += 1
            continue
        try:
            record = json.loads(line.decode("utf-8"))
            text = record[field]
            if not isinstance(text, str):
                raise TypeError(field)
            encoded = text.encode("utf-8")  # fails on unpaired surrogates, as bertforge rejects them
        except (ValueError, KeyError, TypeError, UnicodeError):
            rejected += 1
            continue
        if not text.strip():
            blank += 1
            continue
        lengths.append(len(text))
        characters += len(text)
        text_bytes += len(encoded)
lengths.sort()


def percentile(p):
    return lengths[max(1, math.ceil(p / 100 * len(lengths))) - 1] if lengths else -1


print(json.dumps({
    "documents": len(lengths), "text_bytes": text_bytes, "characters": characters,
    "p50": percentile(50), "p90": percentile(90), "p99": percentile(99), "max": lengths[-1] if lengths else -1,
    "blank": blank, "rejected": rejected, "seconds": round(time.time() - start, 1)}))
