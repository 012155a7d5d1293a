#!/usr/bin/env python3
"""The GitHub composite action (action.yml) and the example workflow, as a runner would run them.

- action.yml installs exactly scripts/install-deps.sh's build set;
- an actionlint-style check of action.yml and docs/ci/trustmap-pr.yml: every step has a shell,
  no ${{ }} inside a script, scripts parse (bash -n), outputs name existing steps, the upload runs
  `if: always()` with a category, no ref that cannot exist (docs/ci.md too);
- the build step, run as a script (apt replaced by a check that the packages are installed),
  configures and builds (skipped in sanitizer builds: the normal suite runs it). Its compiles run at
  -O0 through a compiler launcher (CMAKE_C_COMPILER_LAUNCHER): the step's own commands, package set,
  target and link, at a fifth of -O3's CPU in a suite that has compiled the same sources already;
  TM_ACTION_FULL_BUILD=1 builds exactly as a runner would;
- the review step on a pull request whose change adds findings, scanning a subfolder: the gate
  fails (exit 1) and still the review reaches the job summary, the outputs are set, the SARIF is
  the full scan's (not the diff's), validates against the SARIF 2.1.0 schema when the validator
  is installed, and every uri names a file relative to the repository root. The same on a push.

usage: adoption_action.py TRUSTMAP SOURCE_DIR [SANITIZE]
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

tm, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
sanitize = len(sys.argv) > 3 and sys.argv[3].upper() in ("ON", "1", "TRUE", "YES")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what, file=sys.stderr)


def steps_of(text):
    """The steps of action.yml's runs: [{name, id, shell, run, env}] (PyYAML when present)."""
    try:
        import yaml  # noqa: F401
        doc = yaml.safe_load(text)
        return doc["runs"]["steps"], doc
    except ImportError:
        pass
    # a small reader for this file's shape: '    - name:' starts a step, 'run: |' a block
    steps, cur, block = [], None, None
    for line in text.splitlines():
        if re.match(r"^    - ", line):
            cur = {}
            steps.append(cur)
            block = None
            line = "      " + line[6:]
        if cur is None:
            continue
        if block is not None:
            if line.startswith("        ") or not line.strip():
                cur["run"] += line[8:] + "\n"
                continue
            block = None
        m = re.match(r"^      (\w[\w-]*):\s*(.*)$", line)
        if m:
            k, v = m.group(1), m.group(2)
            if k == "run" and v == "|":
                cur["run"], block = "", True
            else:
                cur[k] = v
    return steps, None


def apt_packages(script):
    m = re.search(r"apt-get install ([^\n>]*)", script)
    return sorted(w for w in m.group(1).split() if not w.startswith("-")) if m else []


action_text = open(os.path.join(src, "action.yml"), encoding="utf-8").read()
steps, doc = steps_of(action_text)
build_set = sorted(subprocess.run(["bash", os.path.join(src, "scripts/install-deps.sh"), "--print-build"],
                                  capture_output=True, text=True, check=True).stdout.split())

# 1. the packages
build_step = next(s for s in steps if "apt-get install" in s.get("run", ""))
check(apt_packages(build_step["run"]) == build_set,
      "action.yml installs %s, install-deps.sh --build installs %s" % (apt_packages(build_step["run"]), build_set))

# 2. lint
ids = set()
for s in steps:
    name = s.get("name", "?")
    check(s.get("shell") == "bash", "step '%s' has shell: bash" % name)
    run = s.get("run", "")
    check("${{" not in run, "step '%s': no ${{ }} inside the script (injection)" % name)
    r = subprocess.run(["bash", "-n"], input=run, text=True, capture_output=True)
    check(r.returncode == 0, "step '%s' parses: %s" % (name, r.stderr.strip()))
    check(not re.search(r"(^|;)\s*\w*=\$\?", run, re.M), "step '%s': no 'cmd; rc=$?' (bash -e stops before it)" % name)
    if "id" in s:
        ids.add(s["id"])
for m in re.finditer(r"steps\.([\w-]+)\.outputs", action_text):
    check(m.group(1) in ids, "action output names step '%s', which exists" % m.group(1))
for m in re.finditer(r"inputs\.([\w-]+)", action_text):
    check(re.search(r"^  %s:$" % re.escape(m.group(1)), action_text, re.M) is not None,
          "action.yml uses input '%s', which it declares" % m.group(1))

wf = open(os.path.join(src, "docs/ci/trustmap-pr.yml"), encoding="utf-8").read()
up = wf[wf.index("upload-sarif"):]
check(re.search(r"^\s+if: always\(\)", up, re.M) is not None, "the example workflow uploads SARIF if: always()")
check("category: ${{ steps.trustmap.outputs.category }}" in up, "the example workflow uploads with a category")
check("push:" in wf, "the example workflow also runs on push (code scanning's baseline)")
ci_md = open(os.path.join(src, "docs/ci.md"), encoding="utf-8").read()
for text, where in ((wf, "docs/ci/trustmap-pr.yml"), (ci_md, "docs/ci.md")):
    check("acme/trustmap" not in text and "rev: v0.1.0" not in text and "trustmap@v1" not in text,
          "%s names no ref that does not exist" % where)
for block in re.findall(r"```yaml\n(.*?)```", ci_md, re.S):
    if "upload-sarif" in block:
        check("always()" in block and "category:" in block, "docs/ci.md's upload example: if: always() and a category")
try:
    import yaml
    yaml.safe_load(wf)
    for block in re.findall(r"```yaml\n(.*?)```", ci_md, re.S):
        yaml.safe_load(block)
except ImportError:
    pass

tmp = tempfile.mkdtemp(prefix="trustmap-action.")
try:
    env0 = dict(os.environ, NO_COLOR="1")
    env0.pop("TRUSTMAP_STORE", None)

    # 3. the build step as a script
    bin_dir = os.path.dirname(tm)
    if sanitize:
        print("skip: the build step is run by the normal (unsanitized) suite", file=sys.stderr)
    elif not shutil.which("dpkg-query"):
        print("skip: the build step needs a Debian system", file=sys.stderr)
    else:
        script = re.sub(r"^sudo apt-get update.*$", ":", build_step["run"], flags=re.M)
        script = re.sub(r"^sudo apt-get install[^\n]*$",
                        "for p in %s; do dpkg-query -W -f='${Status}' \"$p\" | grep -q 'install ok installed' "
                        "|| { echo \"not installed: $p\" >&2; exit 1; }; done" % " ".join(build_set), script, flags=re.M)
        build = os.path.join(tmp, "build")
        gh_path = os.path.join(tmp, "github_path")
        env = dict(env0, SRC=src, BUILD=build, GITHUB_PATH=gh_path)
        if os.environ.get("TM_ACTION_FULL_BUILD") != "1":
            # the compiler's last -O wins: the Release flags' -O3 becomes -O0 (a faster compile of
            # the same build); CMake reads the launcher from the environment when it configures
            launcher = os.path.join(tmp, "cc-O0")
            with open(launcher, "w") as f:
                f.write('#!/bin/sh\nexec "$@" -O0\n')
            os.chmod(launcher, 0o755)
            env["CMAKE_C_COMPILER_LAUNCHER"] = launcher
        r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], env=env,
                           capture_output=True, text=True, timeout=1800)
        check(r.returncode == 0, "the action's build step configures and builds: %s" % r.stderr[-2000:])
        if r.returncode == 0:
            check(open(gh_path).read().strip() == build, "the build step puts its build on PATH")
            check(os.access(os.path.join(build, "trustmap"), os.X_OK), "the build step builds trustmap")
            bin_dir = build
    if not os.access(os.path.join(bin_dir, "trustmap"), os.X_OK):
        bin_dir = os.path.dirname(tm)

    # 4. the review step on a pull request that adds findings, path: a subfolder
    repo = os.path.join(tmp, "repo")
    sub = os.path.join(repo, "deploy", "shop")
    shutil.copytree(os.path.join(src, "examples/shop"), sub, ignore=shutil.ignore_patterns(".trustmap"))
    os.makedirs(os.path.join(repo, "docs"))
    open(os.path.join(repo, "docs", "README.md"), "w").write("not an input\n")
    git = ["git", "-C", repo, "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", repo], check=True)
    moved = os.path.join(tmp, "admin.yaml")
    shutil.move(os.path.join(sub, "k8s", "admin.yaml"), moved)       # the base has no admin service
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "base"], check=True)
    base = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    shutil.move(moved, os.path.join(sub, "k8s", "admin.yaml"))       # the change adds it

    review_step = next(s for s in steps if s.get("id") == "review")

    def run_review(root, base_rev, name):
        summary, output = os.path.join(tmp, name + ".summary"), os.path.join(tmp, name + ".output")
        env = dict(env0, PATH=bin_dir + os.pathsep + env0.get("PATH", ""), ACTION_PATH=src, ROOT=root, BASE=base_rev,
                   FAIL_ON="high", SARIF=name + ".sarif", CATEGORY="", TRUSTMAP_STORE="none",
                   GITHUB_STEP_SUMMARY=summary, GITHUB_OUTPUT=output, XDG_STATE_HOME=os.path.join(tmp, "state"))
        r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", review_step["run"]],
                           cwd=repo, env=env, capture_output=True, text=True, timeout=600)
        outputs = dict(l.split("=", 1) for l in open(output).read().splitlines() if "=" in l) if os.path.exists(output) else {}
        return r, (open(summary).read() if os.path.exists(summary) else ""), outputs, os.path.join(repo, name + ".sarif")

    def sarif_uris_exist(path, what):
        log = json.load(open(path, "rb"))
        uris = []
        for run in log["runs"]:
            for res in run.get("results", []):
                for loc in res.get("locations", []) + res.get("relatedLocations", []):
                    al = loc.get("physicalLocation", {}).get("artifactLocation", {})
                    if "uri" in al:
                        uris.append(al)
        check(len(uris) > 10, "%s: results with locations (%d)" % (what, len(uris)))
        missing = [a["uri"] for a in uris
                   if a.get("uriBaseId") != "%SRCROOT%" or
                   not os.path.isfile(os.path.join(repo, urllib.parse.unquote(a["uri"])))]
        check(not missing, "%s: every uri is relative to the repository root and exists: %s" % (what, missing[:5]))
        return log

    full = subprocess.run([tm, "scan", sub, "--format", "sarif", "--no-store"], capture_output=True, env=env0)
    nfull = len(json.loads(full.stdout)["runs"][0]["results"])
    for name, base_rev in (("pr", base), ("push", "")):
        r, summary, outputs, sarif = run_review("deploy/shop", base_rev, name)
        check(r.returncode == 1, "%s: the gate fails with exit 1 (got %d: %s)" % (name, r.returncode, r.stderr[-500:]))
        check(len(summary) > 200, "%s: the review reaches the job summary although the gate failed" % name)
        check(outputs.get("review") == "trustmap-review.md", "%s: the review output is set" % name)
        check(outputs.get("category") == "trustmap/deploy/shop", "%s: category trustmap/deploy/shop (%r)" % (name, outputs.get("category")))
        check(os.path.exists(sarif), "%s: the SARIF is written although the gate failed" % name)
        if os.path.exists(sarif):
            log = sarif_uris_exist(sarif, name)
            check(len(log["runs"][0]["results"]) == nfull,
                  "%s: the SARIF is the full scan's (%d results, the full scan has %d)" % (name, len(log["runs"][0]["results"]), nfull))
            validator = os.path.join(src, "tests/sarif/validate.js")
            if shutil.which("node") and os.path.isdir(os.path.join(src, "tests/sarif/node_modules/ajv-draft-04")):
                v = subprocess.run(["node", validator, sarif], capture_output=True, text=True)
                check(v.returncode == 0, "%s: the rebased SARIF validates: %s" % (name, v.stdout[-1000:]))
    # the repository root as path: no prefix, uris still exist
    r, summary, outputs, sarif = run_review(".", base, "root")
    check(r.returncode == 1 and len(summary) > 200, "root: gate and summary (exit %d)" % r.returncode)
    check(outputs.get("category") == "trustmap", "root: category trustmap (%r)" % outputs.get("category"))
    if os.path.exists(sarif):
        sarif_uris_exist(sarif, "root")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print("%d failures" % len(failures))
sys.exit(1 if failures else 0)
