# CI/CD servers and code hosts published with their sign-up or setup open were no finding: Woodpecker
# under WOODPECKER_OPEN (everyone with an account at the forge runs pipelines on its agents), Drone
# with its default open registration, Gitea with INSTALL_LOCK=false (its installation page makes the
# first visitor the administrator), Jenkins with the setup wizard skipped and no security realm given,
# Argo Workflows' server under --auth-mode=server, Nexus before 3.17 (admin/admin123) and GitLab
# before 14.0 with no root password (its first visitor sets it). The secure twins stay quiet:
# WOODPECKER_ORGS, DRONE_USER_FILTER, INSTALL_LOCK=true, Configuration as Code, --auth-mode=client,
# Nexus 3.75 (a random password), GitLab 17 (a random root password when none is given).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-MESH-012")
want = ["argo", "ci", "drone", "git", "gitlab-old", "jenkins", "nexus-old"]
assert sorted(rows) == want, sorted(rows)
assert all(sev == "high" for sev, _ in rows.values()), rows
assert "WOODPECKER_OPEN" in rows["ci"][1] and "installation page" in rows["git"][1], rows
assert "admin123" in rows["nexus-old"][1] and "root account" in rows["gitlab-old"][1], rows
PY
