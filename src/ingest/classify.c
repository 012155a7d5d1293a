/*
 * classify.c - what a field or parameter name suggests, for the rules that need it.
 *
 * One table; docs/classification.md explains each entry and tests pin them.
 * Matching is on the normalised name (lowercase; '_', '-', '.' removed):
 * TM_EXACT entries match the whole name, TM_SUFFIX ones its end (userId, order_id).
 */
#include <ctype.h>

#include "ingest.h"

enum { TM_EXACT, TM_SUFFIX };

static const struct {
	const char *word;
	int how;
	unsigned class;
} table[] = {
	/* privileged when the client can write them */
	{"role", TM_EXACT, TM_CLASS_PRIVILEGED},        {"roles", TM_EXACT, TM_CLASS_PRIVILEGED},
	{"isadmin", TM_EXACT, TM_CLASS_PRIVILEGED},     {"admin", TM_EXACT, TM_CLASS_PRIVILEGED},
	{"issuperuser", TM_EXACT, TM_CLASS_PRIVILEGED}, {"superuser", TM_EXACT, TM_CLASS_PRIVILEGED},
	{"permissions", TM_EXACT, TM_CLASS_PRIVILEGED}, {"permission", TM_EXACT, TM_CLASS_PRIVILEGED},
	{"scopes", TM_EXACT, TM_CLASS_PRIVILEGED},      {"groups", TM_EXACT, TM_CLASS_PRIVILEGED},
	{"owner", TM_EXACT, TM_CLASS_PRIVILEGED},       {"ownerid", TM_EXACT, TM_CLASS_PRIVILEGED | TM_CLASS_OBJECT_ID},
	{"tenant", TM_EXACT, TM_CLASS_PRIVILEGED},      {"tenantid", TM_EXACT, TM_CLASS_PRIVILEGED | TM_CLASS_OBJECT_ID},
	{"accountid", TM_EXACT, TM_CLASS_PRIVILEGED | TM_CLASS_OBJECT_ID},
	{"balance", TM_EXACT, TM_CLASS_PRIVILEGED},     {"credit", TM_EXACT, TM_CLASS_PRIVILEGED},
	{"credits", TM_EXACT, TM_CLASS_PRIVILEGED},     {"price", TM_EXACT, TM_CLASS_PRIVILEGED | TM_CLASS_QUANTITY},
	{"unitprice", TM_EXACT, TM_CLASS_PRIVILEGED | TM_CLASS_QUANTITY},
	{"discount", TM_EXACT, TM_CLASS_PRIVILEGED},    {"status", TM_EXACT, TM_CLASS_PRIVILEGED},
	{"state", TM_EXACT, TM_CLASS_PRIVILEGED},       {"approved", TM_EXACT, TM_CLASS_PRIVILEGED},
	{"isapproved", TM_EXACT, TM_CLASS_PRIVILEGED},  {"verified", TM_EXACT, TM_CLASS_PRIVILEGED},
	{"isverified", TM_EXACT, TM_CLASS_PRIVILEGED},  {"emailverified", TM_EXACT, TM_CLASS_PRIVILEGED},
	{"plan", TM_EXACT, TM_CLASS_PRIVILEGED},        {"tier", TM_EXACT, TM_CLASS_PRIVILEGED},
	{"accounttype", TM_EXACT, TM_CLASS_PRIVILEGED}, {"usertype", TM_EXACT, TM_CLASS_PRIVILEGED},
	{"paid", TM_EXACT, TM_CLASS_PRIVILEGED},        {"ispaid", TM_EXACT, TM_CLASS_PRIVILEGED},
	/* sensitive when the server returns them */
	{"password", TM_SUFFIX, TM_CLASS_SENSITIVE},    {"passwordhash", TM_EXACT, TM_CLASS_SENSITIVE},
	{"passwd", TM_SUFFIX, TM_CLASS_SENSITIVE},      {"secret", TM_SUFFIX, TM_CLASS_SENSITIVE},
	{"token", TM_SUFFIX, TM_CLASS_SENSITIVE},       {"apikey", TM_SUFFIX, TM_CLASS_SENSITIVE},
	{"privatekey", TM_SUFFIX, TM_CLASS_SENSITIVE},  {"ssn", TM_EXACT, TM_CLASS_SENSITIVE},
	{"socialsecuritynumber", TM_EXACT, TM_CLASS_SENSITIVE},
	{"cardnumber", TM_SUFFIX, TM_CLASS_SENSITIVE},  {"pan", TM_EXACT, TM_CLASS_SENSITIVE},
	{"cvv", TM_EXACT, TM_CLASS_SENSITIVE},          {"cvc", TM_EXACT, TM_CLASS_SENSITIVE},
	{"iban", TM_EXACT, TM_CLASS_SENSITIVE},         {"accountnumber", TM_EXACT, TM_CLASS_SENSITIVE},
	{"email", TM_SUFFIX, TM_CLASS_SENSITIVE},       {"phone", TM_SUFFIX, TM_CLASS_SENSITIVE},
	{"phonenumber", TM_SUFFIX, TM_CLASS_SENSITIVE}, {"address", TM_SUFFIX, TM_CLASS_SENSITIVE},
	{"location", TM_EXACT, TM_CLASS_SENSITIVE},     {"latitude", TM_EXACT, TM_CLASS_SENSITIVE},
	{"longitude", TM_EXACT, TM_CLASS_SENSITIVE},    {"dateofbirth", TM_EXACT, TM_CLASS_SENSITIVE},
	{"dob", TM_EXACT, TM_CLASS_SENSITIVE},          {"birthdate", TM_EXACT, TM_CLASS_SENSITIVE},
	{"taxid", TM_EXACT, TM_CLASS_SENSITIVE},        {"passport", TM_SUFFIX, TM_CLASS_SENSITIVE},
	/* URL-valued */
	{"url", TM_SUFFIX, TM_CLASS_URL},               {"uri", TM_SUFFIX, TM_CLASS_URL},
	{"callback", TM_SUFFIX, TM_CLASS_URL},          {"webhook", TM_SUFFIX, TM_CLASS_URL},
	{"redirect", TM_SUFFIX, TM_CLASS_URL},          {"redirectto", TM_EXACT, TM_CLASS_URL},
	{"href", TM_EXACT, TM_CLASS_URL},               {"endpoint", TM_EXACT, TM_CLASS_URL},
	/* object identifiers */
	{"id", TM_SUFFIX, TM_CLASS_OBJECT_ID},          {"uuid", TM_SUFFIX, TM_CLASS_OBJECT_ID},
	{"guid", TM_SUFFIX, TM_CLASS_OBJECT_ID},
	/* identity claimed in a header */
	{"xuserid", TM_EXACT, TM_CLASS_IDENTITY_HEADER},      {"xuser", TM_EXACT, TM_CLASS_IDENTITY_HEADER},
	{"xuseremail", TM_EXACT, TM_CLASS_IDENTITY_HEADER},   {"xuserrole", TM_EXACT, TM_CLASS_IDENTITY_HEADER},
	{"xaccountid", TM_EXACT, TM_CLASS_IDENTITY_HEADER},   {"xtenantid", TM_EXACT, TM_CLASS_IDENTITY_HEADER},
	{"xcustomerid", TM_EXACT, TM_CLASS_IDENTITY_HEADER},  {"xclientid", TM_EXACT, TM_CLASS_IDENTITY_HEADER},
	{"xforwardeduser", TM_EXACT, TM_CLASS_IDENTITY_HEADER}, {"xremoteuser", TM_EXACT, TM_CLASS_IDENTITY_HEADER},
	{"xauthuser", TM_EXACT, TM_CLASS_IDENTITY_HEADER},    {"xauthenticateduser", TM_EXACT, TM_CLASS_IDENTITY_HEADER},
	{"remoteuser", TM_EXACT, TM_CLASS_IDENTITY_HEADER},   {"xorgid", TM_EXACT, TM_CLASS_IDENTITY_HEADER},
	/* pagination */
	{"limit", TM_EXACT, TM_CLASS_PAGINATION},       {"pagesize", TM_EXACT, TM_CLASS_PAGINATION},
	{"perpage", TM_EXACT, TM_CLASS_PAGINATION},     {"size", TM_EXACT, TM_CLASS_PAGINATION},
	{"count", TM_EXACT, TM_CLASS_PAGINATION},       {"top", TM_EXACT, TM_CLASS_PAGINATION},
	{"maxresults", TM_EXACT, TM_CLASS_PAGINATION},  {"first", TM_EXACT, TM_CLASS_PAGINATION},
	{"last", TM_EXACT, TM_CLASS_PAGINATION},        {"maxitems", TM_EXACT, TM_CLASS_PAGINATION},
	/* replay protection */
	{"idempotencykey", TM_EXACT, TM_CLASS_IDEMPOTENCY}, {"xidempotencykey", TM_EXACT, TM_CLASS_IDEMPOTENCY},
	{"xrequestid", TM_EXACT, TM_CLASS_IDEMPOTENCY},
	/* quantities and amounts */
	{"quantity", TM_SUFFIX, TM_CLASS_QUANTITY},     {"qty", TM_SUFFIX, TM_CLASS_QUANTITY},
	{"amount", TM_SUFFIX, TM_CLASS_QUANTITY},       {"total", TM_EXACT, TM_CLASS_QUANTITY},
};

static size_t normalise(const char *name, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *p = name; *p && n + 1 < cap; p++) {
		if (*p == '_' || *p == '-' || *p == '.')
			continue;
		out[n++] = (char)tolower((unsigned char)*p);
	}
	out[n] = '\0';
	return n;
}

unsigned tm_classify_name(const char *name)
{
	char norm[128];
	if (!name)
		return 0;
	size_t n = normalise(name, norm, sizeof(norm));
	unsigned c = 0;
	for (size_t i = 0; i < TM_ARRAY_LEN(table); i++) {
		size_t wl = strlen(table[i].word);
		if (table[i].how == TM_EXACT ? n == wl && memcmp(norm, table[i].word, wl) == 0
					     : n >= wl && memcmp(norm + n - wl, table[i].word, wl) == 0)
			c |= table[i].class;
	}
	/* "paid"/"valid" end in "id" but name no object; an id suffix needs a word before it
	 * written apart (user_id, userId) or the whole name "id" */
	if ((c & TM_CLASS_OBJECT_ID) && n > 2 && memcmp(norm + n - 2, "id", 2) == 0) {
		size_t raw = strlen(name);
		bool marked = raw >= 3 && (name[raw - 3] == '_' || name[raw - 3] == '-' ||
					   (name[raw - 2] == 'I' && islower((unsigned char)name[raw - 3])));
		bool upper = raw >= 2 && name[raw - 2] == 'I' && name[raw - 1] == 'D';
		if (!marked && !upper && !(n == 4 && memcmp(norm, "uuid", 4) == 0) &&
		    !(n >= 4 && memcmp(norm + n - 4, "guid", 4) == 0))
			c &= ~(unsigned)TM_CLASS_OBJECT_ID;
	}
	return c;
}

unsigned tm_classify_format(const char *format)
{
	if (format && (strcmp(format, "uri") == 0 || strcmp(format, "url") == 0 ||
		       strcmp(format, "uri-reference") == 0 || strcmp(format, "iri") == 0))
		return TM_CLASS_URL;
	return 0;
}
