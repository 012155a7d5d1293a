# A PostgreSQL password given anywhere but the URI's user info was printed verbatim when the store could
# not be opened: as a query parameter (?password=, ?sslpassword=, percent-encoded keys), echoed back by
# libpq's own message (an invalid percent-escape in the password, a password holding an '@'), or in a
# keyword=value connection string. No form of a credential may reach stderr or stdout.
. "$(dirname "$0")/../lib.sh"
secret=hunter2sekrit
# port 1 on the loopback: refused at once, no server needed
pg="127.0.0.1:1/x"
stores=(
  "postgresql://$pg?password=$secret&connect_timeout=2"
  "postgresql://$pg?connect_timeout=2&sslpassword=$secret"
  "postgresql://$pg?connect_timeout=2&pass%77ord=$secret"
  "postgresql://$pg?connect_timeout=2&PASSWORD=$secret"
  "postgresql://$pg?connect_timeout=2&password=$secret=x"
  "postgres://u:$secret@$pg?connect_timeout=2"
  "postgresql://u:${secret:0:4}%zz${secret:4}@$pg?connect_timeout=2"
  "postgresql://u:p@$secret@$pg?connect_timeout=2"
  "postgresql://u:${secret:0:6}%40${secret:6}@$pg?connect_timeout=2"
  "host=/nonexistent password=$secret"
  "host=/nonexistent password = '${secret:0:4} \\' ${secret:4}' user=u"
)
n=0
for s in "${stores[@]}"; do
  for cmd in findings scan; do
    n=$((n + 1))
    args=("$cmd" "$CASE" --store "$s")
    [ "$cmd" = scan ] && args+=(-o /dev/null)
    run_bounded 60 "$TRUSTMAP" "${args[@]}"
    expect_exit 4
    for piece in "$secret" "${secret:0:6}" "${secret:6}" "${secret:4}"; do
      if grep -qF -- "$piece" "$WORK/out" "$WORK/err"; then
        cat "$WORK/err" >&2
        fail "trustmap $cmd --store '$s' printed (part of) the password: '$piece'"
      fi
    done
    grep -q . "$WORK/err" || fail "trustmap $cmd --store '$s' failed without saying why"
  done
done
echo "checked $n commands" >&2
exit 0
