"""Reads a run file with plain h5py while RunFileKillProbe writes it (experiment, not a test).

    python3 runfile_live_reader.py --seconds 20 RUN.h5 -- CMD...

CMD runs the probe on $AUTOPARAM_KILL_PROBE_PATH (see runfile_kill_driver.py). The script opens
the file over and over with h5py.File(path, "r"), checks every committed row
(runfile_probe_check.py), and counts the opens that succeeded, the ones that raised (a read
racing a flush) and any committed row that was wrong. The writer is SIGKILLed at the end.
"""
import argparse
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runfile_probe_check import check_probe_file  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("path")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    env = dict(os.environ, AUTOPARAM_KILL_PROBE_PATH=args.path)
    writer = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not os.path.exists(args.path):
        time.sleep(0.01)
    reads, raised, wrong, progress = 0, {}, 0, []
    deadline = time.time() + args.seconds
    while time.time() < deadline:
        try:
            counts = check_probe_file(args.path)
            reads += 1
            progress.append(counts[0][1])
        except AssertionError as error:
            wrong += 1
            print("WRONG", error, flush=True)
        except Exception as error:  # a read racing the writer's flush
            key = str(error)[:90]
            raised[key] = raised.get(key, 0) + 1
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    final = check_probe_file(args.path)
    print(f"SUMMARY reads_ok={reads} reads_raised={sum(raised.values())} wrong_rows={wrong} "
          f"tournaments_seen={progress[0] if progress else None}..{progress[-1] if progress else None} final={final[0]}")
    for message, count in raised.items():
        print(f"  {count} x {message}")
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
