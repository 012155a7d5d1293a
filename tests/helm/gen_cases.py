#!/usr/bin/env python3
"""Random templates for the differential test of the Go template engine (tests/helm/random.sh).

Usage: gen_cases.py SEED COUNT > cases
Each line: a template, the byte 0x1f, values as YAML (flow style, one line); newlines inside a
template are written as 0x1e. Half the cases call random functions (Sprig and text/template's)
on random fields and literals inside random control structures; half write random nested data
with tricky strings through toYaml, toJson, nindent, quote and printf. Functions whose result
depends on Go's random map order (keys, values) are left out.
"""
import json
import random
import sys

random.seed(int(sys.argv[1]))
COUNT = int(sys.argv[2])
VALS = '{s: hello, e: "", n: 3, f: 2.5, z: 0, b: true, l: [a, b, c], li: [1, 2, 3], m: {x: 1, yy: two, zz: [1, 2]}, nest: {a: {b: {c: deep}}}, nul: null, big: 1000000, neg: -2, sn: "42", mixed: [1, "a", null, true, 2.5], sp: " pad me ", ml: "line1\\nline2", csv: "a,b,,c", ver: "v1.2.3", url: "http://x/y?z=1&w=2"}'
LITS = ['"a"', '"hello world"', '""', '"-"', '"42"', '"a,b"', '"x-"', '"ABC def"', '0', '1', '-1', '3', '2.5', '1e3', 'true', 'false', '`raw\\n`', "'c'"]
FIELDS = ['.s', '.e', '.n', '.f', '.z', '.b', '.l', '.li', '.m', '.nest.a', '.nul', '.big', '.neg', '.sn', '.mixed', '.missing', '.sp', '.ml', '.csv', '.ver', '.m.x', '.nest.a.b.c', '.url', '.']
FUNCS = {  # name: arities
 'default': [2], 'empty': [1], 'coalesce': [2, 3], 'ternary': [3], 'quote': [1, 2], 'squote': [1], 'upper': [1], 'lower': [1],
 'title': [1], 'trim': [1], 'trimSuffix': [2], 'trimPrefix': [2], 'trimAll': [2], 'trunc': [2], 'replace': [3], 'contains': [2],
 'hasPrefix': [2], 'hasSuffix': [2], 'splitList': [2], 'split': [2], 'join': [2], 'indent': [2], 'nindent': [2], 'repeat': [2],
 'cat': [1, 2, 3], 'toString': [1], 'int': [1], 'int64': [1], 'float64': [1], 'atoi': [1], 'add': [2, 3], 'sub': [2], 'mul': [2],
 'div': [2], 'mod': [2], 'max': [2, 3], 'min': [2], 'add1': [1], 'list': [0, 1, 2, 3], 'append': [2], 'prepend': [2], 'first': [1],
 'last': [1], 'rest': [1], 'initial': [1], 'uniq': [1], 'has': [2], 'without': [2], 'compact': [1], 'concat': [2], 'dict': [0, 2, 4],
 'get': [2], 'hasKey': [2], 'pick': [2], 'omit': [2], 'b64enc': [1], 'b64dec': [1], 'sha256sum': [1], 'toJson': [1],
 'toYaml': [1], 'toPrettyJson': [1], 'toRawJson': [1], 'kindOf': [1], 'kindIs': [2], 'until': [1], 'sortAlpha': [1],
 'print': [1, 2, 3], 'println': [1, 2], 'printf': [1, 2, 3], 'len': [1], 'index': [2], 'eq': [2, 3], 'ne': [2], 'lt': [2], 'le': [2],
 'gt': [2], 'ge': [2], 'and': [1, 2, 3], 'or': [1, 2, 3], 'not': [1], 'html': [1], 'js': [1], 'urlquery': [1], 'reverse': [1],
 'regexMatch': [2], 'regexFind': [2], 'regexReplaceAll': [3], 'semverCompare': [2], 'nospace': [1], 'substr': [3], 'seq': [1, 2],
 'splitn': [3], 'toStrings': [1], 'deepCopy': [1], 'slice': [1, 2, 3], 'untitle': [1], 'addf': [2],
 'mulf': [2], 'floor': [1], 'ceil': [1], 'round': [2], 'fromYaml': [1], 'toString': [1], 'dig': [3],
}
FMTS = ['"%s"', '"%d"', '"%v"', '"%q"', '"%5.1f"', '"%s-%s"', '"%x"', '"%-4s|"', '"%t"', '"%03d"', '"%v %v"']
def arg(d):
    r = random.random()
    if d < 2 and r < 0.25:
        return '(' + expr(d + 1) + ')'
    if r < 0.6:
        return random.choice(FIELDS)
    return random.choice(LITS)
def expr(d=0):
    f = random.choice(list(FUNCS))
    n = random.choice(FUNCS[f])
    args = [arg(d) for _ in range(n)]
    if f == 'printf' and args:
        args[0] = random.choice(FMTS)
    e = f + (' ' + ' '.join(args) if args else '')
    if d == 0 and random.random() < 0.3:
        g = random.choice(list(FUNCS))
        m = random.choice(FUNCS[g])
        if m >= 1:
            e += ' | ' + g + (' ' + ' '.join(arg(d) for _ in range(m - 1)) if m > 1 else '')
    return e
def trim(t):
    """Random trim markers and whitespace around actions."""
    out = []
    for part in t.split('{{'):
        if out:
            part = random.choice(['', '- ', ' ', '-\n']) + part if not part.startswith('/*') else part
            part = part.replace('}}', random.choice(['}}', ' -}}', '}}']), 1)
            out.append(part)
        else:
            out.append(part)
    return random.choice(['', ' ', '\n', '  \n ']).join([]) + '{{'.join(out)

def block(d=0):
    r = random.random()
    if d < 2 and r < 0.2:
        return '{{ range $i, $v := ' + random.choice(['.l', '.li', '.mixed', '(until 4)', '.m']) + ' }}' + \
            random.choice(['{{ if eq (toString $v) "b" }}{{ continue }}{{ end }}', '{{ if eq (toString $i) "2" }}{{ break }}{{ end }}', '']) + \
            block(d + 1) + ',{{ end }}'
    if d < 2 and r < 0.35:
        return '{{ with ' + arg(1) + ' }}' + block(d + 1) + '{{ else }}-{{ end }}'
    if d < 2 and r < 0.5:
        return '{{ if ' + arg(1) + ' }}' + block(d + 1) + '{{ else if ' + arg(1) + ' }}E{{ else }}' + block(d + 1) + '{{ end }}'
    if r < 0.6:
        return '{{ $y := ' + arg(1) + ' }}{{ $y = print $y "!" }}{{ $y }}'
    if r < 0.7:
        return '{{/* c */}}' + random.choice([' ', '\n', '']) + '{{ . | toString | trunc 20 }}'
    return '{{ ' + expr() + ' }}'

def stmt():
    r = random.random()
    if r < 0.15:
        return '{{ define "d' + str(random.randint(0, 2)) + '" }}' + block(1) + '{{ end }}{{ include "d' + \
            str(random.randint(0, 2)) + '" ' + random.choice(['.', '.m', '.l', '.nest.a', '(dict "x" 1)']) + ' | ' + \
            random.choice(['nindent 2', 'indent 1', 'trim', 'quote', 'upper']) + ' }}'
    if r < 0.4:
        return trim(block())
    r = random.random()
    if r < 0.6:
        return '{{ ' + expr() + ' }}'
    if r < 0.7:
        return '{{ if ' + arg(1) + ' }}T{{ else }}F{{ end }}'
    if r < 0.8:
        return '{{ range $i, $v := ' + random.choice(['.l', '.li', '.m', '.mixed', '.nul', '.e', '(list 1 2)', '.nest']) + ' }}{{ $i }}={{ $v }};{{ else }}none{{ end }}'
    if r < 0.9:
        return '{{ with ' + arg(1) + ' }}[{{ . }}]{{ end }}'
    return '{{ $x := ' + arg(1) + ' }}{{ $x }}'
PIECES = ["a", "b", " ", "  ", ":", ": ", " #", "#", "-", "- ", "'", '"', "\n", "\n\n", "\t", "yes", "no", "on", "1", "1.5", "0x1F", "{", "}", "[", "]", "&", "*", "!", "|", ">", "%", "@", "`", ",", "?", "é", "~", "null", "true", "<<", "=", ".", "0", "1e3", "12:30", "2024-01-02", "word", "longerword", "the quick brown fox jumps over the lazy dog", "\\", "/", "http://x.y/z", "${VAR}", "{{ .x }}", "\r", "\u2028", "\u00a0", "0755", "+1", "-1", ".5", "Y", "n", "NaN", ".inf"]
def rstr():
    return ''.join(random.choice(PIECES) for _ in range(random.randint(0, 6)))
def rkey():
    return random.choice(["a", "b", "key", "k-1", "x.y", "yes", "1", "", "with space", "é", "UPPER", "_u", "-k", "n2"]) + random.choice(["", "", str(random.randint(0, 9))])
def rval(d):
    r = random.random()
    if d < 3 and r < 0.25:
        return {rkey(): rval(d + 1) for _ in range(random.randint(0, 4))}
    if d < 3 and r < 0.45:
        return [rval(d + 1) for _ in range(random.randint(0, 4))]
    if r < 0.8:
        return rstr()
    return random.choice([0, 1, -1, 2.5, 1e6, 123456789, 0.001, 1e-7, True, False, None, 1.0e21, -0.5])
TMPLS = ['{{ toYaml .v }}', '{{ toJson .v }}', 'x:{{ .v | toYaml | nindent 2 }}', '{{ toPrettyJson .v }}', '{{ toYaml (list .v .v) }}', '{{ toYaml (dict "k" .v) }}', '{{ .v }}', '{{ toRawJson .v }}', '{{ quote .v }}', '{{ printf "%v|%q" .v .v }}']

for k in range(COUNT):
    if k % 2 == 0:
        t = ' '.join(stmt() for _ in range(random.randint(1, 3)))
        print(t.replace('\n', '\x1e') + '\x1f' + VALS)
    else:
        v = {"v": rval(0)}
        print(random.choice(TMPLS) + '\x1f' + json.dumps(v))
