#!/usr/bin/env python3
"""Make a trustmap SARIF log's locations relative to the repository root.

trustmap writes every artifact uri relative to the folder it scanned (uriBaseId %SRCROOT%). Code
scanning resolves %SRCROOT% to the repository root, so when the scanned folder is a subfolder
(the action's `path:`), each relative uri gets the folder's path in the repository in front.

usage: sarif-rebase.py LOG PREFIX   (PREFIX: the folder's path in the repository, e.g. 'deploy/k8s/';
                                     empty: nothing to do). The log is rewritten in place.
"""
import json
import sys
import urllib.parse


def rebase(node, prefix):
    if isinstance(node, dict):
        if node.get("uriBaseId") == "%SRCROOT%" and isinstance(node.get("uri"), str) and "://" not in node["uri"]:
            node["uri"] = prefix + node["uri"]
        for v in node.values():
            rebase(v, prefix)
    elif isinstance(node, list):
        for v in node:
            rebase(v, prefix)


def main():
    log_path, prefix = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
    prefix = prefix.strip("/")
    if not prefix:
        return 0
    # the uris are percent-encoded uri-references: so is the prefix
    prefix = urllib.parse.quote(prefix, safe="/!$&'()*+,;=@-._~") + "/"
    with open(log_path, "rb") as f:
        log = json.load(f)
    for run in log.get("runs", []):
        rebase(run.get("results", []), prefix)
        rebase(run.get("artifacts", []), prefix)
        base = run.get("originalUriBaseIds", {}).get("%SRCROOT%")
        if isinstance(base, dict):
            base["description"] = {"text": "The repository root: every relative artifact uri is relative to it "
                                           "(trustmap scanned %s)." % prefix}
    with open(log_path, "w", encoding="utf-8") as f:
        json.dump(log, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
