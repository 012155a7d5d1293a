/*
 * ingest/scan_set.h - the plan's internals shared by its files (internal): scan.c walks the roots,
 * parses the candidates, renders charts and kustomizations and runs each system's ingestion;
 * gitops.c reads the GitOps objects among the inputs (Argo CD Applications and ApplicationSets,
 * Flux Kustomizations and HelmReleases) for what of the tree they deploy, where and with which
 * values. Everything here lives in the set's arena unless a comment says otherwise.
 */
#ifndef TM_INGEST_SCAN_SET_H
#define TM_INGEST_SCAN_SET_H

#include <limits.h>
#include <string.h>
#include <sys/types.h>

#include "ingest.h"
#include "render/fsys.h"
#include "render/helm.h"

/* A file on disk as one stat saw it: a change of its bytes changes one of these (git's index). */
struct file_state {
	dev_t dev;
	ino_t ino;
	off_t size;
	int64_t mtime_ns, ctime_ns;
	bool set;
};

struct candidate {
	char *fs_path;   /* for open(); NULL for a file held in memory */
	char *display;   /* for reports */
	bool codeowners;
	bool dotenv;     /* a compose .env: text handed to the compose ingester */
	bool proto;      /* a .proto: text handed to the gRPC ingester */
	bool properties; /* an application's Java .properties: text handed to the configuration reader */
	bool dockerfile; /* a Dockerfile: its image's environment, text handed to dockerfile.c */
	bool nginx;      /* nginx configuration text: handed to the gateway reader */
	bool caddy;      /* a Caddyfile: handed to the gateway reader */
	bool iot;        /* a Mosquitto configuration or Node-RED's settings.js: text handed to iot.c */
	bool hcl;        /* Terraform configuration (.tf, .tfvars): handed to the terraform reader */
	bool metrics;    /* Prometheus text: read line by line into the runtime ingester */
	const char *mem; /* the bytes of an in-memory file (a git blob) */
	size_t mem_len;
	/* set by the plan */
	bool streamed;   /* JSON Lines runtime map: read a line at a time by each system that holds it */
	tm_file *file;   /* parsed once, shared by every system (NULL: not parsed) */
	tm_file *placed; /* a copy of file with its objects placed in the namespace a GitOps
			  * Application delivers them to (plan_deliveries), read instead; or NULL */
	const char *skip;   /* why it contributed nothing before ingestion (parse failure), or NULL */
	const char *owner;  /* the render that consumed it (kustomization root, chart), or NULL */
	bool chart_file;    /* in a chart's directory, read by no render of it (ci/ values, README) */
	bool in_chart;      /* in a chart's directory, parsed (if no render reads it) once charts rendered */
	bool tried;         /* parsed, or tried, by the plan */
	int render;         /* that render's index, or -1 */
	int item;           /* its plan item, or -1 */
	bool spec_only;     /* every document of it went to the API spec ingesters, which keep nothing
			       of it outside the model's own copies: freed once the set's systems ran */
	struct file_state seen; /* the file as tm_scan_set_same compared it, if it did */
};

/* A rendered kustomization or chart: its documents, and the files it read. */
struct render {
	const char *name;   /* the kustomization's directory or the chart's */
	const char *file;   /* the kustomization file or Chart.yaml: the input the report lists */
	tm_format format;   /* TM_FMT_KUSTOMIZE or TM_FMT_HELM */
	tm_file **outs;
	size_t nouts;
	size_t *consumed;   /* the candidates it read */
	size_t nconsumed;
	size_t nshared;     /* the last of them: values files taken from beside a chart (sibling_values),
			     * which several charts read without being builds of one another */
	int item;
	int only_sysdef;    /* rendered with the values of this overlay system only, or -1 */
	int parent;         /* a release rendered from what another render holds: that render (its
			     * systems are this one's), or -1 */
	size_t d0, d1;      /* its diagnostics in the set's list (a chart's render; kustomizations: 0, 0) */
};

/* The plan of one walk (scan.h): every candidate parsed once, renders, variants. Shared by the
 * scans of its systems, which hold a reference each. */
struct tm_scan_set {
	int refs;
	tm_arena *arena;
	tm_parse_cache *cache; /* borrowed: parsed files by content, or NULL */
	tm_limits limits;
	tm_diag_list diags;  /* the walk's, the parser's and the renderers' */
	int *diag_system;    /* per diagnostic: the system it belongs to alone, or -1 (every system), -2
			      * (none), -3 - i (the systems holding plan item i) */
	tm_skip *skips;      /* the walk's (broken links, skipped directories) */
	size_t nskips, cap_skips;
	size_t ignored;
	struct candidate *cands;
	size_t ncands, cap_cands;
	struct render *renders;
	size_t nrenders, cap_renders;
	tm_hmap values_keys; /* a YAML file beside a chart -> its top-level keys (NULL-terminated, in the
			      * arena; none: no values file), read once however many charts look */
	tm_plan_item *items;
	size_t nitems;
	tm_plan plan;
	const char **ref_roots; /* the roots' real directories: $refs stay inside them */
	size_t nref_roots, cap_ref_roots;
	size_t root_errors;
	bool mem;            /* candidates held in memory */
	const tm_mem_file *mem_files; /* all of them, for renderers (generator inputs are no candidates) */
	size_t nmem_files;
	char render_root[PATH_MAX]; /* the one directory root renderers read under ("" : none) */
	const char *helm_binary;    /* scan --helm=binary: the helm program; NULL: native */
	void (*progress)(void *ud, const char *what); /* tm_scan_opts' */
	void *progress_ud;
	_Atomic size_t parsed;      /* candidates parsed so far, by every parsing thread */
	size_t to_parse;            /* candidates the parsing passes so far set out to read */
	tm_plan_system *sysdefs;    /* the systems the overlay names, if it does */
	size_t nsysdefs;
	bool dropped;               /* its files freed (tm_scan_set_drop_files): no system runs again */
	unsigned char render_log[32]; /* what the renders read of the tree (tm_fsys_record), when any ran */
	bool render_logged;
	const char *repo_prefix;    /* the root's place in its git work tree ("" or "dir/"): GitOps paths */
	struct gitops_path *gitops_paths; /* what the GitOps objects deliver, for the plan's systems */
	tm_hmap flux_repos;         /* Flux GitRepository name -> its spec (gitops.c), built once */
	bool flux_repos_built;
	size_t ngitops_paths, cap_gitops_paths;
	struct gitops_use *gitops_uses; /* which delivery's objects each placed file or render holds */
	size_t ngitops_uses, cap_gitops_uses;
	tm_file **appsets;          /* the Applications Argo CD ApplicationSets generate, for the plan */
	size_t nappsets, cap_appsets;
	bool appsets_done;
	tm_file *tf_eval;           /* the Terraform configuration evaluated for its helm_release resources
				     * (tf_k8s.c), whose values their releases' renders read; or NULL */
	int oom;
};

/* A delivery whose objects (placed in its namespace, substituted by its postBuild) a candidate's
 * placed copy (cand >= 0) or a render (render >= 0) holds; via: the file holding the delivering
 * object. When deliveries of different systems send one directory differently (two clusters, two
 * substitutions), each copy belongs to its deliveries' systems only (plan_variants). */
struct gitops_use {
	const tm_file *via;
	int cand, render;
};

/* A directory of the tree a GitOps object (in file f) applies: tm_plan_delivery, by file. */
struct gitops_path {
	const tm_file *f;
	const char *dir;
	bool recurse;
};

/* A GitOps tool's release of a chart of this tree (an Argo CD Application whose source path holds
 * the chart, a Flux HelmRelease whose chart is a path of its Git source): rendered with its values
 * into its namespace, instead of with values.yaml alone. */
struct helm_release {
	const char *tool;    /* "Argo CD Application", "Flux HelmRelease" */
	const char *app;     /* its name */
	const char *chart;   /* the chart's directory, relative to the root ("" the root) */
	const char *ns;      /* the release's namespace, or NULL (none named) */
	const char *release; /* .Release.Name */
	const char **values; /* values files, tree-relative, laid over values.yaml (helm -f) */
	size_t nvalues;
	const char **chart_values; /* Flux valuesFiles: the chart's values made of these instead */
	size_t nchart_values;
	const tm_value **docs;     /* inline values (Argo valuesObject or values, Flux values) */
	size_t ndocs;
	const tm_value *values_text; /* Argo's values: a YAML string, read by the renderer */
	tm_helm_set *sets;         /* Argo's parameters */
	size_t nsets;
	tm_loc at;           /* where the chart is named (the source's path, the chart's) */
	const char *top;     /* the directory its paths are read from, when not the top (repo_path) */
	const char *unread;  /* values not read (a URL, a file out of the tree, valuesFrom): said */
	size_t seq;          /* the order it was found in (the sort keeps it among one chart's) */
	int from_render;     /* the render whose output holds it (a kustomization's HelmRelease), or -1 */
	const tm_file *via;  /* the file holding the release's object: its render is in that file's systems */
};

/* The GitOps releases of the tree's charts found so far, sorted by chart (tm_gitops__releases). */
struct releases {
	struct helm_release *r; /* malloc'd: tm_gitops__releases_free */
	size_t n, cap;
};

/* ---- scan.c ---------------------------------------------------------------------------------- */

/* The last component of a path. */
static inline const char *tm_scan__basename(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* The candidate whose display path is display (the candidates are sorted by it), or NULL. */
struct candidate *tm_scan__find_cand(tm_scan_set *set, const char *display);
/* The candidates under the directory dir, its first dl bytes ("" or ".": all of them), by bisection:
 * set->cands[*first .. *end). */
void tm_scan__cands_under(const tm_scan_set *set, const char *dir, size_t dl, size_t *first, size_t *end);
/* The namespaced objects of f without metadata.namespace (a namespace left empty or null is none),
 * which helm and kubectl apply -n install into the namespace given: placed in ns (written at
 * *origin, or at each object's metadata when origin is NULL), when ns is given; with override, also
 * those whose namespace is another (kustomize's namespace transformer). The items of a List are its
 * objects. Their count; *oom set when memory ran out. tm_scan__place_object does it for the one
 * object obj of f (in_list: an item of a List, placed as an object even if it is itself a List). */
size_t tm_scan__place_in_namespace(tm_file *f, const char *ns, const tm_loc *origin, bool override, bool *oom);
size_t tm_scan__place_object(tm_file *f, tm_value *obj, const char *ns, const tm_loc *origin, bool override, bool *oom,
			     bool in_list);

/* ---- gitops.c -------------------------------------------------------------------------------- */

/* The releases of the tree's charts by the GitOps objects among the plain inputs and the
 * Applications of the tree's ApplicationSets, into rs, sorted by chart. */
void tm_gitops__releases(tm_scan_set *set, const tm_fsys *fs, struct releases *rs);
/* The releases the objects of renders [first_render, set->nrenders) make (the charts of apps of
 * apps), added to rs, which stays sorted. */
void tm_gitops__releases_rendered(tm_scan_set *set, const tm_fsys *fs, struct releases *rs, size_t first_render);
void tm_gitops__releases_free(struct releases *rs);
/* The note on one release of chart name, once it rendered. */
void tm_gitops__release_said(tm_scan_set *set, const struct helm_release *r, const char *name);
/* Does the chart at the tree's directory chart hold GitOps objects in its templates (an app of
 * apps)? Read through fs, so the comparison of plans sees the read. */
bool tm_gitops__app_of_apps(tm_scan_set *set, const tm_fsys *fs, const char *chart);
/* Where the GitOps objects send the tree's directories: their objects placed in the namespace
 * each delivery names (candidate.placed, or copies in renders of their own), with a note each;
 * every directory they apply recorded for the plan (set->gitops_paths), and a warning for one the
 * tree does not hold. */
void tm_gitops__deliveries(tm_scan_set *set);

/* ---- tf_k8s.c -------------------------------------------------------------------------------- */

/* Terraform's Kubernetes and Helm providers in the tree's configuration: the objects its
 * kubernetes_* resources create, one render per root module (with a note each, and one for each
 * value the files do not decide), and its helm_release resources of the tree's charts added to rs
 * (kept sorted by chart); a chart of a repository or outside the tree is said, not fetched. */
void tm_tf_k8s__plan(tm_scan_set *set, const tm_fsys *fs, struct releases *rs);

#endif
