"""Kills a run-file writer at random moments and checks the file after each kill.

    python3 runfile_kill_driver.py --kills 100 --profile production -- CMD...

CMD is a command that runs RunFileKillProbe on the path in $AUTOPARAM_KILL_PROBE_PATH (the
test binary's RunFileKillProbeChild test, or the hidden CLI subcommand). The writer resumes the
same file after every kill; after a failed check the driver starts a fresh file. Prints one
line per kill and a summary; exits 1 if any check failed.
"""
import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runfile_probe_check import check_probe_file  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--profile", default="production")
    parser.add_argument("--min-delay", type=float, default=0.03)
    parser.add_argument("--max-delay", type=float, default=0.4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--directory", default=None)
    parser.add_argument("--fresh-every", type=int, default=0, help="start a new file every N kills (0: never)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    rng = random.Random(args.seed)
    directory = args.directory or tempfile.mkdtemp(prefix="runfile-kill-")
    os.makedirs(directory, exist_ok=True)
    generation = 0
    path = os.path.join(directory, f"probe-{generation}.h5")
    failures = []
    resumes_with_progress = 0
    seconds_in_commit = 0.0
    seconds_total = 0.0
    for kill in range(args.kills):
        if args.fresh_every and kill and kill % args.fresh_every == 0:
            generation += 1
            path = os.path.join(directory, f"probe-{generation}.h5")
        env = dict(os.environ, AUTOPARAM_KILL_PROBE_PATH=path, AUTOPARAM_KILL_PROBE_PROFILE=args.profile)
        child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        delay = rng.uniform(args.min_delay, args.max_delay)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        output = child.communicate()[0].decode(errors="replace")
        acknowledged = [line.split() for line in output.splitlines() if line.startswith("commit ")]
        last = (int(acknowledged[-1][1]), int(acknowledged[-1][2])) if acknowledged else None
        if acknowledged and len(acknowledged[-1]) >= 5:
            seconds_in_commit += float(acknowledged[-1][3])
            seconds_total += float(acknowledged[-1][4])
        try:
            if not os.path.exists(path):
                # Killed while creating: the file appears only after its first commit.
                assert last is None, f"acknowledged commit {last} but no file"
                print(f"kill {kill:3d} after {delay * 1000:5.0f} ms: no file yet (killed while creating)", flush=True)
                continue
            counts = check_probe_file(path)
            e0, t0 = counts[0]
            if last is not None:
                # Durability: every acknowledged commit is in the file.
                assert (e0, t0) >= last, f"acknowledged commit {last} missing, file has {(e0, t0)}"
                resumes_with_progress += 1
            status = f"ok E={e0} T={t0} acknowledged={last}"
        except Exception as error:
            status = f"FAIL {type(error).__name__}: {error}"
            failures.append((kill, delay, path, status))
            generation += 1
            path = os.path.join(directory, f"probe-{generation}.h5")
        if child.returncode != -signal.SIGKILL:
            errors = [line for line in output.splitlines() if "error" in line.lower()]
            status += f" (child exited {child.returncode} before the kill: {errors[:2] or output[-300:]!r})"
            if child.returncode != 0:
                failures.append((kill, delay, path, "writer failed: " + repr(errors[:2])))
        print(f"kill {kill:3d} after {delay * 1000:5.0f} ms: {status}", flush=True)
    print(f"SUMMARY profile={args.profile} kills={args.kills} failures={len(failures)} "
          f"files={generation + 1} kills_after_progress={resumes_with_progress} "
          f"commit_time_fraction={seconds_in_commit / max(seconds_total, 1e-9):.2f} directory={directory}")
    for failure in failures:
        print("FAILED", failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
