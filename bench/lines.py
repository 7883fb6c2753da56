#!/usr/bin/env python3
"""Counts lines of kernel, host and component code, with tests counted apart.

Code lines are source lines of code as tokei, cloc and scc count them: not blank and not only a
comment. Comment lines are printed beside them. Tests are files named tests.rs or *_tests.rs,
files under tests/ or fuzz/ folders (the in-guest harness and the test fixtures live in tests/),
and inline `#[cfg(test)] mod … { … }` blocks. The promise (SPECIFICATION.md S5): kernel + host
code stays well under 10,000 lines (record 0011). Run: python3 bench/lines.py
"""
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SUFFIXES = {".rs", ".s", ".ld"}


def is_test_file(path):
    parts = set(path.relative_to(ROOT).parts)
    return "tests" in parts or "fuzz" in parts or path.name == "tests.rs" or path.name.endswith("_tests.rs")


def split_lines(path):
    """(code lines, inline test lines, comment lines among the code lines), all non-blank."""
    code, tests, comments, depth, in_test, armed = 0, 0, 0, 0, False, False
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not in_test and stripped == "#[cfg(test)]":
            armed = True
            tests += 1
            continue
        if armed and not in_test:
            armed = False
            if stripped.startswith("mod ") and stripped.endswith("{"):
                in_test, depth = True, 0
        if in_test:
            tests += 1
            depth += line.count("{") - line.count("}")
            if depth <= 0:
                in_test = False
            continue
        code += 1
        comments += stripped.startswith("//")
    return code, tests, comments


def count(area):
    code = tests = comments = 0
    for path in sorted((ROOT / area).rglob("*")):
        if path.suffix not in SUFFIXES or "target" in path.parts or not path.is_file():
            continue
        if is_test_file(path):
            tests += sum(1 for line in path.read_text().splitlines() if line.strip())
        else:
            file_code, file_tests, file_comments = split_lines(path)
            code, tests, comments = code + file_code, tests + file_tests, comments + file_comments
    return code, tests, comments


totals = {}
for area in ["kernel", "host", "components"]:
    totals[area] = count(area)
    code, tests, comments = totals[area]
    print(f"{area:<11} code {code - comments:>6} lines, comments {comments:>5}   tests {tests:>6} lines")
fixtures = count("tests")
print(f"{'tests/':<11} harness, fixtures and in-guest tests: {fixtures[0] + fixtures[1]} lines")
code = totals["kernel"][0] + totals["host"][0]
comments = totals["kernel"][2] + totals["host"][2]
print(f"kernel + host code: {code - comments} lines (promise: well under 10,000), "
      f"{code} with comment lines; with components: {code - comments + totals['components'][0] - totals['components'][2]}")
