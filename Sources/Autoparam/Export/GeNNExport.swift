/// Writes a PyGeNN 5 script that builds the same mushroom body as autoparam for one
/// genotype, runs the protocol on a dataset file and prints the seed-242 score.
///
/// Target: GeNN 5 / PyGeNN 5 (`pygenn.GeNNModel`, `init_sparse_connectivity`,
/// `create_neuron_model`, `create_weight_update_model`, `create_current_source_model`).
/// GeNN 5 dropped GeNN 4's `Poisson` model, so the script defines it (and the GGN and the
/// additive STDP rule) as custom models with GeNN 4's equations; TraubMiles, ExpCond,
/// ExpCurr and DeltaCurr are GeNN's built-ins. The script's `PARAMETERS` dictionary holds
/// every parameter by autoparam's names, and `GENOTYPE` the evolved genes.
public struct GeNNExport: Sendable {
    /// Where the genotype came from, quoted in the script's header.
    public var provenance: [(String, String)]
    /// The evolved genes, in order.
    public var genotype: [(String, Double)]
    /// Every parameter (genes applied).
    public var parameters: MushroomBodyParameters
    public var variant: ProtocolVariant
    /// File name of the KC→DN weights (`.npy`, KC × DN float32) next to the script, if any.
    public var weightsFile: String?

    public init(provenance: [(String, String)], genotype: [(String, Double)], parameters: MushroomBodyParameters,
                variant: ProtocolVariant, weightsFile: String? = nil) {
        self.provenance = provenance; self.genotype = genotype; self.parameters = parameters
        self.variant = variant; self.weightsFile = weightsFile
    }

    /// A Python literal for a number (`float('nan')` and `float('inf')` where needed).
    static func python(_ x: Double) -> String {
        if x.isNaN { return "float('nan')" }
        if x.isInfinite { return x > 0 ? "float('inf')" : "-float('inf')" }
        return "\(x)"
    }

    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    /// The script's text.
    public var script: String {
        let defs = MushroomBodyParameters.definitions
        let parameterLines = defs.enumerated().map { i, d in
            "    \(Self.quoted(d.name)): \(Self.python(parameters.values[i])),  # \(d.unit), \(d.summary)"
        }.joined(separator: "\n")
        let genotypeLines = genotype.map { "    \(Self.quoted($0.0)): \(Self.python($0.1))," }.joined(separator: "\n")
        let provenanceLines = provenance.map { "    \(Self.quoted($0.0)): \(Self.quoted($0.1))," }.joined(separator: "\n")
        let weights = weightsFile.map(Self.quoted) ?? "None"
        return #"""
#!/usr/bin/env python3
"""A mushroom-body network exported by autoparam \#(AutoparamVersion.current) for PyGeNN 5 (GeNN 5.x).

It builds the network autoparam simulated for one genotype (populations PN, KC, DN, GGN; synapses
PN->KC, KC->DN with additive STDP, KC->GGN, GGN->KC; a teacher current source on the DNs), runs the
protocol on a dataset file in the seed's CSV format (784 grey values per row, labels by the rotation
[0, 1, 3, 3, 0, 1, 2, 2]) and prints the seed-242 score.

    python3 this_script.py dataset.csv [--backend single_threaded_cpu]

GeNN 5 has no GeNN 4 `Poisson` model, so this script defines it, the GGN and the STDP rule with GeNN 4's
equations. Random streams differ from autoparam's, so scores agree statistically, not spike for spike.
"""
import argparse
import os
import sys

import numpy as np
from pygenn import (GeNNModel, create_current_source_model, create_neuron_model,
                    create_weight_update_model, init_postsynaptic, init_sparse_connectivity,
                    init_var, init_weight_update)

SOURCE = {
\#(provenanceLines)
}

VARIANT = \#(Self.quoted(variant.rawValue))  # "seed": teacher and per-image mean truncated to integers

GENOTYPE = {
\#(genotypeLines)
}

PARAMETERS = {
\#(parameterLines)
}

# KC->DN weights learned in the recorded evaluation (KC x DN float32), or None for the initial normal draw.
WEIGHTS_FILE = \#(weights)

ROTATION = [0, 1, 3, 3, 0, 1, 2, 2]
P = PARAMETERS

# GeNN 4's Poisson neuron: spikes with a per-step probability p unless refractory.
poisson_genn4 = create_neuron_model(
    "poisson_genn4",
    params=["trefract", "tspike", "Vspike", "Vrest"],
    vars=[("V", "scalar"), ("spikeTime", "scalar"), ("p", "scalar")],
    sim_code="""
    if ((t - spikeTime) > tspike && V > Vrest) {
        V = Vrest;
    }
    else if ((t - spikeTime) > trefract) {
        if (gennrand_uniform() < p) {
            V = Vspike;
            spikeTime = t;
        }
    }
    """,
    threshold_condition_code="V >= Vspike")

# The giant GABAergic neuron: a non-leaky integrate-and-fire unit.
ggn_model = create_neuron_model(
    "ggn",
    params=["Vthresh"],
    vars=[("V", "scalar")],
    sim_code="V += Isyn;",
    threshold_condition_code="V >= Vthresh",
    reset_code="V = 0.0;")

# Additive STDP with an offset, symmetric in tau and amplitude.
stdp_model = create_weight_update_model(
    "stdp_additive_offset",
    params=["tauPlus", "tauMinus", "aPlus", "aMinus", "wMin", "wMax", "offset"],
    vars=[("g", "scalar")],
    pre_spike_syn_code="""
    addToPost(g);
    const scalar dt = t - st_post;
    if (dt > 0) {
        const scalar newWeight = g + aMinus * (exp(-dt / tauMinus) - offset);
        g = fmin(wMax, fmax(wMin, newWeight));
    }
    """,
    post_spike_syn_code="""
    const scalar dt = t - st_pre;
    if (dt > 0) {
        const scalar newWeight = g + aPlus * (exp(-dt / tauPlus) - offset);
        g = fmin(wMax, fmax(wMin, newWeight));
    }
    """)

teacher_model = create_current_source_model(
    "teacher", vars=[("magnitude", "scalar")], injection_code="injectCurrent(magnitude);")


def traub_miles():
    """The TraubMiles variant and its parameters (25 substeps: TraubMiles; 1: TraubMilesFast)."""
    params = {"gNa": P["traub_gna"], "ENa": P["traub_ena"], "gK": P["traub_gk"], "EK": P["traub_ek"],
              "gl": P["traub_gl"], "El": P["traub_el"], "C": P["traub_c"]}
    substeps = int(P["traub_substeps"])
    if substeps == 25:
        return "TraubMiles", params
    if substeps == 1:
        return "TraubMilesFast", params
    return "TraubMilesNStep", dict(params, ntimes=substeps)


def build(backend):
    kc_count = int(P["kc_count"])
    model = GeNNModel("float", "autoparam_mushroom_body", backend=backend)
    model.dt = P["dt"]
    traub_name, traub_params = traub_miles()
    traub_init = {"V": -60.0, "m": 0.0529324, "h": 0.3176767, "n": 0.5961207}
    pn = model.add_neuron_population(
        "PN", 784, poisson_genn4,
        {"trefract": P["poisson_trefract"], "tspike": P["poisson_tspike"], "Vspike": P["poisson_vspike"],
         "Vrest": P["poisson_vrest"]},
        {"V": P["poisson_vrest"], "spikeTime": -1e5, "p": 0.0})
    kc = model.add_neuron_population("KC", kc_count, traub_name, traub_params, traub_init)
    dn = model.add_neuron_population("DN", 4, traub_name, traub_params, traub_init)
    ggn = model.add_neuron_population("GGN", 1, ggn_model, {"Vthresh": P["ggn_threshold"]}, {"V": 0.0})
    for pop in (pn, kc, dn, ggn):
        pop.spike_recording_enabled = True

    model.add_synapse_population(
        "PN_KC", "SPARSE", pn, kc,
        init_weight_update("StaticPulseConstantWeight", {"g": P["pn_kc_weight"]}),
        init_postsynaptic("ExpCond", {"tau": P["pn_kc_tau"], "E": P["pn_kc_reversal"]}),
        init_sparse_connectivity("FixedProbability", {"prob": P["pn_kc_probability"]}))
    if WEIGHTS_FILE is not None:
        here = os.path.dirname(os.path.abspath(__file__))
        g = np.load(os.path.join(here, WEIGHTS_FILE)).astype(np.float32).reshape(-1)
    else:
        g = init_var("Normal", {"mean": P["kc_dn_weight_mean"], "sd": P["kc_dn_weight_sd"]})
    kc_dn = model.add_synapse_population(
        "KC_DN", "DENSE", kc, dn,
        init_weight_update(stdp_model,
                           {"tauPlus": P["stdp_tau"], "tauMinus": P["stdp_tau"], "aPlus": P["stdp_alpha"],
                            "aMinus": P["stdp_alpha"], "wMin": P["stdp_w_min"], "wMax": P["w_max"],
                            "offset": P["stdp_offset"]},
                           {"g": g}),
        init_postsynaptic("ExpCond", {"tau": P["kc_dn_tau"], "E": P["kc_dn_reversal"]}))
    model.add_synapse_population(
        "KC_GGN", "DENSE", kc, ggn,
        init_weight_update("StaticPulseConstantWeight", {"g": P["kc_ggn_weight"]}),
        init_postsynaptic("DeltaCurr"))
    model.add_synapse_population(
        "GGN_KC", "DENSE", ggn, kc,
        init_weight_update("StaticPulseConstantWeight", {"g": P["ggn_kc_weight"]}),
        init_postsynaptic("ExpCurr", {"tau": P["ggn_kc_tau"]}))
    teacher = model.add_current_source("teacher", teacher_model, dn, {}, {"magnitude": 0.0})
    return model, pn, kc, dn, kc_dn, teacher


def firing_probabilities(image):
    """Pixel / mean of the image's non-zero pixels / input_divisor (the mean truncated under the seed variant)."""
    nonzero = image[image > 0]
    if nonzero.size == 0:
        return np.zeros_like(image, dtype=np.float32)
    mean = float(nonzero.mean())
    if VARIANT == "seed":
        mean = float(int(mean))
    return (image / mean / P["input_divisor"]).astype(np.float32)


def teacher_magnitudes(label):
    magnitude = P["teacher"]
    if VARIANT == "seed":
        magnitude = float(int(magnitude))
    return np.array([magnitude if d == label else -magnitude for d in range(4)], dtype=np.float32)


def passes(mean):
    return mean != 0 and not np.isnan(mean)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", help="CSV in the seed's format (784 grey values per row)")
    parser.add_argument("--backend", default=None, help="GeNN backend, e.g. single_threaded_cpu or cuda")
    args = parser.parse_args()
    images = np.loadtxt(args.dataset, delimiter=",", ndmin=2)
    labels = [ROTATION[i % 8] for i in range(len(images))]
    stimulus_steps = int(round(P["stimulus_ms"] / P["dt"]))
    blank_steps = int(round(P["blank_ms"] / P["dt"]))

    model, pn, kc, dn, kc_dn, teacher = build(args.backend)
    model.build()
    model.load(num_recording_timesteps=stimulus_steps + blank_steps)

    def mean_weight():
        kc_dn.vars["g"].pull_from_device()
        g = kc_dn.vars["g"].values
        return float(np.mean(g)) if g.size else float("nan")

    def mean_kc_voltage():
        kc.vars["V"].pull_from_device()
        v = kc.vars["V"].values
        return float(np.mean(v)) if v.size else float("nan")

    score = (1.0 if passes(mean_weight()) else 0.0) + (0.5 if passes(mean_kc_voltage()) else 0.0)
    for i, (image, label) in enumerate(zip(images, labels)):
        start = model.timestep
        teacher.vars["magnitude"].values = teacher_magnitudes(label)
        teacher.vars["magnitude"].push_to_device()
        pn.vars["p"].values = firing_probabilities(image)
        pn.vars["p"].push_to_device()
        for _ in range(stimulus_steps):
            model.step_time()
        pn.vars["p"].values = np.zeros(784, dtype=np.float32)
        pn.vars["p"].push_to_device()
        for _ in range(blank_steps):
            model.step_time()
        model.pull_recording_buffers_from_device()
        times, ids = dn.spike_recording_data[0]
        steps = np.rint(np.asarray(times) / P["dt"]).astype(int) - start
        window = stimulus_steps if VARIANT == "seed" else stimulus_steps + blank_steps
        order = np.lexsort((np.asarray(ids), steps))
        scored = [int(ids[k]) for k in order if 0 <= steps[k] < window]
        score += sum(1.0 for s in scored[:2] if s == label)
        if i < len(images) - 1:
            score += (0.5 if passes(mean_weight()) else 0.0) + (0.5 if passes(mean_kc_voltage()) else 0.0)
    score += 0.5
    maximum = 1.5 + 2 * len(images) + max(len(images) - 1, 0) + 0.5
    print(f"seed-242 score: {score} / {maximum}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
"""#
    }
}

import Foundation
