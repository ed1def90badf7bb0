#!/usr/bin/env python3
"""Tests of web_corpus.py's selection logic (no network): python3 tools/test_web_corpus.py"""

import base64
import hashlib
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import web_corpus as wc  # noqa: E402


class Groups(unittest.TestCase):
    def test_extensions(self):
        cases = {
            "dist/css/bootstrap.min.css": "css",
            "dist/jquery.js": "js",
            "lib/lib.dom.d.ts": "js",
            "src/index.ts": None,
            "index.mjs": "js",
            "usr/share/doc/x/html/index.html": "html",
            "data/countries.json": "json",
            "svgs/brands/github.svg": "svg",
            "docs/ref/models.txt": "text",
            "README.md": "text",
            "LICENSE": "text",
            "usr/share/doc/bash-doc/copyright": "text",
            "CHANGELOG.md": "text",
            "dist/bootstrap.min.js.map": None,
            "scss/_variables.scss": None,
            "fonts/x.woff2": None,
            "Makefile": None,
        }
        for path, group in cases.items():
            self.assertEqual(wc.group_of(path), group, path)

    def test_every_group_is_known(self):
        self.assertTrue(set(wc.GROUP_OF_EXT.values()) <= set(wc.GROUPS))
        self.assertEqual(set(wc.BUDGET), set(wc.GROUPS))


class Names(unittest.TestCase):
    def test_flattened_and_visible(self):
        self.assertEqual(wc.file_name("bootstrap@5.3.3", "dist/css/bootstrap.css"),
                         "bootstrap@5.3.3__dist__css__bootstrap.css")
        pkg = wc.Pkg("npm", "@fortawesome/fontawesome-free", "6.5.1", "sha512-")
        self.assertEqual(pkg.label, "@fortawesome+fontawesome-free@6.5.1")
        self.assertTrue(pkg.url.endswith("/@fortawesome/fontawesome-free/-/"
                                         "fontawesome-free-6.5.1.tgz"))

    def test_odd_characters_and_length(self):
        self.assertEqual(wc.file_name("p@1", "a b/c:d.html"), "p@1__a_b__c_d.html")
        long = wc.file_name("p@1", "x/" * 150 + "page.html")
        self.assertLessEqual(len(long), 200)
        self.assertTrue(long.endswith(".html"))
        self.assertNotEqual(long, wc.file_name("p@1", "x/" * 151 + "page.html"))


class Selection(unittest.TestCase):
    def test_order_prefers_then_hash(self):
        paths = ["b.js", "a.js", "dist/main.js", "c.js"]
        ordered = sorted(paths, key=lambda p: wc.order_key(p, ("dist/*.js",)))
        self.assertEqual(ordered[0], "dist/main.js")
        rest = sorted(paths[:2] + paths[3:], key=lambda p: hashlib.sha256(p.encode()).hexdigest())
        self.assertEqual(ordered[1:], rest)

    def test_fill_passes_over_misfits(self):
        self.assertEqual(wc.fill([5, 1, 1, 1], 3), [1, 2, 3])
        self.assertEqual(wc.fill([5, 1, 1, 1], 3, must=1), [0])
        self.assertEqual(wc.fill([], 10), [])

    def test_allocate_budget_and_fairness(self):
        cands = {"big": [100] * 50, "mid": [100] * 10, "small": [100] * 2}
        keep = wc.allocate(cands, budget=2000, max_share=1.0)
        used = {k: sum(cands[k][i] for i in v) for k, v in keep.items()}
        self.assertLessEqual(sum(used.values()), 2000)
        self.assertEqual(used["small"], 200)  # gives all it has
        self.assertEqual(used["mid"], 900)  # the others split the rest equally
        self.assertEqual(used["big"], 900)
        self.assertEqual(keep, wc.allocate(cands, budget=2000, max_share=1.0))

    def test_allocate_max_share(self):
        keep = wc.allocate({"only": [100] * 100}, budget=10_000, max_share=0.4)
        self.assertEqual(len(keep["only"]), 40)

    def test_allocate_must(self):
        keep = wc.allocate({"a": [5000, 10, 10], "b": [10] * 10}, budget=300, max_share=1.0,
                           must={"a": 1})
        self.assertIn(0, keep["a"])


class Integrity(unittest.TestCase):
    def test_forms(self):
        data = b"slz"
        sri = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
        self.assertTrue(wc.verify(data, sri))
        self.assertFalse(wc.verify(data + b"!", sri))
        self.assertTrue(wc.verify(data, "sha256:" + hashlib.sha256(data).hexdigest()))
        self.assertRaises(ValueError, wc.verify, data, "md5:00")

    def test_pinned_list(self):
        labels = [p.label for p in wc.PACKAGES]
        self.assertEqual(len(labels), len(set(labels)))
        for p in wc.PACKAGES:
            self.assertIn(p.registry, ("npm", "pypi", "deb"))
            if p.registry == "npm":
                self.assertRegex(p.integrity, r"^sha512-[A-Za-z0-9+/]{86}==$")
            else:
                self.assertRegex(p.integrity, r"^sha256:[0-9a-f]{64}$")
                self.assertTrue(p.path)


if __name__ == "__main__":
    unittest.main()
