/*
 * report/diagram.h - the view every diagram format draws (internal): nodes
 * shown or folded, merged edges with the enforcement they carry.
 */
#ifndef TM_REPORT_DIAGRAM_H
#define TM_REPORT_DIAGRAM_H

#include "report.h"

typedef enum { TM_DG_SERVICES, TM_DG_ENDPOINTS, TM_DG_ALL } tm_dg_detail;

/* Ordered from strongest to weakest, so merging keeps the larger. */
typedef enum {
	TM_DG_STRUCTURAL = 0, /* not a request: runs-as, mounts, grants, deploys */
	TM_DG_ENFORCED,       /* authentication or authorization known to be there */
	TM_DG_UNKNOWN,        /* neither known */
	TM_DG_MISSING,        /* no authentication, no authorization */
} tm_dg_state;

typedef struct {
	const char *id, *label, *kind, *boundary;
	int exposure; /* a tm_exposure_level, or -1 when not known */
	const tm_node *model; /* NULL for a folded namespace */
	size_t endpoints;     /* endpoints folded into it */
	size_t members;       /* workloads folded into it (a namespace node) */
	bool folded, hidden, focus, highlight;
} tm_dg_node;

typedef struct {
	size_t from, to;
	tm_edge_kind kind;
	tm_dg_state state;
	bool crosses;
	size_t count; /* model edges merged into it */
	tm_authn authn;
	tm_authz authz;
	bool hidden;
} tm_dg_edge;

typedef struct {
	const tm_model *model;
	tm_dg_detail detail;
	tm_dg_node *nodes;
	size_t n, cap_nodes, shown;
	tm_dg_edge *edges;
	size_t ne, cap_edges, shown_edges;
	bool folded, focus_missing;
	tm_hmap index; /* node id -> index + 1 */
	tm_arena *arena;
} tm_diagram;

/* x: computed exposure, or NULL; opts NULL: the defaults. Dispose even after an error. */
int tm_diagram_build(tm_diagram *d, const tm_model *m, const tm_exposure *x, const tm_diagram_opts *opts);
void tm_diagram_dispose(tm_diagram *d);
const char *tm_dg_state_name(tm_dg_state s);
/* The Graphviz layout engine for this size: dot, or sfdp past what dot lays out quickly. */
const char *tm_diagram_engine(const tm_diagram *d);

/* DOT text of the view (dot.c). */
void tm_diagram_dot(tm_out *o, const tm_diagram *d, const char *title);
/* The same, the edges' labels as external labels (xlabel) with TM_DOT_XLABELS: placed after the
 * layout, which then has no label nodes to route edges around (svg.c's second attempt). */
#define TM_DOT_XLABELS 1u
void tm_diagram__dot(tm_out *o, const tm_diagram *d, const char *title, unsigned flags);
/* SVG of the view, laid out by libgvc in a child process (svg.c). 0, TM_EIO (layout failed) or
 * TM_ENOMEM. */
int tm_diagram_svg(tm_out *o, const tm_diagram *d, const char *title);
/* Mermaid flowchart of the view (mermaid.c). */
void tm_diagram_mermaid(tm_out *o, const tm_diagram *d);

#endif
