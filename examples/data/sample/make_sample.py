"""Builds the bundled sample corpus from the reStructuredText sources of the Python 3.11 documentation, as
Debian packages them (python3.11-doc, PSF License Agreement; see LICENSE and SOURCE.md beside this script).

    apt-get download python3.11-doc          # any 3.11.2-6+deb12u* version
    $(.ci/python-env.sh) make_sample.py python3.11-doc_*.deb

Writes python-docs.jsonl and python-docs.parquet (the same rows): one document per section of a source file
(at every heading and top-level API entry such as '.. function::'; sections
shorter than 400 characters are merged into the next), keeping prose-heavy sections (at most half of
their lines code or directives), up to about 4.5 MB of text. Fields: id, text, title, source, section.
The result depends only on the package contents: files are visited in a fixed, hash-based order.
"""
import hashlib
import json
import pathlib
import re
import subprocess
import sys
import tempfile

import pyarrow as pa
import pyarrow.parquet as pq

HERE = pathlib.Path(__file__).parent
TEXT_BUDGET = 4_500_000  # characters
MIN_SECTION = 400
PROSE_DIRS = ["tutorial", "howto", "faq", "reference", "using", "extending", "installing", "glossary.rst.txt",
              "about.rst.txt", "bugs.rst.txt"]
HEADING_CHARS = set("=-~^\"'`#*+:._")
# a top-level API entry (".. function:: open(file)") starts a section too: one document per documented name
API_ENTRY = re.compile(r"^\.\. (?:function|class|method|attribute|data|exception|decorator|module)::\s*(.*)$")


def is_underline(line, title):
    stripped = line.rstrip()
    return (len(stripped) >= 3 and len(set(stripped)) == 1 and stripped[0] in HEADING_CHARS
            and len(stripped) >= len(title.rstrip()) and title.strip() != "")


def sections(text):
    """Splits reST into (title, body) at every heading (with its overline) and top-level API entry."""
    lines = text.split("\n")
    starts = [0]
    titles = [""]
    for i in range(1, len(lines)):
        api = API_ENTRY.match(lines[i])
        if api and i > starts[-1]:
            starts.append(i)
            titles.append(api.group(1).strip())
            continue
        if is_underline(lines[i], lines[i - 1]) and not is_underline(lines[i - 1], "x"):
            start = i - 1
            if start > 0 and is_underline(lines[start - 1], lines[i - 1]):
                start -= 1
            if start > starts[-1]:
                starts.append(start)
                titles.append(lines[i - 1].strip())
            elif start == starts[-1]:
                titles[-1] = lines[i - 1].strip()
    starts.append(len(lines))
    for k in range(len(starts) - 1):
        yield titles[k], "\n".join(lines[starts[k]:starts[k + 1]]).strip("\n")


def indentation(line):
    return len(line) - len(line.lstrip())


def is_prose(body):
    """True if at most half of the non-blank lines are code: literal blocks (after '::'), doctests, directives."""
    technical = total = 0
    literal_from = None  # indentation of the line that opened a literal block
    for line in body.split("\n"):
        if not line.strip():
            continue
        total += 1
        if literal_from is not None and indentation(line) > literal_from:
            technical += 1
            continue
        literal_from = None
        stripped = line.strip()
        if stripped.startswith((">>>", "... ", ".. ", ":")):
            technical += 1
        if stripped.endswith("::"):
            literal_from = indentation(line)
    return total > 0 and technical <= total / 2


def documents(sources):
    for path in sources:
        relative = path.relative_to(sources_root).as_posix()
        pending_title, pending = None, ""
        number = 0
        for title, body in sections(path.read_text(encoding="utf-8")):
            pending = (pending + "\n\n" + body).strip("\n") if pending else body
            pending_title = pending_title or title
            if len(pending) >= MIN_SECTION:
                if is_prose(pending):
                    yield {"id": f"{relative}#{number}", "text": pending + "\n", "title": pending_title,
                           "source": f"python3.11-doc:{relative}", "section": number}
                number += 1
                pending_title, pending = None, ""
        if pending and len(pending) >= MIN_SECTION // 2 and is_prose(pending):
            yield {"id": f"{relative}#{number}", "text": pending + "\n", "title": pending_title or "",
                   "source": f"python3.11-doc:{relative}", "section": number}


def ordered(paths):
    return sorted(paths, key=lambda p: hashlib.sha1(p.as_posix().encode()).hexdigest())


deb = pathlib.Path(sys.argv[1]).resolve()
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run(["dpkg-deb", "-x", str(deb), tmp], check=True)
    sources_root = pathlib.Path(tmp) / "usr/share/doc/python3.11/html/_sources"
    prose = []
    for entry in PROSE_DIRS:
        target = sources_root / entry
        prose += [target] if target.is_file() else sorted(target.rglob("*.rst.txt"))
    library = ordered(sorted((sources_root / "library").rglob("*.rst.txt")))
    rows, total = [], 0
    for doc in documents(ordered(prose) + library):
        if total + len(doc["text"]) > TEXT_BUDGET:
            break
        rows.append(doc)
        total += len(doc["text"])

with open(HERE / "python-docs.jsonl", "w", encoding="utf-8") as out:
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
table = pa.Table.from_pylist(rows, schema=pa.schema([
    ("id", pa.string()), ("text", pa.string()), ("title", pa.string()), ("source", pa.string()),
    ("section", pa.int32())]))
pq.write_table(table, HERE / "python-docs.parquet", row_group_size=1000, compression="zstd")
print(f"{len(rows)} documents, {total:,} characters, from {deb.name}")
