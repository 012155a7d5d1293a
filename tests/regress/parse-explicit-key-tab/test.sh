# A tab after an explicit key's value indicator ("? 1:\t?", found by fuzz-smoke on fuzz_json)
# corrupted libfyaml 0.7.12's indentation stack: freeing the parser crashed (SIGSEGV). Such lines are
# now refused with a positioned error before libfyaml reads them (also after "- " entries, as in
# fuzz-crash-seq.yaml from fuzz_compose, and on the lines continuing the key, as in
# fuzz-crash-continued.yaml from fuzz_runtime, and after ": " or nested entries, as in fuzz-crash-value.yaml
# and fuzz-crash-nested.yaml, and where a lone carriage return ends the key's line, as in fuzz-crash-cr.json
# from fuzz_json, and where a byte order mark follows the '?' as a blank, as in fuzz-crash-bom.yaml from
# fuzz_gatewayapi, after another '?', as in fuzz-crash-qq.yaml from fuzz_kustomize, and wherever a tab and then
# a '?' stand on a line, as in fuzz-crash-tabq.yaml from fuzz_parse, and on any later line of the document, as in
# fuzz-crash-later.yaml from fuzz_gatewayapi), and the scan
# goes on.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json
expect_exit 0 1 3
grep -q "tab after an explicit key" "$WORK/err" || { echo "no diagnostic for the explicit-key tab"; exit 1; }
grep -q "fuzz-crash-cr.json:2" "$WORK/err" ||
	{ echo "no diagnostic for the tab after a key ended by a lone carriage return"; exit 1; }
# the later finds, each scanned on its own (stderr folds a message that repeats across files)
for f in fuzz-crash-bom.yaml fuzz-crash-qq.yaml fuzz-crash-tabq.yaml fuzz-crash-later.yaml; do
	mkdir -p "$WORK/one-$f" && cp "$CASE/in/$f" "$WORK/one-$f/"
	run_bounded 60 "$TRUSTMAP" scan "$WORK/one-$f" --format json
	expect_exit 0 1 3
	grep -q "$f:3:.*tab after an explicit key" "$WORK/err" || { echo "no diagnostic for $f"; exit 1; }
done
exit 0
