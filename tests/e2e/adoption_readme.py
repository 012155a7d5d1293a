#!/usr/bin/env python3
"""Every shell command of README.md runs on a fresh clone, in order, as a reader would type them.

The ```sh blocks are read (continuation lines joined); `build/trustmap` is the binary under test;
a corpus path (../shared/corpus/...) is replaced by the bundled example; `--until` dates are
computed from today (so the README cannot expire); `serve` runs for a few seconds and must still be
serving. The commands run in a git repository holding a copy of examples/ on a branch `main`, with
the register in a temporary $XDG_STATE_HOME, and must leave the work tree clean. Exit codes: 0,
or 1 where the command is a gate (--fail-on) or a `query can` (1 is "denied").
Not run, and said: `make demo`/`make check` (this suite is what they run; a fresh clone's
`make demo && make check` is the acceptance test), `scripts/install-deps.sh` (installs packages)
and the by-hand build (cmake/ctest, which scripts/check.sh runs).

usage: adoption_readme.py TRUSTMAP SOURCE_DIR
"""
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile

tm, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
readme = open(os.path.join(src, "README.md"), encoding="utf-8").read()
commands = []
for block in re.findall(r"```sh\n(.*?)```", readme, re.S):
    text = re.sub(r"\\\n\s*", " ", block)
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            commands.append(line)

skip_prefixes = ("make ", "scripts/install-deps.sh", "cmake ", "cd build")
until = (datetime.date.today() + datetime.timedelta(days=90)).isoformat()
tmp = tempfile.mkdtemp(prefix="trustmap-readme.")
failures, ran, skipped = [], 0, []
try:
    work = os.path.join(tmp, "clone")
    shutil.copytree(os.path.join(src, "examples"), os.path.join(work, "examples"),
                    ignore=shutil.ignore_patterns(".trustmap"))
    os.makedirs(os.path.join(work, "build"))
    os.symlink(tm, os.path.join(work, "build", "trustmap"))
    with open(os.path.join(work, ".gitignore"), "w") as f:
        f.write("/build/\n")
    git = ["git", "-C", work, "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", "-b", "main", work], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "clone"], check=True)
    env = dict(os.environ, XDG_STATE_HOME=os.path.join(tmp, "state"), NO_COLOR="1", HOME=os.path.join(tmp, "home"))
    for k in ("TRUSTMAP_STORE", "TRUSTMAP_ROOT", "TRUSTMAP_NOW"):
        env.pop(k, None)
    os.makedirs(env["HOME"])
    for cmd in commands:
        if cmd.startswith(skip_prefixes):
            skipped.append(cmd)
            continue
        run = re.sub(r"\.\./shared/corpus/[\w./-]+", "examples/shop", cmd)
        run = re.sub(r"--until \d{4}-\d{2}-\d{2}", "--until " + until, run)
        serve = " serve " in " " + run + " "
        if serve:
            # the listen option before the line's comment (it was appended after it, so the server took
            # the default port 8080 and failed wherever another run held it)
            run = "timeout 3 " + re.sub(r"\s+#.*$", "", run) + " --listen 127.0.0.1:0"
        r = subprocess.run(["bash", "-c", run], cwd=work, env=env, capture_output=True, text=True, timeout=300)
        ran += 1
        allowed = {124} if serve else ({0, 1} if "--fail-on" in run or " query can " in run else {0})
        if r.returncode not in allowed:
            failures.append("%s\n    exit %d (expected %s): %s" % (cmd, r.returncode, sorted(allowed), r.stderr.strip()[-600:]))
    status = subprocess.run(["git", "-C", work, "status", "--porcelain"], capture_output=True, text=True).stdout
    if status.strip():
        failures.append("the README's commands left files in the work tree:\n" + status)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

for s in skipped:
    print("not run (see the docstring): " + s)
for f in failures:
    print("FAIL: " + f, file=sys.stderr)
print("%d README commands run, %d skipped, %d failed" % (ran, len(skipped), len(failures)))
sys.exit(1 if failures or ran < 15 else 0)
