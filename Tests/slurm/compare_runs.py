#!/usr/bin/env python3
"""Compare two autoparam run files: every dataset and attribute, except timings and provenance.

    python3 compare_runs.py EXPECTED.h5 ACTUAL.h5

Exits 0 when the files hold the same groups, datasets (dtype, shape, values; NaN equals NaN)
and attributes, 1 with a list of differences otherwise. Ignored: the root attributes
`created`, `host` and `threads`, every `wall_seconds` (attribute or dataset), and storage
details (chunks, compression), which h5py's values do not show.
"""
import sys

import h5py
import numpy as np

IGNORED_ROOT_ATTRIBUTES = {"created", "host", "threads"}
TIMINGS = "wall_seconds"


def values_equal(a, b):
    a = np.asarray(a)
    b = np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind == "f":
        return bool(np.array_equal(a, b, equal_nan=True))
    if a.dtype.kind == "O":
        return [x for x in a.ravel()] == [y for y in b.ravel()]
    return bool(np.array_equal(a, b))


def describe(value):
    text = repr(value)
    return text if len(text) < 120 else text[:117] + "..."


def compare(expected, actual):
    problems = []
    checked = [0]

    def attributes(name, a, b):
        keys_a = {k for k in a.attrs.keys() if k != TIMINGS and not (name == "/" and k in IGNORED_ROOT_ATTRIBUTES)}
        keys_b = {k for k in b.attrs.keys() if k != TIMINGS and not (name == "/" and k in IGNORED_ROOT_ATTRIBUTES)}
        for k in sorted(keys_a ^ keys_b):
            problems.append(f"{name}: attribute {k} only in {'expected' if k in keys_a else 'actual'}")
        for k in sorted(keys_a & keys_b):
            if not values_equal(a.attrs[k], b.attrs[k]):
                problems.append(f"{name}: attribute {k}: {describe(a.attrs[k])} != {describe(b.attrs[k])}")

    def walk(name, a, b):
        attributes(name, a, b)
        if isinstance(a, h5py.Dataset) or isinstance(b, h5py.Dataset):
            if not (isinstance(a, h5py.Dataset) and isinstance(b, h5py.Dataset)):
                problems.append(f"{name}: a dataset in one file, a group in the other")
                return
            if name.rsplit("/", 1)[-1] == TIMINGS:
                return
            checked[0] += 1
            if a.dtype != b.dtype or a.shape != b.shape:
                problems.append(f"{name}: {a.dtype}{a.shape} != {b.dtype}{b.shape}")
            elif not values_equal(a[()], b[()]):
                problems.append(f"{name}: values differ")
            return
        for k in sorted(set(a.keys()) ^ set(b.keys())):
            problems.append(f"{name.rstrip('/')}/{k}: only in {'expected' if k in a else 'actual'}")
        for k in sorted(set(a.keys()) & set(b.keys())):
            walk(f"{name.rstrip('/')}/{k}", a[k], b[k])

    with h5py.File(expected, "r") as a, h5py.File(actual, "r") as b:
        walk("/", a, b)
    return problems, checked[0]


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    problems, checked = compare(argv[1], argv[2])
    if problems:
        print(f"{argv[2]} differs from {argv[1]}:")
        for p in problems:
            print("  " + p)
        return 1
    print(f"{argv[2]} equals {argv[1]}: {checked} datasets compared (timings and provenance aside)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
