# AO trial (WordPress, Drupal, Strapi, Mastodon): the platforms' own signing and encryption keys were
# no credential names: WORDPRESS_AUTH_KEY and the other seven keys and salts, DRUPAL_HASH_SALT,
# Strapi's APP_KEYS, API_TOKEN_SALT and TRANSFER_TOKEN_SALT, Mastodon's ACTIVE_RECORD_ENCRYPTION_*
# keys and salt, DISCOURSE_SECRET_KEY_BASE: only OTP_SECRET of them was a literal credential. Now each
# written value is one (TM-SEC-001; one value for two services, TM-SEC-002), and an example file's
# value of one is TM-SEC-007 (WordPress's "put your unique phrase here"). Names that only hold KEY or
# SALT stay quiet: CACHE_KEY_PREFIX, *_KEY_ID, PUBLIC_KEY, SALT_ROUNDS, a salt of digits (a cost).
. "$(dirname "$0")/../lib.sh"
for d in fire quiet example; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$d" --format json --no-store --no-cache
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$d.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys
w = sys.argv[1]
def load(d):
    return json.load(open(f"{w}/{d}.json"))
def titles(d, rule):
    return [a["title"] for f in d["findings"] if f["rule"] == rule for a in (f.get("affected") or [f])]
def creds(d):
    return sorted(c for n in d["model"]["nodes"] for c in n.get("literal_credentials", []))

fire = load("fire")
want = ["wordpress/WORDPRESS_AUTH_KEY", "wordpress/WORDPRESS_SECURE_AUTH_KEY", "wordpress/WORDPRESS_LOGGED_IN_KEY",
        "wordpress/WORDPRESS_NONCE_KEY", "wordpress/WORDPRESS_AUTH_SALT", "wordpress/WORDPRESS_NONCE_SALT",
        "drupal/DRUPAL_HASH_SALT", "strapi/APP_KEYS", "strapi/API_TOKEN_SALT", "strapi/TRANSFER_TOKEN_SALT",
        "strapi-admin/API_TOKEN_SALT", "mastodon/SECRET_KEY_BASE", "mastodon/OTP_SECRET",
        "mastodon/ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY", "mastodon/ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY",
        "mastodon/ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT", "discourse/DISCOURSE_SECRET_KEY_BASE",
        "rails/RAILS_MASTER_KEY", "ghost/GHOST_SESSION_SECRET", "laravel/APP_KEY"]
got = creds(fire)
assert got == sorted(want), (sorted(set(want) - set(got)), sorted(set(got) - set(want)))
t1 = titles(fire, "TM-SEC-001")
for name in ("WORDPRESS_NONCE_SALT", "DRUPAL_HASH_SALT", "APP_KEYS", "TRANSFER_TOKEN_SALT",
             "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY", "DISCOURSE_SECRET_KEY_BASE"):
    assert any(name in x for x in t1), (name, t1)
t2 = titles(fire, "TM-SEC-002")
assert any("API_TOKEN_SALT" in x for x in t2), t2
# real values written in the deployed file: TM-SEC-001's, not TM-SEC-007's
assert not titles(fire, "TM-SEC-007"), titles(fire, "TM-SEC-007")

quiet = load("quiet")
assert creds(quiet) == [], creds(quiet)
assert not titles(quiet, "TM-SEC-001"), titles(quiet, "TM-SEC-001")

ex = load("example")
t7 = titles(ex, "TM-SEC-007")
assert len(t7) == 1 and t7[0].startswith("service:compose:blog/wordpress: WORDPRESS_AUTH_KEY comes from the published "
                                         "example (.env.example:2) and signs WordPress's login cookies and nonces"), t7
assert not titles(ex, "TM-SEC-001"), titles(ex, "TM-SEC-001")
PY
exit 0
