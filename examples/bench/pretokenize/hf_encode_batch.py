"""The anchor: Hugging Face tokenizers' encode_batch alone (with [CLS]/[SEP]) over a JSONL corpus, read beforehand.
Prints one JSON line: seconds, CPU seconds, documents, text bytes, tokens. Usage: hf_encode_batch.py TOKENIZER_DIR CORPUS"""
import json
import os
import sys
import time

import tokenizers
from tokenizers import Tokenizer

tokenizer = Tokenizer.from_file(os.path.join(sys.argv[1], "tokenizer.json"))
tokenizer.no_padding()
tokenizer.no_truncation()
with open(sys.argv[2], encoding="utf-8") as f:
    texts = [json.loads(line)["text"] for line in f]
start, cpu = time.perf_counter(), time.process_time()
encodings = tokenizer.encode_batch(texts)
seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({"tokenizers": tokenizers.__version__, "seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds, 2),
                  "documents": len(texts), "text_bytes": sum(len(t.encode("utf-8")) for t in texts),
                  "tokens": sum(len(e.ids) for e in encodings)}))
