"""Compare two autoparam run files dataset by dataset (h5py), ignoring what legitimately
differs between runs of the same experiment: wall times, creation time, host and threads."""
import h5py
import numpy as np

IGNORED_DATASETS = {"wall_seconds"}
IGNORED_ATTRIBUTES = {"created", "host", "threads", "wall_seconds"}


def _walk(group, prefix=""):
    for name, item in group.items():
        path = f"{prefix}/{name}"
        if isinstance(item, h5py.Group):
            yield from _walk(item, path)
        else:
            yield path, item


def differences(path_a, path_b, locking=False):
    """Return a list of human-readable differences (empty when the files agree)."""
    out = []
    with h5py.File(path_a, "r", locking=locking) as a, h5py.File(path_b, "r", locking=locking) as b:
        da = dict(_walk(a))
        db = dict(_walk(b))
        if set(da) != set(db):
            out.append(f"dataset sets differ: {sorted(set(da) ^ set(db))}")
        for path in sorted(set(da) & set(db)):
            if path.rsplit("/", 1)[-1] in IGNORED_DATASETS:
                continue
            x, y = da[path][()], db[path][()]
            if x.shape != y.shape:
                out.append(f"{path}: shape {x.shape} != {y.shape}")
            elif x.dtype.kind in "fc":
                if not np.array_equal(x, y, equal_nan=True):
                    out.append(f"{path}: values differ")
            elif not np.array_equal(x, y):
                out.append(f"{path}: values differ")
        groups = ["/"] + [p for p, _ in _walk_groups(a)]
        for g in groups:
            if g not in b:
                continue
            for key in set(a[g].attrs) | set(b[g].attrs):
                if key in IGNORED_ATTRIBUTES:
                    continue
                va, vb = a[g].attrs.get(key), b[g].attrs.get(key)
                if not np.array_equal(np.asarray(va), np.asarray(vb)):
                    out.append(f"{g}@{key}: {va!r} != {vb!r}")
    return out


def _walk_groups(group, prefix=""):
    for name, item in group.items():
        if isinstance(item, h5py.Group):
            path = f"{prefix}/{name}"
            yield path, item
            yield from _walk_groups(item, path)
