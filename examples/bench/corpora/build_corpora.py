"""Turns the unpacked Debian packages under RAW into the JSONL benchmark corpora in OUT (see build.sh)."""
import glob
import html.parser
import json
import os
import re
import sys

RAW, OUT = sys.argv[1], sys.argv[2]


class TextOfHtml(html.parser.HTMLParser):
    """Visible text of an HTML page: skips script/style/nav, keeps paragraph breaks."""

    SKIP = {"script", "style", "nav", "head", "svg", "button"}
    BLOCK = {"p", "div", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section", "dt", "dd", "table"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)

    def text(self):
        text = "".join(self.parts)
        text = re.sub(r"[ \t]+\n", "\n", text)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def read_text(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", errors="replace")


def html_text(path):
    parser = TextOfHtml()
    parser.feed(read_text(path))
    return parser.text()


def english_sources():
    """(source, path, converter) for every English documentation file, in a fixed order."""
    linux = sorted(glob.glob(f"{RAW}/linux-6.1.192-2/linux-source-6.1/Documentation/**/*", recursive=True))
    for p in linux:
        if p.endswith((".rst", ".txt")) and "/translations/" not in p and os.path.isfile(p):
            yield "linux-doc", p, read_text
    for p in sorted(glob.glob(f"{RAW}/x-python3.11-doc*/usr/share/doc/python3.11/html/_sources/**/*.rst.txt", recursive=True)):
        yield "python-doc", p, read_text
    for p in sorted(glob.glob(f"{RAW}/x-python-django-doc*/**/_sources/**/*.txt", recursive=True)):
        yield "django-doc", p, read_text
    for p in sorted(glob.glob(f"{RAW}/x-perl-doc*/**/*.pod", recursive=True)):
        yield "perl-doc", p, read_text
    for p in sorted(glob.glob(f"{RAW}/x-git-doc*/usr/share/doc/git/**/*.txt", recursive=True)):
        yield "git-doc", p, read_text
    for p in sorted(glob.glob(f"{RAW}/x-postgresql-doc-15*/**/html/*.html", recursive=True)):
        yield "postgresql-doc", p, html_text
    rust = f"{RAW}/x-rust-doc*/usr/share/doc/rust-doc/html"
    for book in ["book", "reference", "nomicon", "rust-by-example", "edition-guide", "embedded-book", "cargo",
                 "rustc", "rustdoc", "unstable-book", "style-guide", "error-index.html"]:
        for p in sorted(glob.glob(f"{rust}/{book}/**/*.html", recursive=True) + glob.glob(f"{rust}/{book}")):
            if p.endswith(".html") and os.path.isfile(p) and not p.endswith("print.html"):
                yield "rust-doc", p, html_text
    for pattern, source in [(f"{RAW}/x-nodejs-doc*/usr/share/doc/nodejs/api/*.html", "nodejs-doc"),
                            (f"{RAW}/x-debian-handbook*/usr/share/doc/debian-handbook/html/en-US/*.html", "debian-handbook"),
                            (f"{RAW}/x-python-scipy-doc*/usr/share/doc/python-scipy-doc/html/**/*.html", "scipy-doc")]:
        for p in sorted(glob.glob(pattern, recursive=True)):
            if os.path.isfile(p):
                yield source, p, html_text
    for p in sorted(glob.glob(f"{rust}/std/**/*.html", recursive=True)):
        if os.path.isfile(p):
            yield "rust-std-doc", p, html_text


def write_english():
    limits = [(20_000_000, "english-20m.jsonl"), (100_000_000, "english-100m.jsonl")]
    outs = {name: open(f"{OUT}/{name}", "w", encoding="utf-8") for _, name in limits}
    written, seen = 0, set()
    for source, path, convert in english_sources():
        text = convert(path)
        if len(text) < 200 or text in seen:
            continue
        seen.add(text)
        line = json.dumps({"id": os.path.relpath(path, RAW), "source": source, "text": text}, ensure_ascii=False) + "\n"
        for limit, name in limits:
            if written < limit:
                outs[name].write(line)
        written += len(text.encode("utf-8"))
        if written >= limits[-1][0]:
            break
    for f in outs.values():
        f.close()
    print(f"english: {written / 1e6:.1f} MB of text")


TEXT_SUFFIXES = (".c", ".h", ".S", ".rst", ".txt", ".py", ".sh", ".pl", ".dts", ".dtsi", ".yaml", ".json", "Makefile", "Kconfig")


def linux_files(version, subtrees=None, suffixes=TEXT_SUFFIXES):
    root = f"{RAW}/linux-{version}/linux-source-6.1"
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, root)
        if subtrees and not any(rel_dir == s or rel_dir.startswith(s + "/") for s in subtrees):
            if rel_dir != ".":
                continue
        for name in sorted(filenames):
            if name.endswith(suffixes) and (not subtrees or rel_dir != "."):
                yield os.path.join(dirpath, name), f"linux-{version}/{os.path.join(rel_dir, name)}"


def write_linux(name, versions, subtrees=None, suffixes=TEXT_SUFFIXES):
    total = 0
    with open(f"{OUT}/{name}", "w", encoding="utf-8") as out:
        for version in versions:
            for path, doc_id in linux_files(version, subtrees, suffixes):
                text = read_text(path)
                if not text.strip():
                    continue
                out.write(json.dumps({"id": doc_id, "source": f"linux-{version}", "text": text}, ensure_ascii=False) + "\n")
                total += len(text.encode("utf-8"))
    print(f"{name}: {total / 1e6:.1f} MB of text")


write_english()
write_linux("linux-c-pair.jsonl", ["6.1.170-3", "6.1.192-2"], ["fs", "kernel", "mm", "net", "lib"], (".c", ".h"))
write_linux("linux-all-1rel.jsonl", ["6.1.192-2"])
write_linux("linux-all-2rel.jsonl", ["6.1.170-3", "6.1.192-2"])
