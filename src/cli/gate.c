/* gate.c - the CI gate's verdict and the notes about lapsed acceptances, the same for scan and diff. */
#include <string.h>

#include "cli.h"

static const tm_finding *item(const tm_findings *all, const tm_finding *const *list, size_t i)
{
	return list ? list[i] : tm_findings_at(all, i);
}

bool tm_cli_gate(const tm_findings *all, const tm_finding *const *list, size_t n, tm_severity sev, const char *what)
{
	if (!list)
		n = tm_findings_count(all);
	size_t hits = 0, expired = 0;
	for (size_t i = 0; i < n; i++) {
		const tm_finding *f = item(all, list, i);
		if (f->severity >= sev && f->status == TM_STATUS_OPEN) {
			hits++;
			expired += f->expired;
		}
	}
	if (!hits)
		return false;
	fprintf(stderr, "trustmap: gate failed: %zu %sopen finding%s at or above %s", hits, list ? "new " : "",
		hits == 1 ? "" : "s", what);
	if (expired)
		fprintf(stderr, " (%zu accepted risk%s past %s expiry)", expired, expired == 1 ? "" : "s",
			expired == 1 ? "its" : "their");
	for (size_t i = 0, shown = 0; i < n && shown < 3; i++) {
		const tm_finding *f = item(all, list, i);
		if (f->severity < sev || f->status != TM_STATUS_OPEN)
			continue;
		fprintf(stderr, "%s %s %s", shown++ ? "," : ":", f->rule->id, f->fingerprint);
		if (f->expired)
			fprintf(stderr, " (accepted until %s, expired)", f->until ? f->until : "?");
	}
	fprintf(stderr, "%s\n", hits > 3 ? ", ..." : "");
	return true;
}

void tm_cli_note_expired(const tm_findings *f)
{
	for (size_t i = 0; i < tm_findings_count(f); i++) {
		const tm_finding *x = tm_findings_at(f, i);
		if (x->expired)
			fprintf(stderr, "trustmap: accepted risk expired on %s, open again: %s %s (accepted by %s in %s)\n",
				x->until ? x->until : "?", x->rule->id, x->fingerprint, x->accepted_by ? x->accepted_by : "?",
				x->decided_in ? x->decided_in : "?");
	}
}
