#!/usr/bin/env python3
"""Fingerprints do not change when unrelated lines are added to the inputs.

Copies the example system, adds comments, blank lines and an unrelated document
at the top of every YAML file (so every line number moves), rescans, and
requires the same set of (rule, fingerprint) pairs. Then changes something that
matters and requires the set to change, so the test can fail.
Usage: fingerprints.py TRUSTMAP SOURCE_DIR"""
import json
import os
os.environ.setdefault("TRUSTMAP_STORE", "none")  # no register written into the source tree
import shutil
import subprocess
import sys
import tempfile


def fingerprints(trustmap, path):
    p = subprocess.run([trustmap, "scan", "--format", "json", path], capture_output=True, text=True, check=True)
    return {(f["rule"], f["fingerprint"]) for f in json.loads(p.stdout)["findings"]}


def main():
    trustmap, src = sys.argv[1:3]
    base = fingerprints(trustmap, os.path.join(src, "examples", "shop"))
    with tempfile.TemporaryDirectory() as tmp:
        shop = os.path.join(tmp, "shop")
        shutil.copytree(os.path.join(src, "examples", "shop"), shop, symlinks=True)
        for root, _, files in os.walk(shop):
            for name in files:
                if not name.endswith((".yaml", ".yml")):
                    continue
                path = os.path.join(root, name)
                text = open(path).read()
                if text.lstrip().startswith(("openapi", "swagger", "asyncapi", "#", "assets")) or name == "trustmap.yaml":
                    text = "# a comment added by the test\n\n# and another\n" + text
                else:
                    text = ("# unrelated\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: unrelated-%s, namespace: shop}\n"
                            "data: {LOG_LEVEL: info}\n---\n" % name.split(".")[0]) + text
                open(path, "w").write(text)
        moved = fingerprints(trustmap, shop)
        if moved != base:
            print("FAIL: fingerprints changed after unrelated edits:\n  lost %s\n  new %s" %
                  (sorted(base - moved), sorted(moved - base)))
            return 1
        # a real change must show: make the deprecated v1 API require credentials
        cat = os.path.join(shop, "api", "catalog.openapi.json")
        text = open(cat).read()
        changed = text.replace('"security": []', '"security": [{"oauth": ["catalog:read"]}]', 1)
        if changed == text:
            print("FAIL: the test's real change did not apply")
            return 1
        open(cat, "w").write(changed)
        if fingerprints(trustmap, shop) == base:
            print("FAIL: a real change left every fingerprint as it was")
            return 1
    print("%d fingerprints stable across unrelated edits" % len(base))
    return 0


if __name__ == "__main__":
    sys.exit(main())
