#!/usr/bin/env python3
"""Keeps the documentation true (README.md and docs/*.md):
- every relative link resolves to a file, and every #anchor to a heading of its page (GitHub's anchor rules);
- every option a command's `./bertforge COMMAND --help` lists appears as `--name` on the page that documents it (the
  command's page, or for an options group shared by several commands, that group's page), and every option a page's
  option tables list (rows starting "| `--name`") is one of those.
Usage: .ci/check-docs.py [--no-help]   (--no-help: the links only, without starting the commands)
Prints what is wrong and exits 1, or prints a summary and exits 0.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# command -> the page that documents its options
PAGES = {
    "stats": "docs/reading-data.md", "dedup": "docs/dedup.md", "train-tokenizer": "docs/tokenizer.md",
    "pretokenize": "docs/shards.md", "prepare": "docs/shards.md", "train": "docs/training.md",
    "evaluate": "docs/training.md", "export": "docs/model.md", "fill-mask": "docs/model.md",
    "finetune": "docs/finetuning.md", "classify": "docs/finetuning.md", "quickstart": "docs/quickstart.md",
}
# an options interface shared by several commands is documented once, on its own page
GROUP_PAGES = {
    "DocumentInputOptions": "docs/reading-data.md", "DocumentOutputOptions": "docs/reading-data.md",
    "DedupOptions": "docs/dedup.md", "TrainTokenizerOptions": "docs/tokenizer.md",
    "TokenShardOptions": "docs/shards.md",
}
# Beam's own options (PipelineOptions, the runners'): docs/scaling-out.md covers the ones a user sets
BEAM_GROUP = "org.apache.beam."

def anchors(path):
    seen = {}
    result = set()
    fence = False
    for line in open(path, encoding="utf-8"):
        if line.startswith("```"):
            fence = not fence
        m = None if fence else re.match(r"^(#{1,6}) (.*)$", line.rstrip("\n"))
        if not m:
            continue
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", m.group(2)).strip().lower()
        slug = re.sub(r"[^\w\- ]", "", text, flags=re.UNICODE).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        result.add(slug if n == 0 else f"{slug}-{n}")
    return result


def markdown_files():
    files = [os.path.join(ROOT, "README.md")]
    docs = os.path.join(ROOT, "docs")
    files += sorted(os.path.join(docs, f) for f in os.listdir(docs) if f.endswith(".md"))
    return files


def check_links(problems):
    count = 0
    for path in markdown_files():
        text = open(path, encoding="utf-8").read()
        text = re.sub(r"```.*?```", "", text, flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"^(https?|mailto):", target):
                continue
            count += 1
            file, _, anchor = target.partition("#")
            resolved = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
            where = os.path.relpath(path, ROOT)
            if not os.path.exists(resolved):
                problems.append(f"{where}: link to {target}: no such file")
            elif anchor and resolved.endswith(".md") and anchor not in anchors(resolved):
                problems.append(f"{where}: link to {target}: no heading with that anchor")
    return count


def help_options(command):
    """{page: options} of `./bertforge COMMAND --help`, each option on the page that documents its group."""
    out = subprocess.run([os.path.join(ROOT, "bertforge"), command, "--help"], capture_output=True, text=True,
                         timeout=300)
    text = out.stdout + out.stderr
    pages = {}
    page = PAGES[command]
    for line in text.splitlines():
        group = re.match(r"^([\w.$]+):$", line)
        if group:
            name = group.group(1)
            page = None if name.startswith(BEAM_GROUP) else GROUP_PAGES.get(name.rsplit(".", 1)[-1], PAGES[command])
            continue
        m = re.match(r"^\s{0,4}--([A-Za-z][\w-]*)", line)
        if m and page:
            pages.setdefault(page, set()).add(m.group(1))
    if not pages:
        raise SystemExit(f"./bertforge {command} --help listed no options:\n{text[-2000:]}")
    return pages


def check_options(problems):
    documented = {}  # page -> options that belong on it
    for command in PAGES:
        for page, options in help_options(command).items():
            documented.setdefault(page, set()).update(options)
    for page, options in sorted(documented.items()):
        text = open(os.path.join(ROOT, page), encoding="utf-8").read()
        mentioned = set(re.findall(r"--([A-Za-z][\w-]*)", text))
        for option in sorted(options - mentioned):
            problems.append(f"{page}: --{option} is in a command's --help, the page does not mention it")
        for option in re.findall(r"^\| `--([A-Za-z][\w-]*)", text, flags=re.M):
            if option not in options:
                problems.append(f"{page}: its option table lists --{option}, which no command it documents has")
    return sum(len(o) for o in documented.values())

def main():
    problems = []
    links = check_links(problems)
    options = 0 if "--no-help" in sys.argv else check_options(problems)
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"docs: {links} relative links resolve; {options} command options documented")


if __name__ == "__main__":
    main()
