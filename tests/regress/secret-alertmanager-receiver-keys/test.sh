# Alertmanager's receiver secrets were not recognised: PagerDuty's routing_key (and v1's
# service_key), Opsgenie's api_key and a webhook URL whose query carries a token. They are
# TM-SEC-006 now; a key read from a file, a templated URL and RabbitMQ's routing_key (a route's
# name) are not.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
import regress
d = json.load(open(sys.argv[1]))
titles = [m["title"] for m in regress.members(d["findings"], "TM-SEC-006")]
text = "\n".join(titles)
for want in ["receivers[0].pagerduty_configs[0].routing_key", "receivers[1].pagerduty_configs[0].service_key",
             "receivers[2].opsgenie_configs[0].api_key", "receivers[3].webhook_configs[0].url"]:
    assert want in text, (want, text)
assert "receivers[4]" not in text and "routing_key is" not in text.replace("pagerduty_configs[0].routing_key is", ""), text
assert "rabbitmq" not in text, text
PY
