/*
 * gotmpl_exec.c - executing a parsed template: Go text/template's semantics as Helm configures
 * them (missingkey=zero: a missing map key is nil, printed "<no value>", and Helm removes every
 * "<no value>" from a rendered file and from tpl's result).
 *
 * Variables live on one stack: "$" at the bottom, each control structure truncates it back to
 * where it began when it ends. and/or evaluate lazily (Go 1.18). An execution error stops the
 * file: the first error becomes one diagnostic at the node being evaluated. Every node evaluated,
 * every range iteration and every byte written is charged against the limits, so no template
 * runs unbounded.
 */
#include <stdio.h>

#include "render/gotmpl.h"

/* The C stack grows with nodes nested in nodes and with template calls; both are bounded (the
 * parser's depth, max_calls) but their product is not: this bounds it. */
#define MAX_NEST 1500

void tm_gt_limits_default(tm_gt_limits *l)
{
	l->max_steps = 20u * 1000 * 1000;
	l->max_output = 32u << 20;
	l->max_calls = 200;
	l->max_memory = (size_t)1 << 30;
}

void tm_gt_out_dispose(tm_gt_out *o)
{
	tm_strbuf_dispose(&o->text);
	tm_free(o->paths);
	tm_free(o->lines);
	memset(o, 0, sizeof(*o));
}

int tm_gt__fail(tm_gt_exec *x, int code, const char *fmt, ...)
{
	if (x->failed)
		return -1;
	x->failed = true;
	x->code = code;
	if (x->at) {
		x->errloc.path = x->at->path;
		x->errloc.line = x->at->line;
		x->errloc.col = x->at->col;
	}
	va_list ap;
	va_start(ap, fmt);
	tm_strbuf_vprintf(&x->errmsg, fmt, ap);
	va_end(ap);
	return -1;
}

tm_loc tm_gt__where(const tm_gt_exec *x)
{
	const tm_gt_node *n = x->set->tpl_at ? x->set->tpl_at : x->at;
	return n ? (tm_loc){n->path, n->line, n->col, NULL} : (tm_loc){NULL, 0, 0, NULL};
}

int tm_gt__charge(tm_gt_exec *x, size_t n)
{
	if (x->failed)
		return -1;
	x->steps += n;
	if (x->steps > x->lim.max_steps)
		return tm_gt__fail(x, TM_ELIMIT, "template evaluation exceeds %zu steps", x->lim.max_steps);
	if (tm_arena_failed(x->a))
		return tm_gt__fail(x, TM_ENOMEM, "out of memory");
	if (x->lim.max_memory && tm_arena_used(x->a) > x->lim.max_memory)
		return tm_gt__fail(x, TM_ELIMIT, "template evaluation exceeds %zu bytes of memory", x->lim.max_memory);
	return 0;
}

/* ---- output ---- */

static int record_line(tm_gt_out *o, const char *path, uint32_t line)
{
	if (o->nlines == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		const char **p = tm_realloc(o->paths, cap * sizeof(*p));
		if (!p)
			return -1;
		o->paths = p;
		uint32_t *l = tm_realloc(o->lines, cap * sizeof(*l));
		if (!l)
			return -1;
		o->lines = l;
		o->cap = cap;
	}
	o->paths[o->nlines] = path;
	o->lines[o->nlines++] = line;
	return 0;
}

/* Write s; advance: a text node (its line follows the newlines it contains). */
static int emit(tm_gt_exec *x, const char *s, size_t n, const char *path, uint32_t line, bool advance)
{
	x->written += n;
	if (x->written > x->lim.max_output)
		return tm_gt__fail(x, TM_ELIMIT, "template output exceeds %zu bytes", x->lim.max_output);
	if (x->capture) {
		tm_strbuf_put(x->capture, s, n);
		return x->capture->oom ? tm_gt__fail(x, TM_ENOMEM, "out of memory") : 0;
	}
	tm_gt_out *o = x->out;
	size_t i = 0;
	while (i < n) {
		if (o->text.len == 0 || o->text.data[o->text.len - 1] == '\n')
			if (record_line(o, path, line) < 0)
				o->oom = 1;
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) + 1 : n;
		tm_strbuf_put(&o->text, s + i, e - i);
		if (nl && advance)
			line++;
		i = e;
	}
	if (o->text.oom || o->oom)
		return tm_gt__fail(x, TM_ENOMEM, "out of memory");
	return 0;
}

/* ---- variables ---- */

static int push_var(tm_gt_exec *x, const char *name, tm_gv v)
{
	if (x->nvars == x->varcap) {
		size_t cap = x->varcap ? x->varcap * 2 : 16;
		void *nv = tm_realloc(x->vars, cap * sizeof(*x->vars));
		if (!nv)
			return tm_gt__fail(x, TM_ENOMEM, "out of memory");
		x->vars = nv;
		x->varcap = cap;
	}
	x->vars[x->nvars].name = name;
	x->vars[x->nvars++].val = v;
	return 0;
}

static tm_gv *find_var(tm_gt_exec *x, const char *name)
{
	for (size_t i = x->nvars; i-- > 0;)
		if (strcmp(x->vars[i].name, name) == 0)
			return &x->vars[i].val;
	return NULL;
}

/* ---- evaluation ---- */

static int eval_pipe(tm_gt_exec *x, const tm_gt_node *pipe, tm_gv dot, tm_gv *out);
static int exec_list(tm_gt_exec *x, const tm_gt_node *list, tm_gv dot);

/* The nil an unknown default reads as (set.lenient): its fields read as itself. */
#define LENIENT_NIL 1

/* Is a key missing from d an unknown default (set.lenient)? */
static bool lenient_miss(const tm_gt_set *set, const tm_gv_dict *d, const char *name)
{
	for (; set; set = set->parent) {
		if (set->lenient && tm_pset_has(set->lenient, d))
			return true;
		if (set->lenient_root == d && set->lenient_keys) {
			size_t n = strlen(name);
			for (const char *p = set->lenient_keys; *p;) {
				size_t l = strcspn(p, ",");
				if (l == n && strncmp(p, name, n) == 0)
					return true;
				p += l;
				p += strspn(p, ", ");
			}
		}
	}
	return false;
}

/* One step of a field chain: recv.name (with args for a method of a host object). */
static int field_step(tm_gt_exec *x, tm_gv recv, const char *name, const tm_gv *args, size_t nargs,
		      bool has_args, tm_gv *out)
{
	switch (recv.k) {
	case TM_GV_DICT: {
		if (has_args)
			return tm_gt__fail(x, TM_EINVALID, "%s is not a method but has arguments", name);
		tm_gv *v = tm_gv_dict_get(recv.u.d, name, strlen(name));
		*out = v ? *v : tm_gv_nil();
		if (!v && lenient_miss(x->set, recv.u.d, name))
			out->sub = LENIENT_NIL;
		if (!v && recv.u.d == x->set->absent_watch && x->set->absent)
			x->set->absent(x->set->absent_ud, name);
		if (recv.u.d == x->set->watch && strcmp(name, x->set->watch_key) == 0)
			*x->set->watch_hit = true;
		return 0;
	}
	case TM_GV_OBJ:
		return recv.u.o->call(x, recv.u.o, name, args, nargs, out);
	case TM_GV_NIL:
		if (recv.sub == LENIENT_NIL) { /* under an unknown default: unknown too */
			*out = recv;
			return 0;
		}
		return tm_gt__fail(x, TM_EINVALID, "nil pointer evaluating interface {}.%s", name);
	default:
		return tm_gt__fail(x, TM_EINVALID, "can't evaluate field %s in type %s", name, tm_gv_type_name(recv));
	}
}

static int field_chain(tm_gt_exec *x, tm_gv recv, const char *const *ids, size_t n, const tm_gv *args,
		       size_t nargs, bool has_args, tm_gv *out)
{
	for (size_t i = 0; i < n; i++) {
		bool last = i + 1 == n;
		/* Go: a nil that a pipeline, variable or function produced is an invalid value, whose
		 * fields are silently zero; a nil met inside the chain (.a.b with a missing) is a nil
		 * interface, and its field an error */
		if (i == 0 && recv.k == TM_GV_NIL) {
			*out = recv;
			return 0;
		}
		if (field_step(x, recv, ids[i], last ? args : NULL, last ? nargs : 0, last && has_args, &recv) < 0)
			return -1;
	}
	*out = recv;
	return 0;
}

static int eval_arg(tm_gt_exec *x, const tm_gt_node *n, tm_gv dot, tm_gv *out);

/* Evaluate the arguments of a call (skip: how many leading nodes are not arguments), plus the
 * piped value. *argv is tm_malloc'ed. */
static int eval_args(tm_gt_exec *x, const tm_gt_node *cmd, size_t skip, tm_gv dot, const tm_gv *final,
		     tm_gv **argv, size_t *argc)
{
	size_t n = cmd->nkids - skip + (final ? 1 : 0);
	*argc = n;
	*argv = tm_calloc(n ? n : 1, sizeof(tm_gv));
	if (!*argv)
		return tm_gt__fail(x, TM_ENOMEM, "out of memory");
	for (size_t i = skip; i < cmd->nkids; i++)
		if (eval_arg(x, cmd->kids[i], dot, &(*argv)[i - skip]) < 0)
			return -1;
	if (final)
		(*argv)[n - 1] = *final;
	return 0;
}

/* Does a string argument name the watched key? */
static bool names_watched(const tm_gt_exec *x, tm_gv v)
{
	size_t kl = strlen(x->set->watch_key);
	return v.k == TM_GV_STR && v.u.s.n == kl && memcmp(v.u.s.p, x->set->watch_key, kl) == 0;
}

/* The watched dict passed to a function (see tm_gt_set.watch) counts as a read of its key when the
 * function can return or print it: index, get and pick when one of their keys is it, dig when its
 * first key is it, hasKey never, and any other function (toYaml, values, deepCopy, omit...)
 * always, since it takes the whole dict. */
static void watch_args(tm_gt_exec *x, const char *fn, const tm_gv *argv, size_t argc)
{
	for (size_t i = 0; i < argc; i++) {
		if (argv[i].k != TM_GV_DICT || argv[i].u.d != x->set->watch)
			continue;
		bool hit = true;
		if (strcmp(fn, "hasKey") == 0) {
			hit = false;
		} else if (strcmp(fn, "index") == 0 || strcmp(fn, "get") == 0) {
			hit = i + 1 < argc && names_watched(x, argv[i + 1]);
		} else if (strcmp(fn, "pick") == 0) {
			hit = false;
			for (size_t k = i + 1; k < argc && !hit; k++)
				hit = names_watched(x, argv[k]);
		} else if (strcmp(fn, "dig") == 0) {
			hit = argc > 2 && i == argc - 1 && names_watched(x, argv[0]);
		}
		if (hit)
			*x->set->watch_hit = true;
	}
}

static int call_func(tm_gt_exec *x, const tm_gt_node *id, const tm_gt_node *cmd, tm_gv dot,
		     const tm_gv *final, tm_gv *out)
{
	*out = tm_gv_nil();
	if (id->fn < 0) {
		/* the call yields nil; said once per place it is written (-2: said), in the file's list */
		if (id->fn == -1) {
			const tm_gt_set *root = x->set;
			while (root->parent)
				root = root->parent;
			tm_diag_add(root->diags, TM_EUNSUPPORTED, TM_LEVEL_WARNING,
				    (tm_loc){id->path, id->line, id->col, NULL},
				    "template function \"%.*s\" is not supported: the call renders as empty", (int)id->n, id->s);
			((tm_gt_node *)id)->fn = -2;
		}
		return 0;
	}
	const tm_gt_func *f = tm_gt__func(id->fn);
	/* and/or: lazy, and their value is the deciding operand */
	if (strcmp(f->name, "and") == 0 || strcmp(f->name, "or") == 0) {
		bool is_and = f->name[0] == 'a';
		size_t n = cmd->nkids - 1 + (final ? 1 : 0);
		if (n < 1)
			return tm_gt__fail(x, TM_EINVALID, "wrong number of args for %s: want at least 1 got 0", f->name);
		for (size_t i = 0; i < n; i++) {
			tm_gv v;
			if (i + 1 < cmd->nkids) {
				if (eval_arg(x, cmd->kids[i + 1], dot, &v) < 0)
					return -1;
			} else
				v = *final;
			*out = v;
			if (tm_gv_truth(v) != is_and)
				return 0;
		}
		return 0;
	}
	tm_gv *argv = NULL;
	size_t argc = 0;
	int rc = eval_args(x, cmd, 1, dot, final, &argv, &argc);
	if (rc == 0 && x->set->watch)
		watch_args(x, f->name, argv, argc);
	if (rc == 0) {
		const tm_gt_node *save = x->at;
		x->at = id;
		if ((f->min >= 0 && (int)argc < f->min) || (f->max >= 0 && (int)argc > f->max)) {
			if (f->min == f->max)
				rc = tm_gt__fail(x, TM_EINVALID, "wrong number of args for %s: want %d got %zu", f->name, f->min, argc);
			else
				rc = tm_gt__fail(x, TM_EINVALID, "wrong number of args for %s: want at least %d got %zu", f->name, f->min, argc);
		} else
			rc = f->fn(x, argv, argc, out);
		/* every string a function builds counts against the budgets, so doubling a string
		 * in a loop stops at the output limit instead of exhausting memory */
		if (rc == 0 && out->k == TM_GV_STR) {
			if (out->u.s.n > x->lim.max_output)
				rc = tm_gt__fail(x, TM_ELIMIT, "error calling %s: result exceeds %zu bytes", f->name, x->lim.max_output);
			else
				rc = tm_gt__charge(x, out->u.s.n / 256);
		}
		if (rc == 0)
			x->at = save;
	}
	tm_free(argv);
	return rc < 0 ? -1 : 0;
}

static int eval_cmd(tm_gt_exec *x, const tm_gt_node *cmd, tm_gv dot, const tm_gv *final, tm_gv *out)
{
	const tm_gt_node *first = cmd->kids[0];
	x->at = first;
	if (tm_gt__charge(x, 1) < 0)
		return -1;
	switch (first->type) {
	case TM_GT_IDENT:
		return call_func(x, first, cmd, dot, final, out);
	case TM_GT_FIELD:
	case TM_GT_VAR:
	case TM_GT_CHAIN: {
		tm_gv recv;
		const char *const *ids = first->idents;
		size_t nids = first->nidents;
		if (first->type == TM_GT_FIELD)
			recv = dot;
		else if (first->type == TM_GT_VAR) {
			tm_gv *v = find_var(x, ids[0]);
			if (!v)
				return tm_gt__fail(x, TM_EINVALID, "undefined variable \"%s\"", ids[0]);
			recv = *v;
			ids++;
			nids--;
		} else if (eval_arg(x, first->base, dot, &recv) < 0)
			return -1;
		bool has_args = cmd->nkids > 1 || final;
		if (!nids) {
			if (has_args)
				return tm_gt__fail(x, TM_EINVALID, "can't give argument to non-function %s", ids[-1]);
			*out = recv;
			return 0;
		}
		tm_gv *argv = NULL;
		size_t argc = 0;
		int rc = 0;
		if (has_args)
			rc = eval_args(x, cmd, 1, dot, final, &argv, &argc);
		if (rc == 0) {
			x->at = first;
			rc = field_chain(x, recv, ids, nids, argv, argc, has_args, out);
		}
		tm_free(argv);
		return rc;
	}
	default:
		if (cmd->nkids > 1 || final)
			return tm_gt__fail(x, TM_EINVALID, "can't give argument to non-function");
		return eval_arg(x, first, dot, out);
	}
}

static int eval_arg(tm_gt_exec *x, const tm_gt_node *n, tm_gv dot, tm_gv *out)
{
	x->at = n;
	if (tm_gt__charge(x, 1) < 0)
		return -1;
	switch (n->type) {
	case TM_GT_DOT: *out = dot; return 0;
	case TM_GT_NIL: *out = tm_gv_nil(); return 0;
	case TM_GT_BOOL:
	case TM_GT_NUM:
	case TM_GT_STR: *out = n->val; return 0;
	case TM_GT_PIPE: return eval_pipe(x, n, dot, out);
	case TM_GT_IDENT: {
		tm_gt_node cmd;
		memset(&cmd, 0, sizeof(cmd));
		tm_gt_node *kids[1] = {(tm_gt_node *)n};
		cmd.kids = kids;
		cmd.nkids = 1;
		return call_func(x, n, &cmd, dot, NULL, out);
	}
	case TM_GT_FIELD:
		return field_chain(x, dot, n->idents, n->nidents, NULL, 0, false, out);
	case TM_GT_VAR: {
		tm_gv *v = find_var(x, n->idents[0]);
		if (!v)
			return tm_gt__fail(x, TM_EINVALID, "undefined variable \"%s\"", n->idents[0]);
		return field_chain(x, *v, n->idents + 1, n->nidents - 1, NULL, 0, false, out);
	}
	case TM_GT_CHAIN: {
		tm_gv b;
		if (eval_arg(x, n->base, dot, &b) < 0)
			return -1;
		x->at = n;
		return field_chain(x, b, n->idents, n->nidents, NULL, 0, false, out);
	}
	default:
		return tm_gt__fail(x, TM_EINVALID, "can't evaluate this node");
	}
}

static int eval_pipe_(tm_gt_exec *x, const tm_gt_node *pipe, tm_gv dot, tm_gv *out);

static int eval_pipe(tm_gt_exec *x, const tm_gt_node *pipe, tm_gv dot, tm_gv *out)
{
	if (x->nest >= MAX_NEST)
		return tm_gt__fail(x, TM_ELIMIT, "template nesting deeper than %d", MAX_NEST);
	x->nest++;
	int rc = eval_pipe_(x, pipe, dot, out);
	x->nest--;
	return rc;
}

static int eval_pipe_(tm_gt_exec *x, const tm_gt_node *pipe, tm_gv dot, tm_gv *out)
{
	tm_gv v = tm_gv_nil();
	for (size_t i = 0; i < pipe->nkids; i++) {
		tm_gv prev = v; /* the piped value must survive the command writing its result */
		if (eval_cmd(x, pipe->kids[i], dot, i ? &prev : NULL, &v) < 0)
			return -1;
	}
	if (pipe->ndecl && pipe->assign) {
		tm_gv *var = find_var(x, pipe->decl[0]);
		if (!var)
			return tm_gt__fail(x, TM_EINVALID, "undefined variable: %s", pipe->decl[0]);
		*var = v;
	} else if (pipe->ndecl == 1 && push_var(x, pipe->decl[0], v) < 0)
		return -1;
	*out = v;
	return 0;
}

/* ---- statements ---- */

static int print_value(tm_gt_exec *x, const tm_gt_node *at, tm_gv v)
{
	if (v.k == TM_GV_STR)
		return emit(x, v.u.s.p, v.u.s.n, at->path, at->line, false);
	if (v.k == TM_GV_NIL)
		return emit(x, "<no value>", 10, at->path, at->line, false);
	if (x->set->watch && v.k == TM_GV_DICT && v.u.d == x->set->watch)
		*x->set->watch_hit = true; /* printed whole, its watched key with it */
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_gv_print(&sb, v);
	int rc = sb.oom ? tm_gt__fail(x, TM_ENOMEM, "out of memory")
			: emit(x, sb.data ? sb.data : "", sb.len, at->path, at->line, false);
	tm_strbuf_dispose(&sb);
	return rc;
}

static int exec_range(tm_gt_exec *x, const tm_gt_node *n, tm_gv dot)
{
	const tm_gt_node *pipe = n->pipe;
	size_t mark = x->nvars;
	tm_gv v = tm_gv_nil();
	for (size_t i = 0; i < pipe->nkids; i++) {
		tm_gv prev = v; /* the piped value must survive the command writing its result */
		if (eval_cmd(x, pipe->kids[i], dot, i ? &prev : NULL, &v) < 0)
			return -1;
	}
	size_t count = 0;
	if (v.k == TM_GV_OBJ && v.u.o->entries && v.u.o->entries(x, v.u.o, &v) < 0)
		return -1;
	if (x->set->watch && v.k == TM_GV_DICT && v.u.d == x->set->watch)
		*x->set->watch_hit = true; /* ranging over the watched dict reads each of its keys */
	switch (v.k) {
	case TM_GV_LIST: count = v.u.l->n; break;
	case TM_GV_DICT: count = v.u.d->n; break;
	case TM_GV_INT: count = v.u.i > 0 ? (size_t)v.u.i : 0; break;
	case TM_GV_NIL: break;
	default:
		x->at = n;
		return tm_gt__fail(x, TM_EINVALID, "range can't iterate over %s", tm_gv_type_name(v));
	}
	size_t base = x->nvars;
	if (pipe->ndecl) {
		for (size_t d = 0; d < pipe->ndecl; d++)
			if (push_var(x, pipe->decl[d], tm_gv_nil()) < 0)
				return -1;
	}
	for (size_t i = 0; i < count; i++) {
		if (tm_gt__charge(x, 1) < 0)
			return -1;
		tm_gv key, elem;
		if (v.k == TM_GV_DICT && i >= v.u.d->n) /* the body deleted keys (unset) */
			break;
		if (v.k == TM_GV_LIST)
			key = tm_gv_int((int64_t)i), elem = v.u.l->it[i];
		else if (v.k == TM_GV_DICT)
			key = tm_gv_str_take(v.u.d->key[i], v.u.d->klen[i]), elem = v.u.d->val[i];
		else
			key = elem = tm_gv_int((int64_t)i);
		if (pipe->ndecl == 1)
			x->vars[base].val = v.k == TM_GV_INT ? key : elem;
		else if (pipe->ndecl == 2) {
			x->vars[base].val = key;
			x->vars[base + 1].val = elem;
		}
		size_t inner = x->nvars;
		int rc = exec_list(x, n->list, elem);
		x->nvars = inner;
		if (rc < 0)
			return -1;
		if (x->brk == 1) {
			x->brk = 0;
			break;
		}
		x->brk = 0;
	}
	x->nvars = mark;
	if (count == 0 && n->else_list)
		return exec_list(x, n->else_list, dot);
	return 0;
}

static int call_template(tm_gt_exec *x, const tm_gt_tmpl *t, tm_gv dot)
{
	if (x->calls >= x->lim.max_calls)
		return tm_gt__fail(x, TM_ELIMIT, "template calls nest deeper than %u (recursive template?)", x->lim.max_calls);
	/* a fresh variable scope: only $ */
	size_t mark = x->nvars;
	int brk = x->brk;
	if (push_var(x, "$", dot) < 0)
		return -1;
	size_t start = mark; /* variables below start are invisible: shadow them by searching from top */
	(void)start;
	x->calls++;
	int rc = exec_list(x, t->root, dot);
	x->calls--;
	x->nvars = mark;
	x->brk = brk;
	return rc;
}

static int exec_node_(tm_gt_exec *x, const tm_gt_node *n, tm_gv dot);

/* What the host puts in place of a template no file defines: 0 written into sb, 1 none (Go's
 * error follows), -1 the executor's error set. */
static int stand_in(tm_gt_exec *x, const char *name, size_t n, tm_gv dot, tm_strbuf *sb)
{
	const tm_gt_set *s = x->set;
	while (!s->stand_in && s->parent)
		s = s->parent;
	if (!s->stand_in)
		return 1;
	if (x->calls >= x->lim.max_calls)
		return tm_gt__fail(x, TM_ELIMIT, "template calls nest deeper than %u (recursive template?)", x->lim.max_calls);
	x->calls++;
	int rc = s->stand_in(x, name, n, dot, sb);
	x->calls--;
	if (rc == 0 && sb->oom)
		return tm_gt__fail(x, TM_ENOMEM, "out of memory");
	return rc;
}

static int exec_node(tm_gt_exec *x, const tm_gt_node *n, tm_gv dot)
{
	if (x->nest >= MAX_NEST) {
		x->at = n;
		return tm_gt__fail(x, TM_ELIMIT, "template nesting deeper than %d", MAX_NEST);
	}
	x->nest++;
	int rc = exec_node_(x, n, dot);
	x->nest--;
	return rc;
}

static int exec_node_(tm_gt_exec *x, const tm_gt_node *n, tm_gv dot)
{
	x->at = n;
	if (tm_gt__charge(x, 1) < 0)
		return -1;
	switch (n->type) {
	case TM_GT_TEXT:
		return emit(x, n->s, n->n, n->path, n->line, true);
	case TM_GT_ACTION: {
		tm_gv v;
		if (eval_pipe(x, n->pipe, dot, &v) < 0)
			return -1;
		if (n->pipe->ndecl)
			return 0;
		return print_value(x, n, v);
	}
	case TM_GT_IF:
	case TM_GT_WITH: {
		size_t mark = x->nvars;
		tm_gv v;
		int rc = eval_pipe(x, n->pipe, dot, &v);
		if (rc == 0) {
			if (tm_gv_truth(v))
				rc = exec_list(x, n->list, n->type == TM_GT_WITH ? v : dot);
			else if (n->else_list)
				rc = exec_list(x, n->else_list, dot);
		}
		x->nvars = mark;
		return rc;
	}
	case TM_GT_RANGE:
		return exec_range(x, n, dot);
	case TM_GT_LIST:
		return exec_list(x, n, dot);
	case TM_GT_BREAK:
		x->brk = 1;
		return 0;
	case TM_GT_CONTINUE:
		x->brk = 2;
		return 0;
	case TM_GT_TEMPLATE: {
		const tm_gt_tmpl *t = tm_gt_lookup(x->set, n->s, n->n);
		tm_gv v = dot;
		if (n->pipe) {
			size_t mark = x->nvars;
			int rc = eval_pipe(x, n->pipe, dot, &v);
			x->nvars = mark;
			if (rc < 0)
				return -1;
		} else
			v = tm_gv_nil();
		if (!t) {
			tm_strbuf sb = TM_STRBUF_INIT;
			int rc = stand_in(x, n->s, n->n, v, &sb);
			if (rc == 0)
				rc = emit(x, sb.data ? sb.data : "", sb.len, n->path, n->line, false);
			tm_strbuf_dispose(&sb);
			if (rc > 0)
				return tm_gt__fail(x, TM_ENOTFOUND, "no template \"%s\" associated with template \"%s\"", n->s, x->tmpl_name);
			return rc;
		}
		return call_template(x, t, v);
	}
	default:
		return tm_gt__fail(x, TM_EINVALID, "unexpected node");
	}
}

static int exec_list(tm_gt_exec *x, const tm_gt_node *list, tm_gv dot)
{
	if (list->type != TM_GT_LIST)
		return exec_node(x, list, dot);
	for (size_t i = 0; i < list->nkids; i++) {
		if (exec_node(x, list->kids[i], dot) < 0)
			return -1;
		if (x->brk)
			return 0;
	}
	return 0;
}

/* Find "$" from the top: template calls push a new "$", which hides the caller's. Variables of
 * the caller stay reachable by name, which Go would refuse at parse time; valid templates never
 * notice. */

int tm_gt__include(tm_gt_exec *x, const char *name, size_t n, tm_gv dot, tm_strbuf *sb)
{
	const tm_gt_tmpl *t = tm_gt_lookup(x->set, name, n);
	int rc = t ? 0 : stand_in(x, name, n, dot, sb);
	if (rc <= 0 && !t)
		return rc;
	if (!t)
		return tm_gt__fail(x, TM_ENOTFOUND, "error calling include: template: no template \"%.*s\" associated with template \"%s\"",
				   (int)n, name, x->tmpl_name ? x->tmpl_name : "");
	tm_strbuf *save = x->capture;
	x->capture = sb;
	rc = call_template(x, t, dot);
	x->capture = save;
	return rc;
}

int tm_gt__tpl(tm_gt_exec *x, const char *text, size_t n, tm_gv dot, tm_strbuf *sb)
{
	if (tm_gt__charge(x, n / 16 + 1) < 0)
		return -1;
	tm_gt_tmpl *t = NULL;
	const tm_gt_node *at = x->at;
	tm_diag_list local;
	tm_diag_list_init(&local);
	/* Helm parses tpl's text into a clone of the template set: its defines are visible inside
	 * this call only. A child set over the same arena does that. */
	tm_gt_set child;
	memset(&child, 0, sizeof(child));
	child.arena = x->set->arena;
	child.diags = &local;
	child.max_depth = x->set->max_depth;
	child.host = x->set->host;
	child.parent = x->set;
	child.watch = x->set->watch;
	child.watch_key = x->set->watch_key;
	child.watch_hit = x->set->watch_hit;
	child.absent_watch = x->set->absent_watch;
	child.absent = x->set->absent;
	child.absent_ud = x->set->absent_ud;
	child.required_placeholder = x->set->required_placeholder;
	child.required = x->set->required;
	child.required_ud = x->set->required_ud;
	child.tpl_at = x->set->tpl_at ? x->set->tpl_at : at;
	int rc = tm_gt_parse(&child, NULL, at ? at->path : "tpl", text, n, &t);
	if (rc < 0) {
		const char *msg = local.count ? local.items[0].msg : "parse error";
		tm_gt__fail(x, TM_EPARSE, "error calling tpl: %s", msg);
		tm_diag_list_dispose(&local);
		tm_hmap_dispose(&child.byname);
		return -1;
	}
	/* unsupported functions inside tpl text: report them at the tpl call, in the file's list */
	const tm_gt_set *root = x->set;
	while (root->parent)
		root = root->parent;
	for (size_t i = 0; i < local.count; i++)
		tm_diag_add(root->diags, local.items[i].code, local.items[i].level,
			    at ? (tm_loc){at->path, at->line, at->col, NULL} : local.items[i].loc, "in tpl: %s",
			    local.items[i].msg);
	tm_diag_list_dispose(&local);
	tm_gt_tmpl copy = *t;
	tm_strbuf tmp = TM_STRBUF_INIT;
	tm_strbuf *save = x->capture;
	tm_gt_set *save_set = x->set;
	x->capture = &tmp;
	x->set = &child;
	rc = call_template(x, &copy, dot);
	x->set = save_set;
	x->capture = save;
	tm_hmap_dispose(&child.byname);
	if (rc == 0 && tmp.len) {
		/* Helm removes "<no value>" from tpl's result */
		const char *p = tmp.data, *e = tmp.data + tmp.len;
		while (p < e) {
			const char *q = p;
			while (q + 10 <= e && memcmp(q, "<no value>", 10) != 0)
				q++;
			if (q + 10 > e)
				q = e;
			tm_strbuf_put(sb, p, (size_t)(q - p));
			p = q < e ? q + 10 : e;
		}
	}
	tm_strbuf_dispose(&tmp);
	return rc;
}

/* Helm removes every "<no value>" from the rendered file; no newline is involved, so the line
 * map holds. */
static void strip_no_value(tm_strbuf *sb)
{
	if (!sb->data)
		return;
	char *w = sb->data, *r = sb->data, *e = sb->data + sb->len;
	while (r < e) {
		if (*r == '<' && e - r >= 10 && memcmp(r, "<no value>", 10) == 0) {
			r += 10;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
	sb->len = (size_t)(w - sb->data);
}

int tm_gt_execute(tm_gt_set *s, const tm_gt_tmpl *t, tm_gv dot, const tm_gt_limits *lim, tm_gt_out *out)
{
	tm_gt_exec x;
	memset(&x, 0, sizeof(x));
	x.set = s;
	x.a = s->arena;
	if (lim)
		x.lim = *lim;
	else
		tm_gt_limits_default(&x.lim);
	x.out = out;
	x.tmpl_name = t->name;
	int rc = 0;
	if (push_var(&x, "$", dot) < 0 || exec_list(&x, t->root, dot) < 0)
		rc = -1;
	if (rc < 0) {
		tm_loc loc = x.errloc;
		if (!loc.path)
			loc.path = t->path;
		tm_diag_add(s->diags, x.code ? x.code : TM_EINVALID, TM_LEVEL_ERROR, loc, "%s",
			    x.errmsg.data ? x.errmsg.data : "template execution failed");
		rc = x.code ? x.code : TM_EINVALID;
	} else
		strip_no_value(&out->text);
	tm_strbuf_dispose(&x.errmsg);
	tm_free(x.vars);
	return rc;
}
