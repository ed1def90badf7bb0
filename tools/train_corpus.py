#!/usr/bin/env python3
"""Build the training corpus of the trained Huffman codes: files from pinned registry packages.

    python3 tools/train_corpus.py [--out DIR] [--cache DIR]

`tools/train.py` runs this, gathers slz's symbol statistics over the result and fits
`src/trained.rs` to them. The packages are pinned in SOURCES below (bookworm .debs, npm
tarballs, one PyPI sdist), each checked against its registry hash before use (a mismatch stops
the run), with the download and verification helpers of `web_corpus.py`. None of them is in
`web_corpus.py`'s PACKAGES (the web validation corpus), and nothing comes from the benchmark
corpus: the codes are checked on those, so they must not be fitted to them.

Output (DIR defaults to target/train-corpus under the repository root), in three sets that
`tools/train.py` gives to the codes by role:

    DIR/text/<kind>/<package>@<version>__path     420 text and web files, whole, 4-400 KB:
        120 html, 40 json, 40 js, 20 css, 20 xml, 30 md, 30 text, 60 rust, 60 python
    DIR/exe/<package>@<version>__path.bin          the first 2 MB of 5 large executables;
        the `.bin` suffix gives them train_code.py's BINARY_WEIGHT
    DIR/morebin/<kind>/<package>@<version>__path  binary files of at least 40 KB, each cut to
        its first 1 MB: 40 shared libraries (C, C++, Rust and Python extension modules), 30 executables, 12 static libraries, 12 message
        catalogs, 6 TrueType fonts, 4 Rust libraries (.rlib), the public suffix list
    DIR/MANIFEST.tsv   set, kind, file, size, sha256 (of the bytes kept), package, version
    DIR/.stamp         hash of the package list and selection rules: a re-run with a complete
                       DIR whose stamp matches does nothing

Selection is deterministic. A package's files go to a kind by extension (text kinds) or by
content and place (ELF shared libraries and executables, `!<arch>` static libraries) among the
kinds its entry names; files outside the kind's size range and files whose bytes were already
taken are left out. Within a kind the packages take turns, in SOURCES order, each giving its
next file in the order of sha256 of the path (a stable pseudo-random order), until the kind has
its count (COUNTS). Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import time
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import web_corpus  # noqa: E402
from web_corpus import PACKAGES as VALIDATION, Pkg, deb_data_tar, fetch, file_name  # noqa: E402


@dataclass(frozen=True)
class Src:
    pkg: Pkg
    kinds: tuple[str, ...]  # the kinds this package gives files to
    exe: tuple[str, ...] = ()  # set "exe": the archive paths of its executables


# The pinned list. To change it: pick the version and take its hash from the registry
# (`apt-cache show NAME` for SHA256 and Filename; `npm view NAME@VERSION dist.integrity`; PyPI's
# simple index), then run tools/train.py. Debian .debs are bookworm's, from pool/main, in
# versions bookworm has had unchanged since its release (no point or security update), so that
# they stay on the mirror while bookworm does.
TEXT: tuple[Src, ...] = (
    Src(Pkg("deb", "rust-doc", "1.63.0+dfsg1-2",
            "sha256:96ef96fe6df87d939ca713bd7df3d15c2b778ccb892eca025c4ee504146f697b",
            path="pool/main/r/rustc/rust-doc_1.63.0+dfsg1-2_all.deb"),
        ("html", "js", "css")),
    Src(Pkg("deb", "cmake-doc", "3.25.1-1",
            "sha256:6e805a758ffed87cc7ea234cf0a7a1bb8ae78b93d8b5783e7fb989a6320f8133",
            path="pool/main/c/cmake/cmake-doc_3.25.1-1_all.deb"),
        ("html",)),
    Src(Pkg("deb", "libboost1.74-doc", "1.74.0+ds1-21",
            "sha256:10a7c2aa42068bcb71093fc375bf3a9ef2235baa91cc4960aa0c02df3c733d4a",
            path="pool/main/b/boost1.74/libboost1.74-doc_1.74.0+ds1-21_all.deb"),
        ("html",)),
    Src(Pkg("deb", "debian-policy", "4.6.2.0",
            "sha256:ef9d01b625c3b87c3a845c2cd1b66f1a16e9240b2b9e5bee53472a00e8457a39",
            path="pool/main/d/debian-policy/debian-policy_4.6.2.0_all.deb"),
        ("html", "text")),
    Src(Pkg("deb", "iso-codes", "4.15.0-1",
            "sha256:b1beb869303229c38288d4ddacfd582c91f594759b5767c9cecebd87f16ff70e",
            path="pool/main/i/iso-codes/iso-codes_4.15.0-1_all.deb"),
        ("json", "xml")),
    Src(Pkg("deb", "python3-botocore", "1.29.27+repack-1",
            "sha256:72802baa29e20716e3a591b39b03dea0ab24ad9d938f7498a04c365d3803c1b7",
            path="pool/main/p/python-botocore/python3-botocore_1.29.27+repack-1_all.deb"),
        ("json",)),
    Src(Pkg("deb", "libjs-mathjax", "2.7.9+dfsg-1",
            "sha256:bc709a68e532f82460fc31f6678cc8f95bbb7c357e2ac938808eeb5c9c156988",
            path="pool/main/m/mathjax/libjs-mathjax_2.7.9+dfsg-1_all.deb"),
        ("js",)),
    Src(Pkg("deb", "libjs-pdf", "2.14.305+dfsg-2",
            "sha256:aae409fc5eb354ad1f1c1ddfea85b950c4eeba018d47e7a1f1d8e8cb05c67e71",
            path="pool/main/p/pdf.js/libjs-pdf_2.14.305+dfsg-2_all.deb"),
        ("js",)),
    Src(Pkg("deb", "libjs-jquery-ui", "1.13.2+dfsg-1",
            "sha256:10e19573adde01d1276ddb4cf0453fbfb070b9b867162b6f7f10708b0631d369",
            path="pool/main/j/jqueryui/libjs-jquery-ui_1.13.2+dfsg-1_all.deb"),
        ("js", "css")),
    Src(Pkg("deb", "wayland-protocols", "1.31-1",
            "sha256:562996db023320a80dad09a7aeb074186d9f3ec80d36f672e24596813bb4a580",
            path="pool/main/w/wayland-protocols/wayland-protocols_1.31-1_all.deb"),
        ("xml",)),
    Src(Pkg("deb", "docbook-xsl", "1.79.2+dfsg-2",
            "sha256:4e6e02268b2e02ece218880703fab427df40c52887c8b4076b0b76c11ea7b0fe",
            path="pool/main/d/docbook-xsl/docbook-xsl_1.79.2+dfsg-2_all.deb"),
        ("xml",)),
    Src(Pkg("deb", "rust-src", "1.63.0+dfsg1-2",
            "sha256:410b8c6d464cabbe5fb3154ab8c3d374980dd597fbe7e3b7bb3ed8dd1bf11e25",
            path="pool/main/r/rustc/rust-src_1.63.0+dfsg1-2_all.deb"),
        ("rust", "md", "text")),
    Src(Pkg("deb", "librust-syn-dev", "1.0.107-1",
            "sha256:64bfca244ab8ec45a4da1f5d64411af34f2d6eac7ac094f4f1dce9bf0b8a3699",
            path="pool/main/r/rust-syn/librust-syn-dev_1.0.107-1_amd64.deb"),
        ("rust", "md")),
    Src(Pkg("deb", "librust-serde-json-dev", "1.0.87-1",
            "sha256:2d053de630af6649c40a39d9ab6268d5469385289016a1205d0dec196e7b77d2",
            path="pool/main/r/rust-serde-json/librust-serde-json-dev_1.0.87-1_amd64.deb"),
        ("rust", "md")),
    Src(Pkg("deb", "librust-regex-syntax-dev", "0.6.27-1",
            "sha256:16c9879e07d6f9c6b2618906126d17e51ec8b04bced0fe3bb0cf0f3062f8a353",
            path="pool/main/r/rust-regex-syntax/librust-regex-syntax-dev_0.6.27-1_amd64.deb"),
        ("rust",)),
    Src(Pkg("deb", "python3-sqlalchemy", "1.4.46+ds1-1",
            "sha256:141f3ed680b5de944c82aff900b1aeb4909a5d17ee0ddd3d697e250b5f765468",
            path="pool/main/s/sqlalchemy/python3-sqlalchemy_1.4.46+ds1-1_all.deb"),
        ("python",)),
    Src(Pkg("deb", "python3-pygments", "2.14.0+dfsg-1",
            "sha256:405734a57b8d2722d10413c511d9b63ee78bbbdab8b2b689d7295260bc9618a2",
            path="pool/main/p/pygments/python3-pygments_2.14.0+dfsg-1_all.deb"),
        ("python",)),
    Src(Pkg("deb", "python3-docutils", "0.19+dfsg-6",
            "sha256:ada9a80195375262c50dc0acf21a00a51166fee3fc96f6ca6d20a1a27868ba2c",
            path="pool/main/p/python-docutils/python3-docutils_0.19+dfsg-6_all.deb"),
        ("python", "text")),
    Src(Pkg("npm", "purecss", "3.1.0",
            "sha512-WAecQZddSR/sae+HJxUK2aczpT+McwyzPskbUZKer7RX7sIEEpit+lEihdRx/7CY/Mf+BPpFcm3xhyfz2cnwAg=="),
        ("css",)),
    Src(Pkg("npm", "animate.css", "4.1.1",
            "sha512-+mRmCTv6SbCmtYJCN4faJMNFVNN5EuCTTprDTAo7YzIGji2KADmakjVA3+8mVDkZ2Bf09vayB35lSQIex2+QaQ=="),
        ("css",)),
    Src(Pkg("npm", "foundation-sites", "6.9.0",
            "sha512-bZpjL6lxuGViy1UU/NuMddyAAJP0YgJYKNh+8ZtDWhQRtiY1yQISxHmgF4V8EFx7DWHDTdZC1fwFysnMAYkdQg=="),
        ("css", "js", "md")),
    Src(Pkg("npm", "semantic-ui-css", "2.5.0",
            "sha512-jIWn3WXXE2uSaWCcB+gVJVRG3masIKtTMNEP2X8Aw909H2rHpXGneYOxzO3hT8TpyvB5/dEEo9mBFCitGwoj1A=="),
        ("css", "js")),
    Src(Pkg("pypi", "black", "24.2.0",
            "sha256:bce4f25c27c3435e4dace4815bcb2008b87e167e3bf4ee47ccdc5ce906eb4894",
            path="29/69/f3ab49cdb938b3eecb048fa64f86bdadb1fac26e92c435d287181d543b0a/black-24.2.0.tar.gz"),
        ("md", "python")),
)
# The first 2 MB of five large executables (their `.bin` names give them BINARY_WEIGHT).
# Digit-heavy web content (SVG path data, numeric JSON): its own code, so that the text code
# keeps short codes for letters.
NUMERIC: tuple[Src, ...] = (
    # TopoJSON maps: arrays of integers.
    Src(Pkg("npm", "world-atlas", "2.0.2",
            "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="),
        ("json",)),
    Src(Pkg("npm", "us-atlas", "3.0.1",
            "sha512-wEIZCq0ImPvGblTd8gZMqNNCPkQshugMUG/8nkSWXb02+XqNFREg9atHOKP9w6prLZTpqcLhSvdBW81MkV3/0Q=="),
        ("json",)),
    # SVG icons: path data.
    Src(Pkg("npm", "simple-icons", "11.0.0",
            "sha512-n6z6fQwODmhRfy4RBkNmnP67yzqGUa/0ETJDkMX8Fl2riLSl1O8nB3qAl5Ij0oyEwgYC0WbMLXn1dkyYSTDs1w=="),
        ("svg",)),
    Src(Pkg("npm", "@mdi/svg", "7.4.47",
            "sha512-WQ2gDll12T9WD34fdRFgQVgO8bag3gavrAgJ0frN4phlwdJARpE6gO1YvLEMJR0KKgoc+/Ea/A0Pp11I00xBvw=="),
        ("svg",)),
    Src(Pkg("npm", "@tabler/icons", "2.47.0",
            "sha512-4w5evLh+7FUUiA1GucvGj2ReX2TvOjEr4ejXdwL/bsjoSkof6r1gQmzqI+VHrE2CpJpB3al7bCTulOkFa/RcyA=="),
        ("svg",)),
)

EXE: tuple[Src, ...] = (
    Src(Pkg("deb", "cmake", "3.25.1-1",
            "sha256:257a11063855f09e48696057fdb1ba2bcf1069502e0302576831dc2fb1571d7f",
            path="pool/main/c/cmake/cmake_3.25.1-1_amd64.deb"),
        ("exe",), exe=('usr/bin/cmake',)),
    Src(Pkg("deb", "gdb", "13.1-3",
            "sha256:65e29803ae582f0094c0412eca8032f2a5a1188664c59e14c35b9528fc81a9a5",
            path="pool/main/g/gdb/gdb_13.1-3_amd64.deb"),
        ("exe",), exe=('usr/bin/gdb',)),
    Src(Pkg("deb", "cargo", "0.66.0+ds1-1",
            "sha256:2b12583c9ed71fae0707f7e568afbc232bace5a9e25e94b3800480aa7d295c39",
            path="pool/main/c/cargo/cargo_0.66.0+ds1-1_amd64.deb"),
        ("exe",), exe=('usr/bin/cargo',)),
    Src(Pkg("deb", "gawk", "1:5.2.1-2",
            "sha256:9cd63c1b35ff082092c221a23dcb167f72c4d1c3de3a42e11f16181f42ab3b55",
            path="pool/main/g/gawk/gawk_5.2.1-2_amd64.deb"),
        ("exe",), exe=('usr/bin/gawk',)),
    Src(Pkg("deb", "tmux", "3.3a-3",
            "sha256:6bd1558face5e145d66d72c9557cbc7ff5ad66701e94dcd568e6daf081269018",
            path="pool/main/t/tmux/tmux_3.3a-3_amd64.deb"),
        ("exe",), exe=('usr/bin/tmux',)),
)
# Binary files of many kinds, for the binary code.
MOREBIN: tuple[Src, ...] = (
    Src(Pkg("deb", "libllvm14", "1:14.0.6-12",
            "sha256:cd986403cfe53f47c41b80667f6b344c40fe35de4c5081dad9358b4c77cf64a8",
            path="pool/main/l/llvm-toolchain-14/libllvm14_14.0.6-12_amd64.deb"),
        ("so",)),
    Src(Pkg("deb", "libz3-4", "4.8.12-3.1",
            "sha256:6221ca25ad5abcfbe1965801029d85a88b4775320384b4b716de8fab7a4d2f7a",
            path="pool/main/z/z3/libz3-4_4.8.12-3.1_amd64.deb"),
        ("so",)),
    Src(Pkg("deb", "libclang-cpp14", "1:14.0.6-12",
            "sha256:964b13d74e9aece340cde93fecd2a2f18dd63afcb707a797ce7b39d430a01c46",
            path="pool/main/l/llvm-toolchain-14/libclang-cpp14_14.0.6-12_amd64.deb"),
        ("so",)),
    Src(Pkg("deb", "libclang1-14", "1:14.0.6-12",
            "sha256:d0fb8eb1aa43a27ed9c3cca2a65108ab433735cb4cf1322444dbf269008e93a9",
            path="pool/main/l/llvm-toolchain-14/libclang1-14_14.0.6-12_amd64.deb"),
        ("so",)),
    Src(Pkg("deb", "libopencv-core406", "4.6.0+dfsg-12",
            "sha256:69b3db57a5e9aa422808534a70016eda3a37b2b6a7c21630b7a013c67e9ff49f",
            path="pool/main/o/opencv/libopencv-core406_4.6.0+dfsg-12_amd64.deb"),
        ("so",)),
    Src(Pkg("deb", "libopencv-imgproc406", "4.6.0+dfsg-12",
            "sha256:3f18632b0dbd87cdee6e6c1be555b1505c41c689832636bad9e7ee9d9c7d54a9",
            path="pool/main/o/opencv/libopencv-imgproc406_4.6.0+dfsg-12_amd64.deb"),
        ("so",)),
    Src(Pkg("deb", "libopencv-calib3d406", "4.6.0+dfsg-12",
            "sha256:4221dba6b60bc29de96b5fdc2242e35cf8f26ea901ae121ce6e66a075d65b82d",
            path="pool/main/o/opencv/libopencv-calib3d406_4.6.0+dfsg-12_amd64.deb"),
        ("so",)),
    Src(Pkg("deb", "libopencv-dnn406", "4.6.0+dfsg-12",
            "sha256:914bdad9fbe2684b0566cb211906d2ab95fbbd323294396de407db63bffccec1",
            path="pool/main/o/opencv/libopencv-dnn406_4.6.0+dfsg-12_amd64.deb"),
        ("so",)),
    Src(Pkg("deb", "python3-scipy", "1.10.1-2",
            "sha256:75175eb18aa9ef6424c69050a751335fe686c24b65bc1773d0769a74a21c869d",
            path="pool/main/s/scipy/python3-scipy_1.10.1-2_amd64.deb"),
        ("so",)),
    Src(Pkg("deb", "libgeos3.11.1", "3.11.1-1",
            "sha256:c7d9b3ec22fe9a5d6f8fa3572bfbe504224c8b2a8a0fc3ebb000581114c47660",
            path="pool/main/g/geos/libgeos3.11.1_3.11.1-1_amd64.deb"),
        ("so",)),
    Src(Pkg("deb", "libopenblas0-pthread", "0.3.21+ds-4",
            "sha256:4f7e4561dbfa9286c671c91350204fbda7afad675500e59cd4a56f84604844f8",
            path="pool/main/o/openblas/libopenblas0-pthread_0.3.21+ds-4_amd64.deb"),
        ("so",)),
    Src(Pkg("deb", "libfltk1.3", "1.3.8-5",
            "sha256:703f71611b4a81e87453e1d82135c2428005734f1a4f9d4735176dff67d2a652",
            path="pool/main/f/fltk1.3/libfltk1.3_1.3.8-5_amd64.deb"),
        ("so",)),
    Src(Pkg("deb", "libboost-regex1.74.0", "1.74.0+ds1-21",
            "sha256:e95ab82396a81f746e1b8bf40f54f13770318f2999f66f5b2768a27a6f966eae",
            path="pool/main/b/boost1.74/libboost-regex1.74.0_1.74.0+ds1-21_amd64.deb"),
        ("so",)),
    Src(Pkg("deb", "libboost-program-options1.74.0", "1.74.0+ds1-21",
            "sha256:94b9461b92d24df7926eebc29c57e8360ea127afd99e264d640c9d2ff6db8bb7",
            path="pool/main/b/boost1.74/libboost-program-options1.74.0_1.74.0+ds1-21_amd64.deb"),
        ("so",)),
    Src(Pkg("deb", "libstd-rust-dev", "1.63.0+dfsg1-2",
            "sha256:de55a06ec2b6bede97e2b756e3b87c9d2ee81cc85de1d3ff719d298803039ef4",
            path="pool/main/r/rustc/libstd-rust-dev_1.63.0+dfsg1-2_amd64.deb"),
        ("so", "rlib")),
    Src(Pkg("deb", "coreutils", "9.1-1",
            "sha256:61038f857e346e8500adf53a2a0a20859f4d3a3b51570cc876b153a2d51a3091",
            path="pool/main/c/coreutils/coreutils_9.1-1_amd64.deb"),
        ("exe", "mo")),
    Src(Pkg("deb", "binutils-x86-64-linux-gnu", "2.40-2",
            "sha256:2d7ea8a570d768224d7f2424abbe6f373d2154865a1fa7f56c80d43ecf492521",
            path="pool/main/b/binutils/binutils-x86-64-linux-gnu_2.40-2_amd64.deb"),
        ("exe", "so")),
    Src(Pkg("deb", "strace", "6.1-0.1",
            "sha256:1942d086a6244a1a9643489d3b0aa604ac44b88991d6c69217a63a193671bd4f",
            path="pool/main/s/strace/strace_6.1-0.1_amd64.deb"),
        ("exe",)),
    Src(Pkg("deb", "lynx", "2.9.0dev.12-1",
            "sha256:b3ddd209d1da5038b7d5619881db4909db94ff5704feefe7faa9f7e7664b80ed",
            path="pool/main/l/lynx/lynx_2.9.0dev.12-1_amd64.deb"),
        ("exe", "mo")),
    Src(Pkg("deb", "gettext", "0.21-12",
            "sha256:8c1f9d43575373ce311f51d00a13afbb4888d63aa559a93a3472f5d77513b60c",
            path="pool/main/g/gettext/gettext_0.21-12_amd64.deb"),
        ("exe", "so", "mo")),
    Src(Pkg("deb", "llvm-14-dev", "1:14.0.6-12",
            "sha256:6c71241d22d0c0d7515f3dee3f5f2cad5566e35dca8796d55937375b6fcc27f6",
            path="pool/main/l/llvm-toolchain-14/llvm-14-dev_14.0.6-12_amd64.deb"),
        ("a",)),
    Src(Pkg("deb", "libgmp-dev", "2:6.2.1+dfsg1-1.1",
            "sha256:a12b9dd1bf84dd3357c2aee2cb9c10092ebccff0c879648566ae87d27ba7ecc0",
            path="pool/main/g/gmp/libgmp-dev_6.2.1+dfsg1-1.1_amd64.deb"),
        ("a",)),
    Src(Pkg("deb", "libmpfr-dev", "4.2.0-1",
            "sha256:9831a86897b68d401ff371a3af5ac2c29b4f9447e0228731ec9f2e571fef3fe5",
            path="pool/main/m/mpfr4/libmpfr-dev_4.2.0-1_amd64.deb"),
        ("a",)),
    Src(Pkg("deb", "libboost-regex1.74-dev", "1.74.0+ds1-21",
            "sha256:087d32c9755bb3afb359d348e12924cca8317073917262cfb951bc3b63c87deb",
            path="pool/main/b/boost1.74/libboost-regex1.74-dev_1.74.0+ds1-21_amd64.deb"),
        ("a",)),
    Src(Pkg("deb", "fonts-dejavu-core", "2.37-6",
            "sha256:8892669e51aab4dc56682c8e39d8ddb7d70fad83c369344e1e240bf3ca22bb76",
            path="pool/main/f/fonts-dejavu/fonts-dejavu-core_2.37-6_all.deb"),
        ("ttf",)),
    Src(Pkg("deb", "fonts-liberation", "1:1.07.4-11",
            "sha256:efd381517f958b01969343634ffcbdd60056be7779af84c6f53a005090430204",
            path="pool/main/f/fonts-liberation/fonts-liberation_1.07.4-11_all.deb"),
        ("ttf",)),
    Src(Pkg("deb", "publicsuffix", "20230209.2326-1",
            "sha256:791c92c681a3cefcc9721445dc8a301a1a3cb3eef40ac2c16a4d9dd9ad5a42d7",
            path="pool/main/p/publicsuffix/publicsuffix_20230209.2326-1_all.deb"),
        ("dat",)),
)

MIN_TEXT, MAX_TEXT = 4_000, 400_000  # text and web files: whole, of typical response sizes
MIN_SVG = 1_000  # icons are small: SVG files from 1 KB
MIN_BIN, CUT_BIN = 40_000, 1 << 20  # binary files: at least this, cut to at most this
CUT_EXE = 2 << 20  # the executables of set "exe"
COUNTS = {
    "text": {"html": 120, "json": 40, "js": 40, "css": 20, "xml": 20, "md": 30, "text": 30,
             "rust": 60, "python": 60},
    "numeric": {"svg": 300, "json": 6},
    "morebin": {"so": 40, "exe": 30, "a": 12, "mo": 12, "ttf": 6, "rlib": 4, "dat": 1},
}
TEXT_EXT = {"html": "html", "htm": "html", "svg": "svg", "json": "json", "js": "js", "mjs": "js", "css": "css",
            "xml": "xml", "xsl": "xml", "md": "md", "markdown": "md", "txt": "text",
            "rst": "text", "rs": "rust", "py": "python"}
TEXT_NAMES = ("readme", "license", "licence", "copying", "changelog", "changes", "history",
              "news", "authors", "notice", "copyright", "contributing")
RULES_VERSION = 2  # bump when the selection code changes what it picks


def text_kind(path: str) -> str | None:
    base = path.rsplit("/", 1)[-1].lower()
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    if stem.split(".")[0].split("-")[0] in TEXT_NAMES and ext in ("", "txt"):
        return "text"
    return TEXT_EXT.get(ext)


def bin_kind(path: str, head: bytes) -> str | None:
    base = path.rsplit("/", 1)[-1]
    if head.startswith(b"\x7fELF"):
        if base.endswith(".so") or ".so." in base:
            return "so"
        if "/bin/" in "/" + path or "/sbin/" in "/" + path or "/libexec/" in path:
            return "exe"
        return None
    if head.startswith(b"!<arch>\n"):
        return "rlib" if base.endswith(".rlib") else "a" if base.endswith(".a") else None
    ext = base.rpartition(".")[2]
    return {"mo": "mo", "ttf": "ttf", "dat": "dat"}.get(ext)


def members(src: Src, archive: bytes, set_: str) -> dict[str, list[tuple[str, bytes]]]:
    """The package's candidate files by kind: (archive path, bytes kept), paths in tar order."""
    if src.pkg.registry == "deb":
        archive = deb_data_tar(archive)
    out: dict[str, list[tuple[str, bytes]]] = {}
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:*") as tar:
        for m in tar:
            if not m.isreg():
                continue
            path = m.name.removeprefix("./")
            if src.pkg.registry in ("npm", "pypi"):  # drop the top folder
                path = path.split("/", 1)[1] if "/" in path else path
            if set_ == "exe":
                if path in src.exe:
                    out.setdefault("exe", []).append((path, tar.extractfile(m).read(CUT_EXE)))
                continue
            if set_ in ("text", "numeric"):
                kind = text_kind(path)
                low = MIN_SVG if kind == "svg" else MIN_TEXT
                if kind in src.kinds and low <= m.size <= MAX_TEXT:
                    out.setdefault(kind, []).append((path, tar.extractfile(m).read()))
                continue
            if m.size < MIN_BIN:
                continue
            f = tar.extractfile(m)
            data = f.read(CUT_BIN)
            kind = bin_kind(path, data[:8])
            if kind in src.kinds:
                out.setdefault(kind, []).append((path, data))
    if set_ == "exe" and len(out.get("exe", [])) != len(src.exe):
        raise SystemExit(f"train_corpus: {src.pkg.label}: missing one of {src.exe}")
    return out


def pick(cands: list[dict[str, list[tuple[str, bytes]]]], kind: str, count: int,
         seen: set[str]) -> list[tuple[int, str, bytes, str]]:
    """`count` files of `kind`: the packages take turns, each giving its next file by sha256 of
    the path; repeated contents are passed over. (package index, path, bytes, sha256)."""
    queues = [sorted(c.get(kind, []), key=lambda f: hashlib.sha256(f[0].encode()).hexdigest())
              for c in cands]
    taken, pos = [], [0] * len(queues)
    while len(taken) < count:
        progress = False
        for i, q in enumerate(queues):
            while pos[i] < len(q) and len(taken) < count:
                path, data = q[pos[i]]
                pos[i] += 1
                digest = hashlib.sha256(data).hexdigest()
                if digest in seen:
                    continue
                seen.add(digest)
                taken.append((i, path, data, digest))
                progress = True
                break
        if not progress:
            raise SystemExit(f"train_corpus: only {len(taken)} files of kind {kind}, "
                             f"{count} wanted")
    return taken


# ---------------------------------------------------------------- building


def sets() -> dict[str, tuple[Src, ...]]:
    return {"text": TEXT, "numeric": NUMERIC, "exe": EXE, "morebin": MOREBIN}


def check_sources() -> None:
    """No package of the validation corpus, none twice."""
    banned = {(p.registry, p.name) for p in VALIDATION}
    names = [(s.pkg.registry, s.pkg.name) for g in sets().values() for s in g]
    for n in names:
        if n in banned:
            raise SystemExit(f"train_corpus: {n[1]} is in web_corpus.py's PACKAGES")
    if len(set(names)) != len(names):
        raise SystemExit("train_corpus: a package is listed twice")


def stamp_of() -> str:
    spec = {"sets": {g: [[s.pkg.__dict__, s.kinds, s.exe] for s in v] for g, v in sets().items()},
            "counts": COUNTS, "text": [MIN_TEXT, MAX_TEXT], "bin": [MIN_BIN, CUT_BIN, CUT_EXE],
            "ext": TEXT_EXT, "names": TEXT_NAMES, "rules": RULES_VERSION}
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()


def complete(out: str, stamp: str) -> list[list[str]] | None:
    """The manifest rows if `out` holds a finished training corpus for this stamp, else None."""
    return web_corpus.complete(out, stamp, lambda row: (row[2], int(row[3])))


def build(out: str, cache: str) -> list[list[str]]:
    os.makedirs(cache, exist_ok=True)
    all_srcs = [s for g in sets().values() for s in g]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda s: fetch(s.pkg, cache), all_srcs))  # download (and verify) all
    for name in (".stamp", "MANIFEST.tsv"):
        if os.path.exists(os.path.join(out, name)):
            os.remove(os.path.join(out, name))
    for g in sets():
        shutil.rmtree(os.path.join(out, g), ignore_errors=True)
    rows = []
    seen: set[str] = set()
    for g, srcs in sets().items():
        cands = [members(s, fetch(s.pkg, cache), g) for s in srcs]
        if g == "exe":
            picked = {"exe": [(i, p, d, hashlib.sha256(d).hexdigest())
                              for i, c in enumerate(cands) for p, d in c["exe"]]}
        else:
            picked = {k: pick(cands, k, n, seen) for k, n in COUNTS[g].items()}
        for kind, files in picked.items():
            for i, path, data, digest in files:
                pkg = srcs[i].pkg
                name = file_name(pkg.label, path)
                if g == "exe":
                    rel = f"exe/{name}.bin"
                else:
                    rel = f"{g}/{kind}/{name}"
                    if rel.endswith(".bin"):  # only set "exe" takes BINARY_WEIGHT
                        rel += "_"
                dest = os.path.join(out, rel)
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                if os.path.exists(dest):
                    raise SystemExit(f"train_corpus: two files named {rel}")
                with open(dest, "wb") as f:
                    f.write(data)
                rows.append([g, kind, rel, str(len(data)), digest, pkg.name, pkg.version])
    rows.sort(key=lambda r: r[2])
    with open(os.path.join(out, "MANIFEST.tsv"), "w") as f:
        f.write("set\tkind\tfile\tsize\tsha256\tpackage\tversion\n")
        f.writelines("\t".join(r) + "\n" for r in rows)
    with open(os.path.join(out, ".stamp"), "w") as f:
        f.write(stamp_of() + "\n")
    return rows


def summary(rows: list[list[str]], seconds: float) -> None:
    print(f"{'set':8} {'kind':7} {'files':>6} {'bytes':>12}  packages")
    for g in sets():
        kinds = sorted({r[1] for r in rows if r[0] == g})
        for k in kinds:
            mine = [r for r in rows if r[0] == g and r[1] == k]
            print(f"{g:8} {k:7} {len(mine):6} {sum(int(r[3]) for r in mine):12,}  "
                  f"{len({r[5] for r in mine})}")
        mine = [r for r in rows if r[0] == g]
        print(f"{g:8} {'all':7} {len(mine):6} {sum(int(r[3]) for r in mine):12,}")
    print(f"({seconds:.1f} s)")


def main() -> None:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(root, "target", "train-corpus"),
                    help="output directory (default: target/train-corpus)")
    ap.add_argument("--cache", default=os.path.join(root, "target", "train-corpus-cache"),
                    help="download cache (default: target/train-corpus-cache)")
    args = ap.parse_args()
    check_sources()
    start = time.monotonic()
    stamp = stamp_of()
    rows = complete(args.out, stamp)
    if rows is not None:
        print(f"train_corpus: {args.out} is complete (stamp {stamp[:12]})")
    else:
        rows = build(args.out, args.cache)
        print(f"train_corpus: wrote {args.out}")
    summary(rows, time.monotonic() - start)


if __name__ == "__main__":
    main()
