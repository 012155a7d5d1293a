// oracle - renders a Helm chart the way `helm template` does, with Go's own text/template,
// Masterminds/sprig and sigs.k8s.io/yaml, for the differential test of trustmap's native
// renderer (src/render/helm.c). It implements Helm's engine the way pkg/engine and
// pkg/chartutil do: values coalesced with subcharts (global copied down), dependency
// conditions and tags, templates parsed deepest-first, missingkey=zero and "<no value>"
// removed, include/tpl/required/toYaml/fromYaml/toJson/lookup as Helm defines them. The
// non-deterministic Sprig functions are replaced with the same stand-ins the C renderer uses
// (docs/helm.md).
//
// Usage: oracle CHART_DIR [VALUES_FILE...] > out
// Output: for every rendered template file, sorted by its path inside the chart,
//
//	#### ORACLE-SOURCE: templates/x.yaml
//	<rendered text>
//
// or one line "#### ORACLE-ERROR: message" when the chart does not render (helm template
// fails as a whole then).
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template"
	"time"

	sprig "github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
)

type Dependency struct {
	Name      string        `json:"name"`
	Version   string        `json:"version,omitempty"`
	Repository string       `json:"repository,omitempty"`
	Condition string        `json:"condition,omitempty"`
	Tags      []string      `json:"tags,omitempty"`
	Enabled   bool          `json:"enabled,omitempty"`
	ImportValues []interface{} `json:"import-values,omitempty"`
	Alias     string        `json:"alias,omitempty"`
}

type Maintainer struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	URL   string `json:"url,omitempty"`
}

type Metadata struct {
	Name         string            `json:"name,omitempty"`
	Home         string            `json:"home,omitempty"`
	Sources      []string          `json:"sources,omitempty"`
	Version      string            `json:"version,omitempty"`
	Description  string            `json:"description,omitempty"`
	Keywords     []string          `json:"keywords,omitempty"`
	Maintainers  []*Maintainer     `json:"maintainers,omitempty"`
	Icon         string            `json:"icon,omitempty"`
	APIVersion   string            `json:"apiVersion,omitempty"`
	Condition    string            `json:"condition,omitempty"`
	Tags         string            `json:"tags,omitempty"`
	AppVersion   string            `json:"appVersion,omitempty"`
	Deprecated   bool              `json:"deprecated,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	KubeVersion  string            `json:"kubeVersion,omitempty"`
	Dependencies []*Dependency     `json:"dependencies,omitempty"`
	Type         string            `json:"type,omitempty"`
}

type Chart struct {
	Meta     *Metadata
	Name     string // alias or name
	Dir      string
	Rel      string // path inside the top chart ("" for the top)
	Full     string // Helm's template path prefix
	Values   map[string]interface{}
	Files    Files
	Tmpls    []string // paths inside the chart, "templates/..."
	Subs     []*Chart
	Disabled bool
}

// Files as Helm's engine.files.
type Files map[string][]byte

func (f Files) GetBytes(name string) []byte { return f[name] }
func (f Files) Get(name string) string     { return string(f[name]) }
func (f Files) Glob(pattern string) Files {
	out := Files{}
	for name, data := range f {
		if globMatch(pattern, name) {
			out[name] = data
		}
	}
	return out
}
func (f Files) AsConfig() string {
	if len(f) == 0 {
		return ""
	}
	m := map[string]string{}
	for k, v := range f {
		m[path.Base(k)] = string(v)
	}
	return toYAML(m)
}
func (f Files) AsSecrets() string {
	if len(f) == 0 {
		return ""
	}
	m := map[string]string{}
	for k, v := range f {
		m[path.Base(k)] = base64.StdEncoding.EncodeToString(v)
	}
	return toYAML(m)
}
func (f Files) Lines(p string) []string {
	if f == nil || f[p] == nil {
		return []string{}
	}
	s := string(f[p])
	if s[len(s)-1] == '\n' {
		s = s[:len(s)-1]
	}
	return strings.Split(s, "\n")
}

// globMatch: gobwas/glob with '/' separators ("**" crosses them), approximated with path.Match
// per segment.
func globMatch(pattern, name string) bool {
	if strings.Contains(pattern, "**") {
		parts := strings.SplitN(pattern, "**", 2)
		if !strings.HasPrefix(name, parts[0]) && parts[0] != "" {
			ok, _ := path.Match(parts[0]+"*", name)
			if !ok {
				return false
			}
		}
		rest := strings.TrimPrefix(parts[1], "/")
		for i := 0; i <= len(name); i++ {
			if i == 0 || name[i-1] == '/' || parts[1] == "" || !strings.HasPrefix(parts[1], "/") {
				sub := name[i:]
				if rest == "" || globMatch(rest, sub) {
					if strings.HasPrefix(name, parts[0]) {
						return true
					}
				}
			}
		}
		return false
	}
	ok, _ := path.Match(pattern, name)
	return ok
}

type VersionSet []string

func (v VersionSet) Has(apiVersion string) bool {
	for _, x := range v {
		if x == apiVersion {
			return true
		}
	}
	return false
}

type KubeVersion struct {
	Version string
	Major   string
	Minor   string
}

func (kv *KubeVersion) String() string     { return kv.Version }
func (kv *KubeVersion) GitVersion() string { return kv.Version }

type HelmVersion struct{ Version string }

type Capabilities struct {
	APIVersions VersionSet
	KubeVersion KubeVersion
	HelmVersion HelmVersion
}

// The same set as src/render/helm.c's api_versions.
var apiVersions = VersionSet{
	"v1", "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1beta1",
	"apiextensions.k8s.io/v1", "apiextensions.k8s.io/v1beta1", "apiregistration.k8s.io/v1",
	"apps/v1", "apps/v1beta1", "apps/v1beta2", "authentication.k8s.io/v1", "authentication.k8s.io/v1beta1",
	"authorization.k8s.io/v1", "authorization.k8s.io/v1beta1", "autoscaling/v1", "autoscaling/v2",
	"autoscaling/v2beta1", "autoscaling/v2beta2", "batch/v1", "batch/v1beta1", "certificates.k8s.io/v1",
	"certificates.k8s.io/v1beta1", "coordination.k8s.io/v1", "coordination.k8s.io/v1beta1",
	"discovery.k8s.io/v1", "discovery.k8s.io/v1beta1", "events.k8s.io/v1", "events.k8s.io/v1beta1",
	"extensions/v1beta1", "flowcontrol.apiserver.k8s.io/v1", "flowcontrol.apiserver.k8s.io/v1beta3",
	"networking.k8s.io/v1", "networking.k8s.io/v1beta1", "node.k8s.io/v1", "node.k8s.io/v1beta1",
	"policy/v1", "policy/v1beta1", "rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1beta1",
	"scheduling.k8s.io/v1", "scheduling.k8s.io/v1beta1", "storage.k8s.io/v1", "storage.k8s.io/v1beta1",
	"v1/ConfigMap", "v1/Secret", "v1/Service", "v1/Pod", "v1/Namespace", "v1/ServiceAccount",
	"v1/PersistentVolumeClaim", "apps/v1/Deployment", "apps/v1/StatefulSet", "apps/v1/DaemonSet",
	"batch/v1/Job", "batch/v1/CronJob", "batch/v1beta1/CronJob", "networking.k8s.io/v1/Ingress",
	"networking.k8s.io/v1/IngressClass", "networking.k8s.io/v1/NetworkPolicy", "networking.k8s.io/v1beta1/Ingress",
	"extensions/v1beta1/Ingress", "policy/v1/PodDisruptionBudget", "policy/v1beta1/PodDisruptionBudget",
	"policy/v1beta1/PodSecurityPolicy", "autoscaling/v2/HorizontalPodAutoscaler",
	"autoscaling/v2beta1/HorizontalPodAutoscaler", "autoscaling/v2beta2/HorizontalPodAutoscaler",
	"autoscaling/v1/HorizontalPodAutoscaler", "rbac.authorization.k8s.io/v1/Role",
	"rbac.authorization.k8s.io/v1/ClusterRole", "rbac.authorization.k8s.io/v1/RoleBinding",
	"rbac.authorization.k8s.io/v1/ClusterRoleBinding", "storage.k8s.io/v1/StorageClass",
	"admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration",
	"admissionregistration.k8s.io/v1/MutatingWebhookConfiguration",
	"apiextensions.k8s.io/v1/CustomResourceDefinition", "scheduling.k8s.io/v1/PriorityClass",
	"discovery.k8s.io/v1/EndpointSlice",
}

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

// ignoreRule and ignored: Helm's pkg/ignore, as LoadDir applies the top chart's .helmignore (plus
// "templates/.?*") to every path of the tree, relative to the top chart.
type ignoreRule struct {
	pat             string
	negate, mustDir bool
	kind            int // 0 base name, 1 path, 2 rooted path
}

var ignoreRules []ignoreRule

func parseIgnore(text string) {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.Contains(line, "**") {
			continue
		}
		r := ignoreRule{pat: line}
		if strings.HasPrefix(r.pat, "!") {
			r.negate = true
			r.pat = r.pat[1:]
		}
		if strings.HasSuffix(r.pat, "/") {
			r.mustDir = true
			r.pat = strings.TrimSuffix(r.pat, "/")
		}
		if strings.HasPrefix(r.pat, "/") {
			r.kind = 2
			r.pat = strings.TrimPrefix(r.pat, "/")
		} else if strings.Contains(r.pat, "/") {
			r.kind = 1
		}
		ignoreRules = append(ignoreRules, r)
	}
}

func ignored(p string, isDir bool) bool {
	if p == "" {
		return false
	}
	for _, r := range ignoreRules {
		subject := p
		if r.kind == 0 {
			subject = path.Base(p)
		}
		ok, _ := path.Match(r.pat, subject)
		if r.negate {
			if r.mustDir && !isDir {
				return true
			}
			if !ok {
				return true
			}
			continue
		}
		if r.mustDir && !isDir {
			continue
		}
		if ok {
			return true
		}
	}
	return false
}

var tempDirs []string // unpacked archives, removed when main ends

// extract unpacks a chart archive into a temporary directory: the directory and the chart's
// top-level directory in it.
func extract(file string) (string, string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return "", "", err
	}
	tmp, err := os.MkdirTemp("", "oracle-chart")
	if err != nil {
		return "", "", err
	}
	tr := tar.NewReader(gz)
	top := ""
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", "", err
		}
		if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeRegA {
			continue
		}
		name := strings.TrimPrefix(h.Name, "./")
		if strings.Contains(name, "..") {
			continue
		}
		if i := strings.Index(name, "/"); i > 0 && name[i+1:] == "Chart.yaml" && top == "" {
			top = name[:i]
		}
		p := filepath.Join(tmp, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		data, _ := io.ReadAll(tr)
		os.WriteFile(p, data, 0o644)
	}
	if top == "" {
		return "", "", fmt.Errorf("no chart in %s", file)
	}
	return tmp, top, nil
}

func loadChart(dir, rel, parentFull string, depth int) (*Chart, error) {
	return loadChartIn(dir, rel, parentFull, depth, false)
}

// loadChartIn: arch marks a chart unpacked from an archive, where .helmignore does not apply.
func loadChartIn(dir, rel, parentFull string, depth int, arch bool) (*Chart, error) {
	if depth > 8 {
		return nil, fmt.Errorf("too deep")
	}
	raw, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	meta := &Metadata{}
	if err := yaml.Unmarshal(raw, meta); err != nil {
		return nil, err
	}
	c := &Chart{Meta: meta, Name: meta.Name, Dir: dir, Rel: rel, Files: Files{}, Values: map[string]interface{}{}}
	if c.Name == "" {
		c.Name = "chart"
	}
	if parentFull == "" {
		c.Full = c.Name
	} else {
		c.Full = parentFull + "/charts/" + c.Name
	}
	if len(meta.Dependencies) == 0 {
		if rq, err := os.ReadFile(filepath.Join(dir, "requirements.yaml")); err == nil {
			var r struct {
				Dependencies []*Dependency `json:"dependencies"`
			}
			if yaml.Unmarshal(rq, &r) == nil {
				meta.Dependencies = r.Dependencies
			}
		}
	}
	if vb, err := os.ReadFile(filepath.Join(dir, "values.yaml")); err == nil {
		if err := yaml.Unmarshal(vb, &c.Values); err != nil {
			return nil, fmt.Errorf("values.yaml: %v", err)
		}
		if c.Values == nil {
			c.Values = map[string]interface{}{}
		}
	}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		r, _ := filepath.Rel(dir, p)
		r = filepath.ToSlash(r)
		if r == "." {
			return nil
		}
		if !arch && ignored(path.Join(rel, r), info.IsDir()) {
			if info.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if info.IsDir() {
			return nil
		}
		switch {
		case strings.HasPrefix(r, "charts/"):
		case strings.HasPrefix(r, "templates/"):
			c.Tmpls = append(c.Tmpls, r)
		case r == "Chart.yaml" || r == "values.yaml" || r == "requirements.yaml" || r == "requirements.lock" ||
			r == "Chart.lock" || r == "values.schema.json" || r == ".helmignore":
		default:
			if info.Mode().IsRegular() {
				data, _ := os.ReadFile(p)
				c.Files[r] = data
			}
		}
		return nil
	})
	sort.Strings(c.Tmpls)
	entries, _ := os.ReadDir(filepath.Join(dir, "charts"))
	for _, e := range entries {
		if !arch && ignored(path.Join(rel, "charts", e.Name()), e.IsDir()) {
			continue
		}
		if !e.IsDir() {
			if strings.HasSuffix(e.Name(), ".tgz") || strings.HasSuffix(e.Name(), ".tar.gz") {
				tmp, top, err := extract(filepath.Join(dir, "charts", e.Name()))
				if err != nil {
					continue
				}
				tempDirs = append(tempDirs, tmp)
				sub, err := loadChartIn(filepath.Join(tmp, top), path.Join(rel, "charts", e.Name(), top), c.Full, depth+1, true)
				if err == nil {
					c.Subs = append(c.Subs, sub)
				}
			}
			continue
		}
		sub, err := loadChartIn(filepath.Join(dir, "charts", e.Name()), path.Join(rel, "charts", e.Name()), c.Full, depth+1, arch)
		if err == nil {
			c.Subs = append(c.Subs, sub)
		}
	}
	for _, d := range meta.Dependencies {
		for _, s := range c.Subs {
			if s.Meta.Name == d.Name && d.Alias != "" {
				s.Name = d.Alias
				s.Meta.Name = d.Alias
			}
		}
	}
	return c, nil
}

func copyValue(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		m := make(map[string]interface{}, len(t))
		for k, x := range t {
			m[k] = copyValue(x)
		}
		return m
	case []interface{}:
		l := make([]interface{}, len(t))
		for i, x := range t {
			l[i] = copyValue(x)
		}
		return l
	}
	return v
}

func mergeMaps(a, b map[string]interface{}) {
	for k, v := range b {
		if vm, ok := v.(map[string]interface{}); ok {
			if am, ok := a[k].(map[string]interface{}); ok {
				mergeMaps(am, vm)
				continue
			}
		}
		a[k] = v
	}
}

func coalesceTables(dst, src map[string]interface{}) {
	for k, sv := range src {
		dv, ok := dst[k]
		if ok && dv == nil {
			delete(dst, k)
		} else if !ok {
			dst[k] = copyValue(sv)
		} else if dm, ok := dv.(map[string]interface{}); ok {
			if sm, ok := sv.(map[string]interface{}); ok {
				coalesceTables(dm, sm)
			}
		}
	}
}

func coalesceGlobals(dest, src map[string]interface{}) {
	dg, _ := dest["global"].(map[string]interface{})
	if dg == nil {
		dg = map[string]interface{}{}
	}
	sg, _ := src["global"].(map[string]interface{})
	for key, val := range sg {
		if vm, ok := val.(map[string]interface{}); ok {
			vv := copyValue(vm).(map[string]interface{})
			if destv, ok := dg[key]; !ok {
				dg[key] = vv
			} else if dm, ok := destv.(map[string]interface{}); ok {
				coalesceTables(vv, dm)
				dg[key] = vv
			}
		} else if dv, ok := dg[key]; ok {
			if _, isMap := dv.(map[string]interface{}); !isMap {
				dg[key] = val
			}
		} else {
			dg[key] = val
		}
	}
	dest["global"] = dg
}

func coalesce(c *Chart, dest map[string]interface{}) {
	for k, sv := range c.Values {
		dv, ok := dest[k]
		if ok && dv == nil {
			delete(dest, k)
		} else if !ok {
			dest[k] = copyValue(sv)
		} else if dm, ok := dv.(map[string]interface{}); ok {
			if sm, ok := sv.(map[string]interface{}); ok {
				coalesceTables(dm, sm)
			}
		}
	}
	for _, s := range c.Subs {
		if s.Disabled {
			continue
		}
		sv, ok := dest[s.Name].(map[string]interface{})
		if !ok {
			sv = map[string]interface{}{}
			dest[s.Name] = sv
		}
		coalesceGlobals(sv, dest)
		coalesce(s, sv)
	}
}

func atPath(v map[string]interface{}, p string) (interface{}, bool) {
	var cur interface{} = v
	for _, part := range strings.Split(p, ".") {
		m, ok := cur.(map[string]interface{})
		if !ok {
			return nil, false
		}
		cur, ok = m[part]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

func applyConditions(c *Chart, vals, top map[string]interface{}) {
	for _, d := range c.Meta.Dependencies {
		name := d.Name
		if d.Alias != "" {
			name = d.Alias
		}
		var s *Chart
		for _, x := range c.Subs {
			if x.Name == name {
				s = x
			}
		}
		if s == nil {
			continue
		}
		decided := -1
		if d.Condition != "" {
			for _, cond := range strings.Split(d.Condition, ",") {
				if v, ok := atPath(vals, strings.TrimSpace(cond)); ok {
					if b, ok := v.(bool); ok {
						if b {
							decided = 1
						} else {
							decided = 0
						}
						break
					}
				}
			}
		}
		if decided < 0 && len(d.Tags) > 0 {
			tv, _ := top["tags"].(map[string]interface{})
			anyTrue, anyFalse := false, false
			for _, t := range d.Tags {
				if b, ok := tv[t].(bool); ok {
					if b {
						anyTrue = true
					} else {
						anyFalse = true
					}
				}
			}
			if anyTrue {
				decided = 1
			} else if anyFalse {
				decided = 0
			}
		}
		if decided == 0 {
			s.Disabled = true
		}
	}
	for _, s := range c.Subs {
		if s.Disabled {
			continue
		}
		sv, _ := vals[s.Name].(map[string]interface{})
		applyConditions(s, sv, top)
	}
}

func pathToMap(p string, data map[string]interface{}) map[string]interface{} {
	if p == "." || p == "" {
		return data
	}
	parts := strings.Split(p, ".")
	out := data
	for i := len(parts) - 1; i >= 0; i-- {
		out = map[string]interface{}{parts[i]: out}
	}
	return out
}

// importValues: Helm's processDependencyImportValues, children first (keyed by the dependency's
// name, as Helm does).
func importValues(c *Chart) {
	for _, s := range c.Subs {
		if !s.Disabled {
			importValues(s)
		}
	}
	cvals := map[string]interface{}{}
	coalesce(c, cvals)
	b := map[string]interface{}{}
	found := false
	for _, d := range c.Meta.Dependencies {
		for _, riv := range d.ImportValues {
			var child, parent string
			switch iv := riv.(type) {
			case map[string]interface{}:
				ch, ok1 := iv["child"].(string)
				pa, ok2 := iv["parent"].(string)
				if !ok1 || !ok2 {
					continue
				}
				child, parent = d.Name+"."+ch, pa
			case string:
				child, parent = d.Name+".exports."+iv, "."
			default:
				continue
			}
			v, ok := atPath(cvals, child)
			m, isMap := v.(map[string]interface{})
			if !ok || !isMap {
				continue
			}
			coalesceTables(b, pathToMap(parent, copyValue(m).(map[string]interface{})))
			found = true
		}
	}
	if found {
		coalesceTables(cvals, b)
		c.Values = cvals
	}
}

type job struct {
	c    *Chart
	rel  string
	name string
	disp string
	vals map[string]interface{}
}

func collect(c *Chart, vals map[string]interface{}, jobs *[]job) {
	if c.Disabled {
		return
	}
	for _, t := range c.Tmpls {
		if c.Meta.Type == "library" && !strings.HasPrefix(path.Base(t), "_") {
			continue // isTemplateValid: a library chart only defines
		}
		*jobs = append(*jobs, job{c: c, rel: t, name: c.Full + "/" + t, disp: path.Join(c.Rel, t), vals: vals})
	}
	for _, s := range c.Subs {
		sv, _ := vals[s.Name].(map[string]interface{})
		if sv == nil {
			sv = map[string]interface{}{}
		}
		collect(s, sv, jobs)
	}
}

// chartValues: the objects Helm's recAllTpls gives a chart's templates, .Subcharts holding each
// enabled subchart's own.
func chartValues(c *Chart, vals map[string]interface{}, release map[string]interface{}, caps *Capabilities) map[string]interface{} {
	subs := map[string]interface{}{}
	for _, s := range c.Subs {
		if s.Disabled {
			continue
		}
		sv, _ := vals[s.Name].(map[string]interface{})
		if sv == nil {
			sv = map[string]interface{}{}
		}
		subs[s.Name] = chartValues(s, sv, release, caps)
	}
	return map[string]interface{}{"Chart": c.Meta, "Release": release, "Capabilities": caps, "Values": vals,
		"Files": c.Files, "Subcharts": subs}
}

const cycleAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"

func cycle(n int, alphabet string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(alphabet[i%len(alphabet)])
	}
	return b.String()
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: oracle CHART_DIR")
		os.Exit(2)
	}
	if raw, err := os.ReadFile(filepath.Join(os.Args[1], ".helmignore")); err == nil {
		parseIgnore(string(raw))
	}
	parseIgnore("templates/.?*")
	defer func() {
		for _, d := range tempDirs {
			os.RemoveAll(d)
		}
	}()
	top, err := loadChart(os.Args[1], "", "", 0)
	if err != nil {
		fmt.Printf("#### ORACLE-ERROR: %v\n", err)
		return
	}
	// -f files, merged in order as helm's values.Options.MergeValues does
	user := map[string]interface{}{}
	for _, f := range os.Args[2:] {
		raw, err := os.ReadFile(f)
		if err != nil {
			fmt.Printf("#### ORACLE-ERROR: %v\n", err)
			return
		}
		cur := map[string]interface{}{}
		if err := yaml.Unmarshal(raw, &cur); err != nil {
			fmt.Printf("#### ORACLE-ERROR: %v\n", err)
			return
		}
		mergeMaps(user, cur)
	}
	first := copyValue(user).(map[string]interface{})
	coalesce(top, first)
	applyConditions(top, first, first)
	importValues(top)
	vals := user
	coalesce(top, vals)

	var jobs []job
	collect(top, vals, &jobs)
	sort.SliceStable(jobs, func(i, j int) bool {
		a, b := jobs[i].name, jobs[j].name
		ca, cb := strings.Count(a, "/"), strings.Count(b, "/")
		if ca != cb {
			return ca > cb
		}
		return a > b
	})

	t := template.New("gotpl")
	t.Option("missingkey=zero")
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	fixed := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	funcs["now"] = func() time.Time { return fixed }
	funcs["randAlphaNum"] = func(n int) string { return cycle(n, cycleAlnum) }
	funcs["randAlpha"] = func(n int) string { return cycle(n, "abcdefghijklmnopqrstuvwxyz") }
	funcs["randAscii"] = func(n int) string { return cycle(n, "abcdefghijklmnopqrstuvwxyz") }
	funcs["randNumeric"] = func(n int) string { return cycle(n, "0123456789") }
	funcs["uuidv4"] = func() string { return "00000000-0000-4000-8000-000000000000" }
	funcs["toYaml"] = toYAML
	funcs["fromYaml"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	funcs["fromYamlArray"] = func(s string) []interface{} {
		a := []interface{}{}
		if err := yaml.Unmarshal([]byte(s), &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	funcs["toJson"] = func(v interface{}) string {
		data, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(data)
	}
	funcs["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	funcs["fromJsonArray"] = func(s string) []interface{} {
		a := []interface{}{}
		if err := json.Unmarshal([]byte(s), &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	funcs["required"] = func(warn string, val interface{}) (interface{}, error) {
		if val == nil {
			return val, fmt.Errorf(warn)
		} else if s, ok := val.(string); ok && s == "" {
			return val, fmt.Errorf(warn)
		}
		return val, nil
	}
	funcs["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	included := map[string]int{}
	var includeFun func(name string, data interface{}) (string, error)
	includeFun = func(name string, data interface{}) (string, error) {
		var buf strings.Builder
		if v, ok := included[name]; ok {
			if v > 1000 {
				return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
			}
			included[name]++
		} else {
			included[name] = 1
		}
		err := t.ExecuteTemplate(&buf, name, data)
		included[name]--
		return buf.String(), err
	}
	funcs["include"] = includeFun
	funcs["tpl"] = func(tpl string, vals interface{}) (string, error) {
		c, err := t.Clone()
		if err != nil {
			return "", err
		}
		c.Option("missingkey=zero")
		c, err = c.New(t.Name()).Parse(tpl)
		if err != nil {
			return "", err
		}
		var buf strings.Builder
		if err := c.Execute(&buf, vals); err != nil {
			return "", err
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	t.Funcs(funcs)

	for _, j := range jobs {
		data, err := os.ReadFile(filepath.Join(j.c.Dir, j.rel))
		if err != nil {
			continue
		}
		if _, err := t.New(j.name).Parse(string(data)); err != nil {
			fmt.Printf("#### ORACLE-ERROR: %v\n", err)
			return
		}
	}
	caps := &Capabilities{APIVersions: apiVersions, KubeVersion: KubeVersion{Version: "v1.30.0", Major: "1", Minor: "30"},
		HelmVersion: HelmVersion{Version: "v3.15.0"}}
	release := map[string]interface{}{"Name": "release-name", "Namespace": "default", "Service": "Helm",
		"IsInstall": true, "IsUpgrade": false, "Revision": 1}
	out := map[string]string{}
	for _, j := range jobs {
		base := path.Base(j.rel)
		if strings.HasPrefix(base, "_") || base == "NOTES.txt" {
			continue
		}
		dot := map[string]interface{}{}
		for k, v := range chartValues(j.c, j.vals, release, caps) {
			dot[k] = v
		}
		dot["Template"] = map[string]interface{}{"Name": j.name, "BasePath": j.c.Full + "/templates"}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, j.name, dot); err != nil {
			fmt.Printf("#### ORACLE-ERROR: %v\n", err)
			return
		}
		s := strings.ReplaceAll(buf.String(), "<no value>", "")
		if strings.TrimSpace(s) != "" {
			out[j.disp] = s
		}
	}
	keys := make([]string, 0, len(out))
	for k := range out {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("#### ORACLE-SOURCE: %s\n%s\n", k, out[k])
	}
}
