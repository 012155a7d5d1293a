// cases_oracle - runs template cases through Go's text/template with Sprig and Helm's toYaml,
// toJson, fromYaml and include (missingkey=zero, "<no value>" removed), for the random
// differential test of src/render/gotmpl*.c (tests/helm/random.sh).
//
// Usage: cases_oracle CASES > out. Each case line: template, 0x1f, values YAML; 0x1e stands for a
// newline in templates and outputs. Each output line: the rendering, or PARSE-ERROR, EXEC-ERROR
// or PANIC.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"

	sprig "github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
)

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for sc.Scan() {
		line := strings.ReplaceAll(sc.Text(), "\x1e", "\n")
		i := strings.Index(line, "\x1f")
		tx, vs := line[:i], line[i+1:]
		var vals map[string]interface{}
		yaml.Unmarshal([]byte(vs), &vals)
		funcs := sprig.TxtFuncMap()
		t := template.New("t").Option("missingkey=zero")
		funcs["toYaml"] = func(v interface{}) string {
			b, err := yaml.Marshal(v)
			if err != nil {
				return ""
			}
			return strings.TrimSuffix(string(b), "\n")
		}
		funcs["toJson"] = func(v interface{}) string {
			b, err := json.Marshal(v)
			if err != nil {
				return ""
			}
			return string(b)
		}
		funcs["fromYaml"] = func(s string) map[string]interface{} {
			m := map[string]interface{}{}
			if err := yaml.Unmarshal([]byte(s), &m); err != nil {
				m["Error"] = err.Error()
			}
			return m
		}
		funcs["include"] = func(name string, d interface{}) (string, error) {
			var b strings.Builder
			err := t.ExecuteTemplate(&b, name, d)
			return b.String(), err
		}
		t.Funcs(funcs)
		var out string
		func() {
			defer func() {
				if r := recover(); r != nil {
					out = "PANIC"
				}
			}()
			if _, err := t.Parse(tx); err != nil {
				out = "PARSE-ERROR"
			} else {
				var b strings.Builder
				if err := t.Execute(&b, vals); err != nil {
					out = "EXEC-ERROR"
				} else {
					out = strings.ReplaceAll(b.String(), "<no value>", "")
				}
			}
		}()
		fmt.Fprintln(w, strings.ReplaceAll(out, "\n", "\x1e"))
	}
}
