"""python3 random_search.py REPLICATE BUDGET [AUTOPARAM]: random search with the GA's budget: genotypes drawn from study-ga.yaml's priors, each
evaluated like a GA evaluation (ga-* data: 800 training + 200 test digits, evaluation seed = row)."""
import json, subprocess, sys, math
import numpy as np
BIN = sys.argv[3] if len(sys.argv) > 3 else "autoparam"
PRIORS = [("input_scale", "log", 20, 400, 2), ("kc_count", "int", 200, 2000, 0), ("pn_kc_fan_in", "int", 5, 40, 0),
          ("pn_kc_weight", "log", 0.05, 0.8, 4), ("pn_kc_tau", "uni", 1, 10, 2), ("ggn_threshold", "int", 20, 1000, 0),
          ("ggn_kc_weight", "uni", -20, 0, 3), ("kc_mbon_tau", "uni", 5, 50, 2), ("kc_mbon_rho", "log", 0.001, 0.3, 5),
          ("kc_mbon_eta", "log", 0.00001, 0.01, 7), ("kc_mbon_w_max", "log", 0.01, 1, 4), ("mbon_teacher", "uni", 1, 10, 2)]
replicate, budget = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(1000 + replicate)
rows = []
for row in range(budget):
    g = []
    for name, kind, lo, hi, dec in PRIORS:
        x = rng.integers(lo, hi + 1) if kind == "int" else (math.exp(rng.uniform(math.log(lo), math.log(hi))) if kind == "log" else rng.uniform(lo, hi))
        g.append((name, round(float(x), dec) if kind != "int" else int(x)))
    text = ",".join(f"{n}={v}" for n, v in g)
    out = subprocess.run([BIN, "evaluate", "--network", "genn-mnist", "--data", "ga-images-idx3-ubyte", "--labels", "ga-labels-idx1-ubyte",
                          "--rubric", "accuracy", "--test-count", "200", "--seed", str(row + 1), "--genotype", text, "--json"],
                         capture_output=True, text=True)
    r = json.loads(out.stdout)
    rows.append({"genotype": text, "fitness": r["fitness"]})
    print(row, r["fitness"], text, flush=True)
    json.dump({"rows": rows, "best": max(rows, key=lambda r: r["fitness"])}, open(f"random-{replicate}.json", "w"))
best = max(rows, key=lambda r: r["fitness"])
json.dump({"rows": rows, "best": best}, open(f"random-{replicate}.json", "w"))
