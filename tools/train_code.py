#!/usr/bin/env python3
"""Builds `src/trained.rs`: the precomputed ("trained") dynamic Huffman codes of level 1.

Input: JSON lines of symbol statistics of slz's own level-1 parse, one line per training file:
  {"file": name, "lit": [256 counts], "mlen": [259 counts by length], "dist": [32769 counts by distance]}
Output: per code, the code lengths (literal/length alphabet at most 9 bits, distances at most 8
bits, so the bit writer's budgets of the fixed code still hold) and the block header that
declares them, bit-exact, as one Rust module.

Usage: tools/train_code.py module=stats.jsonl[,more.jsonl] [module2=...] > src/trained.rs
A line whose file name ends in `.bin` counts with BINARY_WEIGHT, every other with 1. A module
whose name ends in `_ascii` gives bytes 128-255 no code, for blocks without them: the code
space they took (a quarter: 128 codes of 9 bits) goes to the other symbols, and their lengths
run-length code as zeros, so the header is ~15 bytes shorter.

`python3 tools/train.py` builds src/trained.rs reproducibly (a re-run rewrites the same bytes).
It builds the training files from pinned, hash-checked packages (`tools/train_corpus.py`: bookworm .debs,
npm tarballs, a PyPI sdist; none of the web validation corpus, nothing of the benchmark corpus),
gathers the statistics by compressing each file with slz and decoding the output with the
checking inflater (`tools/train-stats`; no hook in the crate), and runs this script as
  large=text_4096.jsonl,numeric_4096.jsonl,exe_4096.jsonl
  pieces=text_16384.jsonl,numeric_16384.jsonl,exe_16384.jsonl,text_w.jsonl,numeric_w.jsonl,exe_w.jsonl
  pieces_text=text_16384.jsonl,text_w.jsonl
  pieces_numeric=numeric_16384.jsonl,numeric_w.jsonl
  pieces_binary=exe_16384.jsonl,morebin_16384.jsonl,exe_w.jsonl,morebin_w.jsonl
  small_text=text_1024.jsonl small_numeric=numeric_1024.jsonl
and the same statistics again for the `_ascii` variants of all but the binary codes
(`huffman::TRAINED_LARGE`, `TRAINED_PIECES`, `TRAINED_PIECES_TEXT`, `TRAINED_PIECES_NUMERIC`,
`TRAINED_PIECES_BINARY`, `TRAINED_SMALL_*`, and the `_ASCII` codes that blocks of ASCII bytes
only choose from instead).

Training files (target/train-corpus; `tools/train_corpus.py` lists the packages):
* text (420 files of 4-400 KB, whole): 120 HTML, 40 JSON, 40 JavaScript, 20 CSS, 20 XML, 30
  Markdown, 30 plain text, 60 Rust and 60 Python files (documentation, web libraries, data,
  the Rust standard library's and Python packages' sources).
* numeric (306 files): 300 SVG icons of 1-400 KB (simple-icons, @mdi/svg, @tabler/icons) and 6
  TopoJSON maps (world-atlas, us-atlas): the digit-heavy web content that the text files lack
  (their digits are 1-7% of the bytes; the web validation corpus's JSON has 13%, its SVG 54%).
* exe: the first 2 MB of 5 executables (cmake, gdb, cargo, gawk, tmux), named `*.bin` so that
  they get BINARY_WEIGHT.
* morebin (105 files of at least 40 KB, each cut to its first 1 MB): shared libraries (C, C++,
  Rust, Python extension modules), executables, static libraries, message catalogs (.mo),
  TrueType fonts, Rust libraries (.rlib), the public suffix list.
Plans (raw deflate, level 1): `_1024` each file in 1 KiB calls (`fast::deflate_small` for calls
of 257 B-2 KiB); `_4096` each file in 4 KiB calls (the parse `large` serves:
`fast::deflate_fast` for calls of 2-4 KiB); `_16384` each file in 16 KiB calls
(`fast::deflate_by_content` for calls of 4-16 KiB); `_w` each file in one call (its 32 KiB
blocks). Level 1's parse depends on the class its block's code choice gives
(`block::choose_code`, `fast.rs`), so the statistics depend on the codes: `tools/train.py`
repeats statistics and fit, rebuilding on the new codes, until the module no longer changes
(2-3 rounds), and writes that fixed point (or, if the rounds cycle, the cycle's member of
smallest sha256). A block that slz stored carries no parse; its bytes count as literals.
Retrain after changing a parse (minimum match, skip ahead): a code fits the symbols the parse
emits.
"""
import bisect, json, sys

LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99,
            115, 131, 163, 195, 227, 258]
DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
             1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
MAX_LITLEN_BITS = 9
MAX_DIST_BITS = 8
# Weight of executables among the training files (they are large; the code is for web content).
BINARY_WEIGHT = 0.3


def package_merge(freqs, limit):
    """Optimal length-limited prefix code lengths (every symbol gets a code)."""
    leaves = sorted(((f, [i]) for i, f in enumerate(freqs)), key=lambda x: x[0])
    cur = list(leaves)
    for _ in range(limit - 1):
        packages = [(cur[k][0] + cur[k + 1][0], cur[k][1] + cur[k + 1][1])
                    for k in range(0, len(cur) - 1, 2)]
        cur = sorted(leaves + packages, key=lambda x: x[0])
    lens = [0] * len(freqs)
    for _, syms in cur[:2 * len(freqs) - 2]:
        for s in syms:
            lens[s] += 1
    return lens


def train(paths, ascii_only=False):
    """Code lengths fitted to the statistics in `paths`; with `ascii_only`, bytes 128-255 get
    no code (length 0) and the others share all the code space."""
    ll = [0.0] * 286
    dd = [0.0] * 30
    for path in paths:
        for line in open(path):
            r = json.loads(line)
            w = BINARY_WEIGHT if r["file"].endswith(".bin") else 1.0
            for b, c in enumerate(r["lit"]):
                ll[b] += w * c
            for n, c in enumerate(r["mlen"]):
                if c:
                    ll[257 + bisect.bisect_right(LEN_BASE, n) - 1] += w * c
            for d, c in enumerate(r["dist"]):
                if c:
                    dd[bisect.bisect_right(DIST_BASE, d) - 1] += w * c
    # Length 258 is symbol 285 (bisect gives 28 = 285 - 257, as wanted).
    # Every symbol must stay codable whatever the data: a floor on each count.
    total = sum(ll)
    ll = [x + total * 0.002 / 286 + 1 for x in ll]
    ll[256] = max(ll[256], total * 0.0005)
    dtotal = sum(dd)
    dd = [x + dtotal * 0.001 + 1 for x in dd]
    if not ascii_only:
        return package_merge(ll, MAX_LITLEN_BITS), package_merge(dd, MAX_DIST_BITS)
    coded = [s for s in range(286) if not 128 <= s < 256]
    lens = [0] * 286
    for s, n in zip(coded, package_merge([ll[s] for s in coded], MAX_LITLEN_BITS)):
        lens[s] = n
    return lens, package_merge(dd, MAX_DIST_BITS)


def header_bits(ll_lens, d_lens):
    """The bits of a dynamic block header after BFINAL/BTYPE, LSB-first, as a list of 0/1."""
    seq = ll_lens + d_lens
    toks = []
    i = 0
    while i < len(seq):
        v = seq[i]
        r = 1
        while i + r < len(seq) and seq[i + r] == v and (i + r != len(ll_lens)):
            r += 1
        if v == 0:
            # Unused symbols (the ASCII codes' bytes 128-255): runs of zeros, 11-138 with code
            # 18, 3-10 with code 17.
            rest = r
            while rest >= 11:
                t = min(rest, 138)
                toks.append((18, t - 11, 7))
                rest -= t
            if rest >= 3:
                toks.append((17, rest - 3, 3))
                rest = 0
            toks += [(0, 0, 0)] * rest
        elif r >= 4:
            toks.append((v, 0, 0))
            rest = r - 1
            while rest >= 3:
                t = min(rest, 6)
                toks.append((16, t - 3, 2))
                rest -= t
            toks += [(v, 0, 0)] * rest
        else:
            toks += [(v, 0, 0)] * r
        i += r
    freq = [0] * 19
    for s, _, _ in toks:
        freq[s] += 1
    used = [s for s in range(19) if freq[s]]
    cl = [0] * 19
    for s, l in zip(used, package_merge([freq[s] for s in used], 7)):
        cl[s] = l
    codes = canonical(cl)
    order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    hclen = 19
    while hclen > 4 and cl[order[hclen - 1]] == 0:
        hclen -= 1
    bits = []

    def put(v, n):  # n bits of v, least significant first
        bits.extend((v >> k) & 1 for k in range(n))

    put(len(ll_lens) - 257, 5)
    put(len(d_lens) - 1, 5)
    put(hclen - 4, 4)
    for s in order[:hclen]:
        put(cl[s], 3)
    for s, extra, nextra in toks:
        code, n = codes[s], cl[s]
        bits.extend((code >> (n - 1 - k)) & 1 for k in range(n))  # Huffman codes MSB first
        put(extra, nextra)
    return bits


def canonical(lens):
    codes = [0] * len(lens)
    code = 0
    for n in range(1, max(lens) + 1):
        for s, l in enumerate(lens):
            if l == n:
                codes[s] = code
                code += 1
        code <<= 1
    return codes


def rust_array(name, ty, vals, doc):
    out = f"{doc}#[rustfmt::skip]\npub(crate) const {name}: [{ty}; {len(vals)}] = [\n"
    for k in range(0, len(vals), 16):
        out += "    " + ", ".join(str(v) for v in vals[k:k + 16]) + ",\n"
    return out + "];\n"


MODULE_DOC = """//! The trained Huffman codes of level 1: code lengths fitted offline to typical content,
//! each sent as a precomputed block header (~70 bytes), so a block gets most of a dynamic code's
//! ratio at the speed of the fixed code (no histogram, no tree building per block).
//!
//! Generated by `python3 tools/train.py` (do not edit by hand), which rebuilds it bit for bit:
//! `tools/train_code.py` fitted to the symbol statistics of slz's own parse of training files
//! from pinned packages (`tools/train_corpus.py`; none from the benchmark or validation corpora).
//! `large` serves level 1's calls of 2-4 KiB and fits their parse (each file in 4 KiB calls).
//! `pieces`, `pieces_text`, `pieces_binary` and `pieces_numeric` serve calls
//! of 4-16 KiB and each 32 KiB block of level 1's larger calls, and fit those parses (each file
//! in 16 KiB calls and in one call), which skip ahead sooner and so emit more literals; they were
//! trained on all the text, numeric and executable files, on text and web files only, on binary
//! files only, and on digit-heavy web files only (SVG icons, TopoJSON maps). Each block takes the
//! one that codes a sample of it cheapest (`block::choose_code`), which also picks its parse
//! (`fast::deflate_by_content`). Every
//! symbol has a code whatever the data; literal/length codes are at most 9 bits and distance
//! codes at most 8, the budgets of the emitters (`huffman::Code`).
//! `small_text` and `small_numeric` serve calls of 257 B-2 KiB and fit their parses (each file
//! in 1 KiB calls: no distance over 1 KiB, shorter matches); such a call takes one of them (or
//! `pieces_binary`) only where a sample says its header pays (`fast::deflate_small`), else the
//! fixed code, whose header is free.
//! The `_ascii` codes are the same fits with no code for bytes 128-255 (length 0: such a byte
//! must never be written with them); blocks of ASCII bytes only choose among them instead
//! (`fast.rs`), which gives the other symbols a quarter more code space and a shorter header.
"""


def code_items(name, ll, d):
    """The Rust module of one code: `LITLEN_BITS`, `DIST_BITS`, `HEADER` and `HEADER_BITS`."""
    bits = header_bits(ll, d)
    data = [sum(bits[k + j] << j for j in range(8) if k + j < len(bits))
            for k in range(0, len(bits), 8)]
    body = "\n".join([
        rust_array("LITLEN_BITS", "u8", ll,
                   "/// Code lengths of literal/length symbols 0..=285 (at most 9 bits).\n"),
        rust_array("DIST_BITS", "u8", d,
                   "/// Code lengths of distance symbols 0..=29 (at most 8 bits).\n"),
        "/// Bits of [`HEADER`]: the header after BFINAL/BTYPE.\n"
        f"pub(crate) const HEADER_BITS: usize = {len(bits)};\n",
        rust_array("HEADER", "u8", data,
                   "/// The dynamic block header declaring the code above (HLIT, HDIST, HCLEN, the\n"
                   "/// code-length code and the run-length coded lengths), LSB-first.\n"),
    ])
    body = "".join("    " + l if l.strip() else l for l in body.splitlines(True))
    return f"pub(crate) mod {name} {{\n{body}}}\n"


def main():
    out = [MODULE_DOC]
    for arg in sys.argv[1:]:
        name, paths = arg.split("=", 1)
        ll, d = train(paths.split(","), ascii_only=name.endswith("_ascii"))
        files = ", ".join(p.rsplit("/", 1)[-1] for p in paths.split(","))
        out.append(f"/// Trained on {files}.\n" + code_items(name, ll, d))
    print("\n".join(out), end="")


if __name__ == "__main__":
    main()
