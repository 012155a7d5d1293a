#!/usr/bin/env python3
"""An acceptance whose review date has passed still holds until it expires, but the reports say its
review is due (Markdown decisions table, JSON overlay.accepted[].review_due). Usage: review_due.py TRUSTMAP"""
import json
import os
import subprocess
import sys
import tempfile

os.environ["TRUSTMAP_STORE"] = "none"
SPEC = """openapi: 3.0.3
info: {title: pets, version: "1"}
paths:
  /pets/{petId}:
    delete:
      security: []
      parameters: [{name: petId, in: path, required: true, schema: {type: integer}}]
      responses: {"204": {description: gone}}
"""


def scan(tm, d, fmt):
    r = subprocess.run([tm, "scan", d, "--no-store", "--format", fmt], capture_output=True, text=True, check=False)
    return r.stdout


def main():
    tm = sys.argv[1]
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "api.yaml"), "w") as f:
            f.write(SPEC)
        fp = json.loads(scan(tm, d, "json"))["findings"][0]["fingerprint"]
        bad = []
        for review, due in (("2020-01-01", True), ("2999-01-01", False)):
            with open(os.path.join(d, "trustmap.yaml"), "w") as f:
                f.write("accepted:\n  - fingerprint: %s\n    owner: team-pets\n    rationale: internal tool\n"
                        "    expires: 2999-12-31\n    review: %s\n" % (fp, review))
            j = json.loads(scan(tm, d, "json"))
            acc = j["overlay"]["accepted"]
            if not acc or acc[0].get("review_due") is not due:
                bad.append("review %s: review_due should be %s: %s" % (review, due, acc))
            still = [x for x in j["findings"] if x["fingerprint"] == fp]
            if not still or still[0]["status"] != "accepted":
                bad.append("review %s: the acceptance still holds until it expires: %s" % (review, still))
            md = scan(tm, d, "md")
            if ("review due" in md) is not due:
                bad.append("review %s: the Markdown says 'review due' only when it is" % review)
        for b in bad:
            print("FAIL:", b)
        return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
