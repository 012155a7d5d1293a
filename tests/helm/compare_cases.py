#!/usr/bin/env python3
"""Compare the Go oracle's and the native engine's renderings of the same cases.

Usage: compare_cases.py CASES GO_OUT NATIVE_OUT. Equal lines pass; where Go fails (a type error
the native engine converts leniently, docs/helm.md) and the native engine renders, the case is
tolerated. Any other difference fails: the first 10 are printed, then the counts; exit 1.
"""
import sys

cases = open(sys.argv[1], 'rb').read().split(b'\n')
go = open(sys.argv[2], 'rb').read().split(b'\n')
native = open(sys.argv[3], 'rb').read().split(b'\n')
errors = (b'EXEC-ERROR', b'PARSE-ERROR', b'PANIC')
same = tolerated = diff = 0
for i, (a, b) in enumerate(zip(go, native)):
    if a == b:
        same += 1
    elif a in errors and b not in errors:
        tolerated += 1
    else:
        diff += 1
        if diff <= 10:
            show = lambda s: s.replace(b'\x1e', b'\\n')[:400].decode('utf-8', 'replace')
            print('template:', show(cases[i].split(b'\x1f')[0]))
            print('  go:    ', show(a))
            print('  native:', show(b))
if len(go) != len(native):
    print('output line counts differ: go %d, native %d' % (len(go), len(native)))
    diff += 1
print('%d same, %d tolerated (Go refuses a type the native engine converts), %d different' % (same, tolerated, diff))
sys.exit(1 if diff else 0)
