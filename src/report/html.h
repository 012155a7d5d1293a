/*
 * report/html.h - the pieces of an HTML page shared by the report (html.c), the change review
 * (diff.c) and the web UI (serve): escaping, head and tail with the inline style and script,
 * the findings table, the diagram. Internal.
 */
#ifndef TM_REPORT_HTML_H
#define TM_REPORT_HTML_H

#include "diagram.h"

/* HTML text or a double-quoted attribute value: & < > " ' ` escaped, control characters and bytes
 * that are not UTF-8 as U+FFFD. */
void tm_esc_html(tm_out *o, const char *s);
/* <!doctype html> ... <body>, with a CSP that forbids every fetch (forms: may post to itself). */
void tm_html_head(tm_out *o, const char *title, const char *what, bool forms);
/* The script and </body></html>. */
void tm_html_tail(tm_out *o);
void tm_html_diagram(tm_out *o, const tm_diagram *d, const char *title);
/* Filters and a sortable table of findings; rows carry data-* attributes the script filters on, and
 * data-path: the SVG ids of the finding's path on d (NULL: no diagram). */
void tm_html_findings_table(tm_out *o, const char *id, const tm_finding *const *list, size_t n, const tm_diagram *d);
/* What a page adds to a finding's detail (the web UI: a decision form). */
typedef void (*tm_html_extra)(tm_out *o, const tm_finding *f, void *ud);
void tm_html_findings_table_ex(tm_out *o, const char *id, const tm_finding *const *list, size_t n, const tm_diagram *d,
			       tm_html_extra extra, void *ud);
/* One finding's two rows (the finding, its hidden detail) in a findings table begun by the above. */
void tm_html_finding_rows(tm_table *t, const tm_finding *f, const tm_diagram *d, size_t rank, tm_html_extra extra,
			  void *ud);
void tm_html_finding_attrs(tm_out *o, const tm_finding *f, const tm_diagram *d);

int tm_report__html(const tm_wctx *ctx, tm_out *o);

#define TM_HTML_CSS                                                                                               \
	":root{--fg:#1d1d1f;--muted:#5f6368;--line:#dadce0;--crit:#8e0000;--high:#c62828;--med:#ef6c00;"         \
	"--low:#546e7a;--hl:#1565c0}\n"                                                                           \
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:var(--fg);"     \
	"margin:0;background:#fafafa}\n"                                                                          \
	"header{background:#fff;border-bottom:1px solid var(--line);padding:12px 24px}\n"                         \
	"header h1{margin:0 0 4px;font-size:22px}.by{color:var(--muted);margin:0}\n"                              \
	"nav a{margin-right:16px;color:var(--hl);text-decoration:none}\n"                                         \
	"main{padding:0 24px 40px}section{background:#fff;border:1px solid var(--line);border-radius:6px;"      \
	"margin:16px 0;padding:8px 16px 16px}\n"                                                                  \
	".figures{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:8px}.figures li{border:1px solid "   \
	"var(--line);border-radius:4px;padding:4px 10px}\n"                                                       \
	"table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border-bottom:1px solid var(--line);"     \
	"padding:4px 6px;text-align:left;vertical-align:top}th[data-sort]{cursor:pointer;user-select:none}"      \
	"th[data-sort]:after{content:' \\2195';color:var(--muted)}\n"                                            \
	"tr.finding{cursor:pointer}tr.finding:hover{background:#f1f3f4}tr.finding.selected{background:#e3f2fd}" \
	"tr.detail td{background:#f8f9fa}dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;"    \
	"margin:4px 0}dt{font-weight:600}dd{margin:0}pre{white-space:pre-wrap;margin:0}\n"                       \
	".sev{font-weight:600}.sev-critical{color:var(--crit)}.sev-high{color:var(--high)}.sev-medium{color:"    \
	"var(--med)}.sev-low{color:var(--low)}\n"                                                                 \
	".filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:8px 0}.count{color:var(--muted)}" \
	"\n.diagram{margin:0;overflow:auto;border:1px solid var(--line);border-radius:4px;max-height:80vh}"     \
	".diagram svg{display:block;max-width:100%;height:auto}figcaption{color:var(--muted);padding:6px}\n"     \
	".legend{padding:0 6px;border-left:4px solid}.legend.enforced{border-color:#2e7d32}.legend.missing{"    \
	"border-color:#c62828}.legend.unknown{border-color:#757575;border-left-style:dashed}.legend.structural{" \
	"border-color:#9e9e9e;border-left-style:dotted}.legend.internet{border-color:#fde0dc}\n"                 \
	"svg .tm-node.hl polygon,svg .tm-node.hl ellipse,svg .tm-node.hl path{stroke:var(--hl);stroke-width:4}"  \
	"svg .tm-edge.hl path{stroke:var(--hl);stroke-width:4}svg .tm-edge.hl polygon{stroke:var(--hl);"         \
	"fill:var(--hl)}svg.dim .tm-node:not(.hl),svg.dim .tm-edge:not(.hl){opacity:.25}\n"                      \
	"code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}.agenda li{margin:4px 0}\n"                    \
	"button{font:inherit}form.decide{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin:6px 0}"           \
	"form.decide label{display:flex;flex-direction:column;font-size:12px}nav.app a{margin-right:16px}"            \
	".notice{background:#fff8e1;border:1px solid #ffe082;padding:6px 10px;border-radius:4px}\n"

/* Filters, sorting, and the path highlight. Reads only data-* attributes and element ids. */
#define TM_HTML_JS                                                                                                 \
	"(function(){'use strict';\n"                                                                              \
	"function rows(t){return Array.prototype.filter.call(t.tBodies[0].rows,function(r){"                      \
	"return r.classList.contains('finding');});}\n"                                                            \
	"var svg=document.querySelector('#diagram svg');\n"                                                        \
	"function clearHL(){if(!svg)return;svg.classList.remove('dim');svg.querySelectorAll('.hl')"               \
	".forEach(function(e){e.classList.remove('hl');});document.querySelectorAll('tr.selected')"               \
	".forEach(function(r){r.classList.remove('selected');});}\n"                                               \
	"function highlight(r){clearHL();r.classList.add('selected');var ids=(r.dataset.path||'').split(' ')"     \
	".filter(Boolean);if(!svg||!ids.length)return;ids.forEach(function(id){var e=document.getElementById(id);" \
	"if(e&&svg.contains(e))e.classList.add('hl');});svg.classList.add('dim');"                                 \
	"var first=document.getElementById(ids[0]);if(first&&first.scrollIntoView)first.scrollIntoView("          \
	"{block:'nearest',inline:'nearest'});}\n"                                                                  \
	"document.querySelectorAll('table.findings').forEach(function(t){\n"                                       \
	" var box=document.querySelector('.filters[data-for=\"'+t.id+'\"]');\n"                                   \
	" var sels=box?box.querySelectorAll('select[data-filter]'):[];\n"                                         \
	" sels.forEach(function(s){var key=s.dataset.filter,seen={};rows(t).forEach(function(r){"                 \
	"(key==='stride'?(r.dataset.stride||'').split(' '):[r.dataset[key]||'']).forEach(function(v){"            \
	"if(v&&!seen[v]){seen[v]=1;}});});Object.keys(seen).sort().forEach(function(v){var o="                   \
	"document.createElement('option');o.value=v;o.textContent=v;s.appendChild(o);});});\n"                    \
	" var search=box?box.querySelector('[data-search]'):null,count=box?box.querySelector('.count'):null;\n"    \
	" function apply(){var n=0,q=search&&search.value.toLowerCase();rows(t).forEach(function(r){var ok=true;"  \
	"sels.forEach(function(s){var v=s.value,key=s.dataset.filter;if(!v)return;if(key==='stride'){"            \
	"if((' '+r.dataset.stride+' ').indexOf(' '+v+' ')<0)ok=false;}else if(r.dataset[key]!==v)ok=false;});"   \
	"if(ok&&q&&r.textContent.toLowerCase().indexOf(q)<0&&(r.dataset.fp||'').indexOf(q)<0)ok=false;"          \
	"r.hidden=!ok;if(!ok)r.nextElementSibling.hidden=true;if(ok)n++;});if(count)count.textContent=n+"         \
	"' of '+rows(t).length+' findings';}\n"                                                                    \
	" sels.forEach(function(s){s.addEventListener('change',apply);});if(search)search.addEventListener("      \
	"'input',apply);apply();\n"                                                                                \
	" var clr=box?box.querySelector('[data-clear]'):null;if(clr)clr.addEventListener('click',clearHL);\n"     \
	" t.tBodies[0].addEventListener('click',function(ev){var r=ev.target.closest('tr.finding');if(!r)return;" \
	"var d=r.nextElementSibling,open=d.hidden;d.hidden=!open;if(open)highlight(r);else clearHL();});\n"      \
	" t.tBodies[0].addEventListener('keydown',function(ev){if(ev.key==='Enter'){var r=ev.target.closest("     \
	"'tr.finding');if(r)r.click();}});\n"                                                                      \
	" t.tHead.querySelectorAll('th[data-sort]').forEach(function(th){var asc=false;th.addEventListener("      \
	"'click',function(){var key=th.dataset.sort;asc=!asc;var pairs=rows(t).map(function(r){return[r,"        \
	"r.nextElementSibling];});pairs.sort(function(a,b){var x=a[0].dataset[key]||a[0].cells[0].textContent,"  \
	"y=b[0].dataset[key]||b[0].cells[0].textContent,nx=parseFloat(x),ny=parseFloat(y);var c=(!isNaN(nx)&&"   \
	"!isNaN(ny))?nx-ny:String(x).localeCompare(String(y));return asc?c:-c;});pairs.forEach(function(p){"     \
	"t.tBodies[0].appendChild(p[0]);t.tBodies[0].appendChild(p[1]);});});});\n"                               \
	"});\n"                                                                                                    \
	"if(svg)svg.addEventListener('click',function(ev){var g=ev.target.closest('.tm-node');if(!g)return;"       \
	"clearHL();g.classList.add('hl');svg.classList.add('dim');});\n"                                           \
	"})();\n"

#endif
