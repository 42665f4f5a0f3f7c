"""Writes pyarrow-sample.parquet, a Parquet file from another library for ReadDocuments' tests, and
pyarrow-sample.expected.jsonl, what pyarrow itself reads back from it (row, id, text).

Run with $(.ci/python-env.sh) (pyarrow); the outputs are committed, so `mvn verify` never needs Python.
The schema is deliberately varied: nested struct, list, timestamp with zone, decimal, binary, a column name Avro
would refuse, a null text and row groups of 2 rows.
"""
import datetime
import decimal
import json
import pathlib

import pyarrow as pa
import pyarrow.parquet as pq

here = pathlib.Path(__file__).parent
texts = [
    "The quick brown fox jumps over the lazy dog.",
    "Ünïcödé: café, naïve, 中文, emoji \U0001F600.",
    None,  # a null text: rejected as missing_text
    "Multi-line\ntext with a tab\tand \"quotes\".",
    "",
    "Last row.",
]
n = len(texts)
table = pa.table(
    {
        "id": pa.array([100 + i for i in range(n)], pa.int64()),
        "text": pa.array(texts, pa.string()),
        "title": pa.array([f"title {i}" if i % 2 == 0 else None for i in range(n)], pa.string()),
        "tags": pa.array([[f"t{i}", "x"] if i != 1 else [] for i in range(n)], pa.list_(pa.string())),
        "meta": pa.array(
            [{"source": f"s{i}", "score": i / 4} for i in range(n)],
            pa.struct([("source", pa.string()), ("score", pa.float64())]),
        ),
        "created": pa.array(
            [datetime.datetime(2024, 1, 1 + i, 12, 30, tzinfo=datetime.timezone.utc) for i in range(n)],
            pa.timestamp("us", tz="UTC"),
        ),
        "price": pa.array([decimal.Decimal(f"{i}.25") for i in range(n)], pa.decimal128(10, 2)),
        "flag": pa.array([i % 3 == 0 for i in range(n)], pa.bool_()),
        "blob": pa.array([bytes([i, 255, 0]) for i in range(n)], pa.binary()),
        "meta-data.x": pa.array([f"odd name {i}" for i in range(n)], pa.string()),
    }
)
pq.write_table(table, here / "pyarrow-sample.parquet", row_group_size=2, compression="snappy")

back = pq.read_table(here / "pyarrow-sample.parquet")
with open(here / "pyarrow-sample.expected.jsonl", "w", encoding="utf-8") as out:
    for row, (id_, text) in enumerate(zip(back.column("id").to_pylist(), back.column("text").to_pylist())):
        out.write(json.dumps({"row": row, "id": id_, "text": text}, ensure_ascii=False) + "\n")
print("pyarrow", pa.__version__, "rows", back.num_rows, "row groups", pq.ParquetFile(here / "pyarrow-sample.parquet").num_row_groups)
