"""Experiment behind the "no SWMR" decision in docs/hdf5-layout.md (not a test).

A SWMR writer (h5py, libver="latest", swmr_mode=True) appends rows and flushes as fast as it can
and is SIGKILLed at a random moment; then the script tries the readers a user would try:
plain h5py.File(path, "r"), h5py.File(path, "r", swmr=True), h5py.File(path, "r", locking=False),
and plain again after `h5clear -s`.

    python3 runfile_swmr_experiment.py --kills 20 DIRECTORY
"""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import h5py
import numpy as np

WRITER = r"""
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "w", libver="latest")
d = f.create_dataset("x", shape=(0,), maxshape=(None,), chunks=(4096,), dtype="u4")
f.swmr_mode = True
n = 0
while True:
    d.resize((n + 1000,)); d[n:] = np.arange(n, n + 1000, dtype="u4"); n += 1000
    d.flush(); f.flush()
"""


def attempt(path, **kwargs):
    try:
        with h5py.File(path, "r", **kwargs) as f:
            x = f["x"][:]
            return "ok" if np.array_equal(x, np.arange(len(x), dtype="u4")) else "wrong data"
    except Exception as error:  # classify the refusal
        return type(error).__name__ + ": " + str(error)[:80]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("directory")
    args = parser.parse_args()
    os.makedirs(args.directory, exist_ok=True)
    rng = random.Random(5)
    tally = {}
    for kill in range(args.kills):
        path = os.path.join(args.directory, f"swmr-{kill}.h5")
        child = subprocess.Popen([sys.executable, "-c", WRITER, path])
        time.sleep(rng.uniform(1.0, 2.0))  # python + h5py start in about 0.5 s
        child.send_signal(signal.SIGKILL)
        child.wait()
        if not os.path.exists(path):
            print(kill, "killed before the file existed", flush=True)
            continue
        results = {
            "plain": attempt(path),
            "swmr=True": attempt(path, swmr=True),
            "locking=False": attempt(path, locking=False),
        }
        cleared = path + ".cleared.h5"
        shutil.copy(path, cleared)
        subprocess.run(["h5clear", "-s", cleared], capture_output=True)
        results["plain after h5clear -s"] = attempt(cleared)
        for reader, outcome in results.items():
            key = (reader, outcome.split(":")[0] if outcome != "ok" else "ok")
            tally[key] = tally.get(key, 0) + 1
        print(kill, results, flush=True)
    print("SUMMARY")
    for (reader, outcome), count in sorted(tally.items()):
        print(f"{reader:26s} {outcome:20s} {count}/{args.kills}")


if __name__ == "__main__":
    main()
