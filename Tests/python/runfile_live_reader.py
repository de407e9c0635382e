"""Reads a run file with plain h5py while RunFileKillProbe writes it (experiment, not a test).

    python3 runfile_live_reader.py --seconds 20 --pause-ms 100 RUN.h5 -- CMD...

CMD runs the probe on $AUTOPARAM_KILL_PROBE_PATH (see runfile_kill_driver.py); --pause-ms makes
the probe sleep before each step like a simulation would (0: commit as fast as it can). The
script repeatedly does what docs/hdf5-layout.md shows a user doing with a live run: open with
h5py.File(path, "r"), read the counters, the fitness trace, the newest evaluation's KC spikes
and the latest checkpoint, and compares them with what the probe wrote. It counts reads that
were right, reads that raised (they race a flush: reopen and retry) and reads that returned
wrong values (must be 0). The writer is SIGKILLed at the end and the file checked in full.
"""
import argparse
import os
import signal
import subprocess
import sys
import time

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runfile_probe_check import POPULATION_SIZE, check_probe_file  # noqa: E402


def typical_read(path):
    """Returns T after checking what a user typically reads; raises AssertionError if wrong."""
    with h5py.File(path, "r") as f:
        r = f["replicates/000"]
        E, T = int(r.attrs["committed_evaluations"]), int(r.attrs["committed_tournaments"])
        K = int(r.attrs["committed_checkpoints"])
        best = r["tournaments/best_fitness"][:T]
        assert np.array_equal(best, np.arange(T, dtype=float)), "fitness trace"
        if E:
            e = E - 1
            kc = r["spikes/KC"]
            a, b = kc["index"][e], kc["index"][e + 1]
            n = e * 53 % 3000
            assert b - a == n, "KC spike count"
            i = np.arange(n)
            assert np.array_equal(kc["steps"][a:b], (i * 2000 // max(n, 1)).astype(np.uint32)), "KC steps"
            size = 2000 + (e * 37) % 500
            assert np.array_equal(kc["ids"][a:b], ((i * 31 + e) % size).astype(np.uint32)), "KC ids"
        if K:
            assert int(r["checkpoint/next_tournament"][K - 1]) == K == T, "checkpoint"
        assert E == (POPULATION_SIZE + T if E else 0), "counters"
        return T


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--pause-ms", type=int, default=0)
    parser.add_argument("path")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    env = dict(os.environ, AUTOPARAM_KILL_PROBE_PATH=args.path, AUTOPARAM_KILL_PROBE_PAUSE_MS=str(args.pause_ms))
    writer = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not os.path.exists(args.path):
        time.sleep(0.01)
    ok, raised, wrong, seen = 0, {}, 0, []
    deadline = time.time() + args.seconds
    while time.time() < deadline:
        try:
            seen.append(typical_read(args.path))
            ok += 1
        except AssertionError as error:
            wrong += 1
            print("WRONG", error, flush=True)
        except Exception as error:  # a read racing the writer's flush
            key = str(error).split(",")[0][:80]
            raised[key] = raised.get(key, 0) + 1
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    final = check_probe_file(args.path)
    print(f"SUMMARY pause_ms={args.pause_ms} reads_ok={ok} reads_raised={sum(raised.values())} wrong={wrong} "
          f"tournaments_seen={seen[0] if seen else None}..{seen[-1] if seen else None} final={final[0]}")
    for message, count in sorted(raised.items(), key=lambda item: -item[1]):
        print(f"  {count} x {message}")
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
