/*
 * render/gotmpl.h - Go's text/template, with the Sprig functions and Helm's built-ins (internal).
 *
 * Three parts share this header:
 *  - goval.c: the value model (Go's interface{} as Helm sees it: nil, bool, int, int64, float64,
 *    string, []interface{}, map[string]interface{}, and host objects such as .Files), Go's
 *    printing (fmt's %v and the verbs printf takes), truthiness, comparison, and the YAML (Helm's
 *    toYaml: sigs.k8s.io/yaml) and JSON (encoding/json) writers and readers.
 *  - gotmpl_parse.c: the lexer and parser of template text into a tree of tm_gt_node.
 *  - gotmpl_exec.c and sprig.c: the executor and the function table.
 *
 * Memory: every value, node and string lives in the set's arena and is freed with the set. Values
 * are passed by value (tm_gv is small); lists are immutable once built, dicts are shared by
 * reference and mutable (Sprig's set/unset/merge change them in place, as Go maps would).
 * Dicts keep their keys sorted bytewise: iteration, printing and toYaml all see Go's sorted order.
 *
 * Bounds (hostile templates): a memory budget for the set's arena, a step budget (every node evaluated and every range iteration
 * costs one), an output budget, a nesting depth for template/include/tpl calls, and a parse
 * depth for parentheses and control structures. Exceeding one stops the file with a TM_ELIMIT
 * diagnostic.
 */
#ifndef TM_RENDER_GOTMPL_H
#define TM_RENDER_GOTMPL_H

#include "parse/parse.h"
#include "util/util.h"

typedef enum {
	TM_GV_NIL = 0,
	TM_GV_BOOL,
	TM_GV_INT,   /* sub 0: Go int, 1: int64 */
	TM_GV_FLOAT, /* float64: every number read from YAML or JSON, as Helm's values hold them */
	TM_GV_STR,
	TM_GV_LIST,
	TM_GV_DICT,
	TM_GV_OBJ,   /* a host object with fields and methods (.Files, .Capabilities.APIVersions) */
} tm_gv_kind;

typedef struct tm_gv_list tm_gv_list;
typedef struct tm_gv_dict tm_gv_dict;
typedef struct tm_gv_obj tm_gv_obj;

typedef struct {
	uint8_t k;   /* tm_gv_kind */
	uint8_t sub; /* TM_GV_INT: 1 for int64 */
	union {
		bool b;
		int64_t i;
		double f;
		struct {
			const char *p; /* NUL-terminated */
			size_t n;
		} s;
		tm_gv_list *l;
		tm_gv_dict *d;
		tm_gv_obj *o;
	} u;
} tm_gv;

struct tm_gv_list {
	tm_gv *it;
	size_t n, cap;
};

struct tm_gv_dict {
	const char **key; /* NUL-terminated, sorted bytewise */
	size_t *klen;
	tm_gv *val;
	size_t n, cap;
};

typedef struct tm_gt_exec tm_gt_exec;
/* A host object's field or method: args is NULL for a plain field access. 0, or -1 with the
 * executor's error set (tm_gt__fail). */
typedef int (*tm_gv_method)(tm_gt_exec *x, const tm_gv_obj *o, const char *name, const tm_gv *args,
			    size_t nargs, tm_gv *out);
struct tm_gv_obj {
	const char *type_name; /* as Go prints the type in errors */
	tm_gv_method call;
	void *data;
	const char *str; /* what printing it shows (a Go Stringer), or NULL */
	/* A map-like object's entries as a dict, for range (.Files.Glob's result); NULL: none. */
	int (*entries)(tm_gt_exec *x, const tm_gv_obj *o, tm_gv *out);
};

static inline tm_gv tm_gv_nil(void) { tm_gv v; memset(&v, 0, sizeof(v)); return v; }
static inline tm_gv tm_gv_bool(bool b) { tm_gv v = tm_gv_nil(); v.k = TM_GV_BOOL; v.u.b = b; return v; }
static inline tm_gv tm_gv_int(int64_t i) { tm_gv v = tm_gv_nil(); v.k = TM_GV_INT; v.u.i = i; return v; }
static inline tm_gv tm_gv_int64(int64_t i) { tm_gv v = tm_gv_int(i); v.sub = 1; return v; }
static inline tm_gv tm_gv_float(double f) { tm_gv v = tm_gv_nil(); v.k = TM_GV_FLOAT; v.u.f = f; return v; }

/* goval.c ------------------------------------------------------------------------------------ */
tm_gv tm_gv_str(tm_arena *a, const char *s, size_t n); /* copies s; nil string on OOM */
tm_gv tm_gv_strz(tm_arena *a, const char *s);
tm_gv tm_gv_str_take(const char *s, size_t n);          /* borrows s (already in the arena) */
tm_gv tm_gv_list_new(tm_arena *a, size_t cap);
int tm_gv_list_push(tm_arena *a, tm_gv list, tm_gv item);
tm_gv tm_gv_dict_new(tm_arena *a);
/* The value of key, or NULL. */
tm_gv *tm_gv_dict_get(const tm_gv_dict *d, const char *key, size_t klen);
int tm_gv_dict_set(tm_arena *a, tm_gv_dict *d, const char *key, size_t klen, tm_gv val);
bool tm_gv_dict_del(tm_gv_dict *d, const char *key, size_t klen);
tm_gv tm_gv_deep_copy(tm_arena *a, tm_gv v, int depth);

bool tm_gv_truth(tm_gv v);
/* Sprig's empty: nil, false, 0, "", empty list or dict. */
bool tm_gv_empty(tm_gv v);
/* Go's type name ("string", "float64", "map[string]interface {}", "[]interface {}", "<nil>")
 * and reflect kind name ("string", "float64", "map", "slice", "invalid"). */
const char *tm_gv_type_name(tm_gv v);
const char *tm_gv_kind_name(tm_gv v);

/* fmt's %v into sb (nil: "<nil>"); depth-bounded. */
void tm_gv_print(tm_strbuf *sb, tm_gv v);
/* Sprig's strval/toString: a string as is, anything else %v. */
tm_gv tm_gv_to_string(tm_arena *a, tm_gv v);
/* fmt.Sprintf(format, args...) with Go's verbs, flags, width, precision and its error forms. */
void tm_gv_sprintf(tm_strbuf *sb, const char *fmt, size_t fmtlen, const tm_gv *args, size_t nargs);
/* Go's float formatting: verb 'g' (shortest, %v), 'e', 'f' with prec (-1 shortest). */
void tm_gv_format_float(tm_strbuf *sb, double f, char verb, int prec);
/* strconv.Quote. */
void tm_gv_quote(tm_strbuf *sb, const char *s, size_t n);

/* Helm's toYaml (sigs.k8s.io/yaml: through JSON, so keys sorted and numbers as JSON has them),
 * without the final newline. */
void tm_gv_to_yaml(tm_strbuf *sb, tm_gv v);
/* encoding/json's Marshal (escape_html: Go's default < > & escaping) and MarshalIndent("", "  "). */
void tm_gv_to_json(tm_strbuf *sb, tm_gv v, bool escape_html, bool pretty);
/* A tm_value tree as Helm's values hold it (numbers float64, maps with string keys); text
 * between {{ }} restored by unmask (see tm_gt__mask). */
tm_gv tm_gv_from_value(tm_arena *a, const tm_value *v, int depth);
/* Parse the first document of YAML (fromYaml) or JSON text into a value: a dict (array: a list)
 * or nil. TM_EPARSE with nil when it does not parse; TM_EINVALID with *out the root when the root
 * is of another kind. */
int tm_gv_from_yaml(tm_arena *a, const char *s, size_t n, bool array, tm_gv *out);
/* Go's eq on two basic values: 1 equal, 0 not, -1 incompatible types. */
int tm_gv_equal(tm_gv a, tm_gv b);
/* lt: -1 incompatible, 0/1 the answer. */
int tm_gv_less(tm_gv a, tm_gv b);

/* "{{" in a values file or rendered text makes tm_file_parse refuse it as a template: mask each
 * "{{" with two bytes that do not occur in the text before parsing, and unmask the strings read
 * back. mask[0..1] receive the two bytes (0 if the text has no "{{"). */
void tm_gt__mask(char *buf, size_t len, char mask[2]);
void tm_gt__unmask(char *s, size_t n, const char mask[2]);
/* tm_gv_from_value, every string and key unmasked. */
tm_gv tm_gt__from_value_unmask(tm_arena *a, const tm_value *v, const char mask[2]);

/* gotmpl_parse.c ----------------------------------------------------------------------------- */
typedef enum {
	TM_GT_LIST, TM_GT_TEXT, TM_GT_ACTION, TM_GT_IF, TM_GT_RANGE, TM_GT_WITH, TM_GT_TEMPLATE,
	TM_GT_BREAK, TM_GT_CONTINUE,
	TM_GT_PIPE, TM_GT_CMD,
	TM_GT_FIELD, TM_GT_VAR, TM_GT_CHAIN, TM_GT_DOT, TM_GT_NIL, TM_GT_BOOL, TM_GT_NUM, TM_GT_STR,
	TM_GT_IDENT,
} tm_gt_type;

typedef struct tm_gt_node tm_gt_node;
struct tm_gt_node {
	uint8_t type;
	bool assign;   /* pipe: '=' rather than ':=' */
	uint32_t line, col;
	const char *path; /* display path of the file */
	tm_gt_node **kids; /* list items, pipe commands, command args */
	size_t nkids;
	const char *s; /* text, string literal, identifier, template name */
	size_t n;
	const char **idents; /* field chain: .a.b -> {a, b}; var: {$x, a, b} */
	size_t nidents;
	const char **decl;   /* pipe: declared or assigned variables */
	size_t ndecl;
	tm_gt_node *pipe, *list, *else_list, *base; /* base: a chain's operand */
	tm_gv val;           /* literals */
	int fn;              /* identifiers: index in the function table, -1 unknown */
};

typedef struct tm_gt_set tm_gt_set;
typedef struct {
	const char *name; /* the template's name (its Helm path) */
	const char *path; /* display path */
	tm_gt_node *root;
} tm_gt_tmpl;

/* A set of templates: every file and every define, by name. Later definitions replace earlier. */
struct tm_gt_set {
	tm_arena *arena;
	tm_hmap byname; /* name -> tm_gt_tmpl* */
	tm_diag_list *diags;
	size_t max_depth; /* parse nesting */
	tm_hmap unsupported; /* "path:line:col" of unknown functions already reported */
	void *host;          /* Helm's chart context for .Files & co (helm.c) */
	const tm_gt_set *parent; /* tpl's own set: its defines live and die with the tpl call */
	/* A field read to tell (Helm: .Release.Namespace): evaluating .watch_key on the dict watch
	 * sets *watch_hit, as do index/get/pick/dig naming it, ranging over the dict, printing it, or
	 * passing it to any other function (toYaml, values, deepCopy...); the dict inside another
	 * value printed or converted whole ({{ toYaml . }}) is not told. NULL watch: none. */
	const tm_gv_dict *watch;
	const char *watch_key;
	bool *watch_hit;
	/* A dict whose missing keys are told (Helm: the top chart's .Values): evaluating .key on it
	 * when it holds no such key calls absent(absent_ud, key). NULL absent_watch: none. */
	const tm_gv_dict *absent_watch;
	void (*absent)(void *ud, const char *key);
	void *absent_ud;
	/* Values whose defaults the files do not hold (Helm: a dependency declared but not vendored,
	 * whose values.yaml is in the chart archive the network has): a key missing from a dict in
	 * lenient, or one of lenient_keys (", "-separated) missing from lenient_root, reads as an
	 * unknown default, a nil whose own fields read as the same nil (.Values.redis.auth.password),
	 * not Go's nil pointer error. NULL: none. tpl's child sets ask their parent's. */
	const tm_pset *lenient;
	const tm_gv_dict *lenient_root;
	const char *lenient_keys;
	/* A template no file of the set defines (a library chart declared but not vendored): the host
	 * writes what stands in for it into sb and returns 0, or returns 1 to fail as Go does (-1: the
	 * executor's error set). NULL: fail. tpl's child sets ask their parent's. */
	int (*stand_in)(tm_gt_exec *x, const char *name, size_t n, tm_gv dot, tm_strbuf *sb);
	/* `required` given nil or "" (Helm: a value the installer must give). With
	 * required_placeholder set, the call returns that string instead of failing and, with
	 * required set, tells required(required_ud, message, at), at being the action's position
	 * (tm_gt__where). NULL placeholder: Go's error. tpl's child sets share both. */
	const char *required_placeholder;
	void (*required)(void *ud, const char *msg, tm_loc at);
	void *required_ud;
	/* A tpl call's child set: that call, in the file (the outermost one when tpl nests). */
	const tm_gt_node *tpl_at;
};

int tm_gt_set_init(tm_gt_set *s, tm_diag_list *diags);
void tm_gt_set_dispose(tm_gt_set *s);
/* Parse text (len bytes) as template name (path: its display path, line_base: added to lines).
 * name NULL: parse only (tpl), not added by name. Defines become templates of the set. 0, or TM_EPARSE with a positioned diagnostic (the file's
 * own template is then not added; defines parsed before the error are). */
int tm_gt_parse(tm_gt_set *s, const char *name, const char *path, const char *text, size_t len,
		tm_gt_tmpl **out);
tm_gt_tmpl *tm_gt_lookup(const tm_gt_set *s, const char *name, size_t n);

/* The function table (sprig.c): index of name, or -1. */
int tm_gt__func_index(const char *name, size_t n);

/* gotmpl_exec.c ------------------------------------------------------------------------------ */
typedef struct {
	size_t max_steps;  /* evaluations per file (default 20 million) */
	size_t max_output; /* bytes per file, includes counted (default 32 MiB) */
	unsigned max_calls; /* nesting of template/include/tpl (default 200) */
	size_t max_memory;  /* bytes in the set's arena, the whole chart's values included (default 1 GiB) */
} tm_gt_limits;

/* The output of one execution with its line map: line i+1 of text came from paths[i] line
 * lines[i] (the text line or the action that wrote its first byte). */
typedef struct {
	tm_strbuf text;
	const char **paths; /* borrowed from the set's arena */
	uint32_t *lines;
	size_t nlines, cap;
	int oom;
} tm_gt_out;

struct tm_gt_exec {
	tm_gt_set *set;
	tm_arena *a;
	tm_gt_limits lim;
	size_t steps;
	unsigned calls;
	tm_gt_out *out;     /* where text goes: the file's output, or an include's buffer */
	tm_strbuf *capture; /* include/tpl: a plain buffer, no line map */
	size_t written;
	struct { const char *name; tm_gv val; } *vars;
	size_t nvars, varcap;
	int brk; /* 1 break, 2 continue pending */
	unsigned nest; /* nodes and pipelines being evaluated inside one another (the C stack) */
	bool failed;
	int code;
	tm_loc errloc;
	tm_strbuf errmsg;
	const tm_gt_node *at; /* the node being evaluated, for messages */
	const char *tmpl_name; /* the executing file's template name (.Template.Name, tpl) */
};

void tm_gt_limits_default(tm_gt_limits *l);
/* Execute t with dot into out. 0, or the error (its message already a diagnostic). */
int tm_gt_execute(tm_gt_set *s, const tm_gt_tmpl *t, tm_gv dot, const tm_gt_limits *lim, tm_gt_out *out);
void tm_gt_out_dispose(tm_gt_out *o);

/* Record an execution error at the current node (printf-style); always returns -1. */
int tm_gt__fail(tm_gt_exec *x, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
/* Where the action being evaluated is written: its node, or inside tpl (text with no lines of the
 * file's) the tpl call. */
tm_loc tm_gt__where(const tm_gt_exec *x);
/* Run named template with dot, writing into sb (include). */
int tm_gt__include(tm_gt_exec *x, const char *name, size_t n, tm_gv dot, tm_strbuf *sb);
/* Parse and run text with dot (tpl). */
int tm_gt__tpl(tm_gt_exec *x, const char *text, size_t n, tm_gv dot, tm_strbuf *sb);
/* Charge n steps; -1 (error set) past the budget. */
int tm_gt__charge(tm_gt_exec *x, size_t n);

/* sprig.c: a function: args already evaluated (the piped value last). */
typedef int (*tm_gt_fn)(tm_gt_exec *x, const tm_gv *args, size_t n, tm_gv *out);
typedef struct {
	const char *name;
	tm_gt_fn fn;
	int min, max; /* argument counts (max -1: variadic) */
} tm_gt_func;
const tm_gt_func *tm_gt__func(int index);

#endif
