import MushroomBodyModel
import RunFile

/// Writes a PyGeNN 5 script that builds the mushroom body autoparam simulated for one
/// genotype, runs the protocol on a dataset and prints the seed-242 score
/// (docs/export-genn.md).
///
/// Target: GeNN 5 (PyGeNN 5.x: `GeNNModel`, `create_neuron_model`,
/// `create_weight_update_model`, `create_current_source_model`, `init_weight_update`,
/// `init_postsynaptic`, `init_sparse_connectivity`, `create_var_ref`).
///
/// autoparam simulates GeNN 4's semantics (docs/model.md). GeNN 5 differs in ways that
/// change results, so the script does not use GeNN 5's built-ins where they differ:
/// - GeNN 5's neuron models have no auto-refractory spike rule unless they ask for it (GeNN 4
///   had it for every model but a few), and its built-in `TraubMiles` does not ask: a
///   TraubMiles neuron would emit a spike on every step its V stays ≥ 0. The script defines
///   TraubMiles (with the substep count of `traub_substeps`), the Poisson input (GeNN 5's
///   `Poisson` is a different, rate-based model) and the GGN as custom models with
///   `auto_refractory_required=True`.
/// - the additive STDP rule with an offset is the seed's own (custom in GeNN 4 too).
/// - `ExpCond`, `ExpCurr`, `DeltaCurr`, `StaticPulseConstantWeight`, `FixedProbability` and
///   `Normal` are GeNN 5 built-ins with GeNN 4's equations; `ExpCond` reads the target's `V`
///   through a variable reference.
///
/// The script's `PARAMETERS` dictionary holds every parameter by autoparam's names (genes
/// applied) and `GENOTYPE` the evolved genes, both as plain literals that `ast` can read.
public struct GeNNExport: Sendable {
    /// Where the genotype came from, quoted in the script's `SOURCE` dictionary.
    public var provenance: [(String, String)]
    /// The evolved genes, in order.
    public var genotype: [(String, Double)]
    /// Every parameter (genes applied).
    public var parameters: MushroomBodyParameters
    /// The protocol variant the run used.
    public var variant: ProtocolVariant
    /// The run's rubric, for the header (the script scores seed-242 whatever it is).
    public var rubricName: String
    /// File name of the KC→DN weights (`.npy`, KC × 4 float32) next to the script, if any.
    public var weightsFile: String?
    /// Caveats to state in the script's header (one line each).
    public var notes: [String]

    /// The GeNN release line the script is written for.
    public static let targetGeNN = "GeNN 5 (PyGeNN 5.x)"

    public init(provenance: [(String, String)], genotype: [(String, Double)], parameters: MushroomBodyParameters,
                variant: ProtocolVariant, rubricName: String = "seed-242", weightsFile: String? = nil,
                notes: [String] = []) {
        self.provenance = provenance; self.genotype = genotype; self.parameters = parameters
        self.variant = variant; self.rubricName = rubricName; self.weightsFile = weightsFile; self.notes = notes
    }

    /// A Python literal for a number: Swift's shortest round-trip text, which Python reads back
    /// to the same double (`float('nan')` and `float('inf')` where needed).
    static func python(_ x: Double) -> String {
        if x.isNaN { return "float('nan')" }
        if x.isInfinite { return x > 0 ? "float('inf')" : "-float('inf')" }
        return "\(x)"
    }

    /// A double-quoted Python string literal.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A comment line's text: no line breaks.
    static func comment(_ s: String) -> String {
        s.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    /// Euler substeps of the TraubMiles update.
    var substeps: Int { max(1, Int(parameters["traub_substeps"] ?? 25)) }

    /// The script's text.
    public var script: String {
        let defs = MushroomBodyParameters.definitions
        let parameterLines = defs.enumerated().map { i, d in
            "    \(Self.quoted(d.name)): \(Self.python(parameters.values[i])),  # \(Self.comment("\(d.unit), \(d.summary)"))"
        }.joined(separator: "\n")
        let genotypeLines = genotype.map { "    \(Self.quoted($0.0)): \(Self.python($0.1))," }.joined(separator: "\n")
        let provenanceLines = provenance.map { "    \(Self.quoted($0.0)): \(Self.quoted($0.1))," }.joined(separator: "\n")
        let noteLines = notes.isEmpty ? "" : "\nNotes on this export:\n" + notes.map { "- \(Self.comment($0))" }.joined(separator: "\n") + "\n"
        let weights = weightsFile.map(Self.quoted) ?? "None"
        let docNotes = noteLines.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"\"\"", with: "'''")
        return #"""
#!/usr/bin/env python3
"""A mushroom-body network exported by autoparam \#(AutoparamVersion.current) for \#(Self.targetGeNN).

It builds the network autoparam simulated for one genotype (populations PN, KC, DN, GGN; synapses
PN->KC, KC->DN with the seed's additive STDP, KC->GGN, GGN->KC; a teacher current source on the
DNs), presents a dataset's images with the protocol of docs/model.md and prints the seed-242
score. The run used the rubric "\#(rubricName)" and the protocol variant "\#(variant.rawValue)".

    python3 this_script.py RUN.h5            # the run file's own images and labels (needs h5py)
    python3 this_script.py dataset.csv       # 784 grey values per row, labels by the seed's rotation
    options: --images N (the first N only), --backend single_threaded_cpu|cuda, --frozen (no STDP),
             --save-spikes FILE.npz

GeNN 5 semantics differ from GeNN 4's, which autoparam reproduces: this script therefore defines
TraubMiles, the Poisson input and the GGN as custom models with GeNN 4's equations and its
auto-refractory spike rule. Random streams differ from autoparam's (wiring, initial weights,
Poisson input), so scores agree statistically, not spike for spike.
\#(docNotes)"""
import argparse
import os
import sys

import numpy as np

# Where this genotype came from.
SOURCE = {
\#(provenanceLines)
}

# "seed": the seed's quirks (teacher and per-image pixel mean truncated, blank spikes not scored).
VARIANT = \#(Self.quoted(variant.rawValue))

# The evolved genes (also applied in PARAMETERS).
GENOTYPE = {
\#(genotypeLines)
}

# Every parameter of the network and protocol, by autoparam's names.
PARAMETERS = {
\#(parameterLines)
}

# KC->DN weights learned in the recorded evaluation (.npy beside this script, KC x 4 float32),
# used as the initial weights; None draws them from Normal(kc_dn_weight_mean, kc_dn_weight_sd).
WEIGHTS_FILE = \#(weights)

ROTATION = [0, 1, 3, 3, 0, 1, 2, 2]
DN_COUNT = 4
PN_COUNT = 784
P = PARAMETERS
TRAUB_SUBSTEPS = \#(substeps)


def make_models():
    """The custom models, with GeNN 4's equations and spike rule."""
    from pygenn import (create_current_source_model, create_neuron_model,
                        create_weight_update_model)

    # TraubMiles as GeNN 4 integrates it: forward Euler in TRAUB_SUBSTEPS substeps of dt, the
    # rate functions' removable singularities at V = -52, -25 and -50 replaced by their limits.
    traub_miles = create_neuron_model(
        "traub_miles_genn4",
        params=["gNa", "ENa", "gK", "EK", "gl", "El", "C"],
        vars=[("V", "scalar"), ("m", "scalar"), ("h", "scalar"), ("n", "scalar")],
        sim_code=f"""
        scalar Imem;
        unsigned int mt;
        const scalar mdt = dt / {TRAUB_SUBSTEPS}.0;
        for (mt = 0; mt < {TRAUB_SUBSTEPS}; mt++) {{
            Imem = -(m * m * m * h * gNa * (V - ENa) + n * n * n * n * gK * (V - EK) + gl * (V - El) - Isyn);
            scalar a;
            if (V == -52.0) {{
                a = 1.28;
            }}
            else {{
                a = 0.32 * (-52.0 - V) / (exp((-52.0 - V) / 4.0) - 1.0);
            }}
            scalar b;
            if (V == -25.0) {{
                b = 1.4;
            }}
            else {{
                b = 0.28 * (V + 25.0) / (exp((V + 25.0) / 5.0) - 1.0);
            }}
            m += (a * (1.0 - m) - b * m) * mdt;
            a = 0.128 * exp((-48.0 - V) / 18.0);
            b = 4.0 / (exp((-25.0 - V) / 5.0) + 1.0);
            h += (a * (1.0 - h) - b * h) * mdt;
            if (V == -50.0) {{
                a = 0.16;
            }}
            else {{
                a = 0.032 * (-50.0 - V) / (exp((-50.0 - V) / 5.0) - 1.0);
            }}
            b = 0.5 * exp((-55.0 - V) / 40.0);
            n += (a * (1.0 - n) - b * n) * mdt;
            V += Imem / C * mdt;
        }}
        """,
        threshold_condition_code="V >= 0.0",
        auto_refractory_required=True)

    # GeNN 4's Poisson neuron: fires with the per-step probability p unless refractory.
    poisson = create_neuron_model(
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
        threshold_condition_code="V >= Vspike",
        auto_refractory_required=True)

    # The giant GABAergic neuron: a non-leaky integrate-and-fire unit.
    ggn = create_neuron_model(
        "ggn",
        params=["Vthresh"],
        vars=[("V", "scalar")],
        sim_code="V += Isyn;",
        threshold_condition_code="V >= Vthresh",
        reset_code="V = 0.0;",
        auto_refractory_required=True)

    # The seed's additive STDP with an offset (the pre rule runs after the old g is delivered).
    stdp = create_weight_update_model(
        "stdp_additive_offset",
        params=["tauPlus", "tauMinus", "aPlus", "aMinus", "wMin", "wMax", "offset"],
        vars=[("g", "scalar")],
        pre_spike_syn_code="""
        addToPost(g);
        const scalar lag = t - st_post;
        if (lag > 0.0) {
            const scalar newWeight = g + aMinus * (exp(-lag / tauMinus) - offset);
            g = fmin(wMax, fmax(wMin, newWeight));
        }
        """,
        post_spike_syn_code="""
        const scalar lag = t - st_pre;
        if (lag > 0.0) {
            const scalar newWeight = g + aPlus * (exp(-lag / tauPlus) - offset);
            g = fmin(wMax, fmax(wMin, newWeight));
        }
        """)

    teacher = create_current_source_model(
        "teacher", vars=[("magnitude", "scalar")], injection_code="injectCurrent(magnitude);")
    return traub_miles, poisson, ggn, stdp, teacher


def load_weights(kc_count):
    here = os.path.dirname(os.path.abspath(__file__))
    g = np.load(os.path.join(here, WEIGHTS_FILE)).astype(np.float32)
    if g.shape != (kc_count, DN_COUNT):
        raise SystemExit(f"{WEIGHTS_FILE}: shape {g.shape}, expected ({kc_count}, {DN_COUNT})")
    return g.reshape(-1)


def build(backend, frozen):
    """The model and the groups the protocol touches; KC groups are None when kc_count is 0."""
    from pygenn import (GeNNModel, create_var_ref, init_postsynaptic, init_sparse_connectivity,
                        init_var, init_weight_update)
    traub_miles, poisson, ggn_model, stdp, teacher_model = make_models()
    kc_count = int(P["kc_count"])
    kwargs = {} if backend is None else {"backend": backend}
    model = GeNNModel("float", "autoparam_mushroom_body", **kwargs)
    model.dt = P["dt"]
    traub_params = {"gNa": P["traub_gna"], "ENa": P["traub_ena"], "gK": P["traub_gk"], "EK": P["traub_ek"],
                    "gl": P["traub_gl"], "El": P["traub_el"], "C": P["traub_c"]}
    traub_init = {"V": -60.0, "m": 0.0529324, "h": 0.3176767, "n": 0.5961207}
    pn = model.add_neuron_population(
        "PN", PN_COUNT, poisson,
        {"trefract": P["poisson_trefract"], "tspike": P["poisson_tspike"], "Vspike": P["poisson_vspike"],
         "Vrest": P["poisson_vrest"]},
        {"V": P["poisson_vrest"], "spikeTime": -1e5, "p": 0.0})
    dn = model.add_neuron_population("DN", DN_COUNT, traub_miles, traub_params, traub_init)
    ggn = model.add_neuron_population("GGN", 1, ggn_model, {"Vthresh": P["ggn_threshold"]}, {"V": 0.0})
    kc = kc_dn = None
    if kc_count > 0:  # GeNN cannot build an empty population; with no KCs the DNs see only the teacher
        kc = model.add_neuron_population("KC", kc_count, traub_miles, traub_params, traub_init)
        model.add_synapse_population(
            "PN_KC", "SPARSE", pn, kc,
            init_weight_update("StaticPulseConstantWeight", {"g": P["pn_kc_weight"]}),
            init_postsynaptic("ExpCond", {"tau": P["pn_kc_tau"], "E": P["pn_kc_reversal"]},
                              var_refs={"V": create_var_ref(kc, "V")}),
            init_sparse_connectivity("FixedProbability", {"prob": P["pn_kc_probability"]}))
        if WEIGHTS_FILE is not None:
            g = load_weights(kc_count)
        else:
            g = init_var("Normal", {"mean": P["kc_dn_weight_mean"], "sd": P["kc_dn_weight_sd"]})
        alpha = 0.0 if frozen else P["stdp_alpha"]
        kc_dn = model.add_synapse_population(
            "KC_DN", "DENSE", kc, dn,
            init_weight_update(stdp,
                               {"tauPlus": P["stdp_tau"], "tauMinus": P["stdp_tau"], "aPlus": alpha,
                                "aMinus": alpha, "wMin": P["stdp_w_min"], "wMax": P["w_max"],
                                "offset": P["stdp_offset"]},
                               {"g": g}),
            init_postsynaptic("ExpCond", {"tau": P["kc_dn_tau"], "E": P["kc_dn_reversal"]},
                              var_refs={"V": create_var_ref(dn, "V")}))
        model.add_synapse_population(
            "KC_GGN", "DENSE", kc, ggn,
            init_weight_update("StaticPulseConstantWeight", {"g": P["kc_ggn_weight"]}),
            init_postsynaptic("DeltaCurr"))
        model.add_synapse_population(
            "GGN_KC", "DENSE", ggn, kc,
            init_weight_update("StaticPulseConstantWeight", {"g": P["ggn_kc_weight"]}),
            init_postsynaptic("ExpCurr", {"tau": P["ggn_kc_tau"]}))
    teacher = model.add_current_source("teacher", teacher_model, dn, {}, {"magnitude": 0.0})
    populations = {"PN": pn, "KC": kc, "DN": dn, "GGN": ggn}
    return model, populations, kc_dn, teacher


def load_dataset(path, limit):
    """Images (N x 784 float64) and labels: from a run file's /dataset, or a CSV in the seed's format."""
    if path.endswith((".h5", ".hdf5")):
        import h5py
        with h5py.File(path, "r") as f:
            images = f["dataset/images"][()].astype(np.float64)
            labels = [int(x) for x in f["dataset/labels"][()]]
    else:
        images = np.loadtxt(path, delimiter=",", ndmin=2)
        if images.shape[1] != PN_COUNT:
            raise SystemExit(f"{path}: {images.shape[1]} values per row, expected {PN_COUNT} grey values")
        labels = [ROTATION[i % len(ROTATION)] for i in range(len(images))]
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    return images, labels


def firing_probabilities(image):
    """pixel / mean of the image's non-zero pixels / input_divisor (the mean truncated under the seed variant)."""
    nonzero = image[image > 0]
    if nonzero.size == 0:
        return np.zeros(PN_COUNT, dtype=np.float32)
    mean = float(nonzero.mean())
    if VARIANT == "seed":
        mean = float(int(mean))
    return (image / mean / P["input_divisor"]).astype(np.float32)


def teacher_magnitudes(label):
    magnitude = P["teacher"]
    if VARIANT == "seed":
        magnitude = float(int(magnitude))  # truncated toward zero, as the seed's integer array does
    return np.array([magnitude if d == label else -magnitude for d in range(DN_COUNT)], dtype=np.float32)


def passes(mean):
    return mean != 0 and not np.isnan(mean)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", help="a run file (.h5) or a CSV in the seed's format")
    parser.add_argument("--images", type=int, help="use only the first N images")
    parser.add_argument("--backend", help="GeNN backend, e.g. single_threaded_cpu or cuda (default: GeNN's choice)")
    parser.add_argument("--frozen", action="store_true", help="no plasticity (STDP amplitudes 0)")
    parser.add_argument("--save-spikes", metavar="FILE", help="write every spike (step and id per population) to FILE.npz")
    args = parser.parse_args()
    images, labels = load_dataset(args.dataset, args.images)
    stimulus_steps = int(round(P["stimulus_ms"] / P["dt"]))
    blank_steps = int(round(P["blank_ms"] / P["dt"]))
    window = stimulus_steps + blank_steps

    model, populations, kc_dn, teacher = build(args.backend, args.frozen)
    recorded = ["DN"] if not args.save_spikes else [name for name, pop in populations.items() if pop is not None]
    for name in recorded:
        populations[name].spike_recording_enabled = True
    model.build()
    model.load(num_recording_timesteps=window)
    pn, kc, dn = populations["PN"], populations["KC"], populations["DN"]
    saved = {name: ([], []) for name in recorded}

    def mean_weight():
        if kc_dn is None:
            return float("nan")
        kc_dn.vars["g"].pull_from_device()
        return float(np.mean(kc_dn.vars["g"].values))

    def mean_kc_voltage():
        if kc is None:
            return float("nan")
        kc.vars["V"].pull_from_device()
        return float(np.mean(kc.vars["V"].values))

    score = (1.0 if passes(mean_weight()) else 0.0) + (0.5 if passes(mean_kc_voltage()) else 0.0)
    scored_window = stimulus_steps if VARIANT == "seed" else window
    for i, (image, label) in enumerate(zip(images, labels)):
        start = model.timestep
        teacher.vars["magnitude"].values = teacher_magnitudes(label)
        teacher.vars["magnitude"].push_to_device()
        pn.vars["p"].values = firing_probabilities(image)
        pn.vars["p"].push_to_device()
        for _ in range(stimulus_steps):
            model.step_time()
        pn.vars["p"].values = np.zeros(PN_COUNT, dtype=np.float32)
        pn.vars["p"].push_to_device()
        for _ in range(blank_steps):
            model.step_time()
        model.pull_recording_buffers_from_device()
        for name in recorded:
            times, ids = populations[name].spike_recording_data[0]
            steps = np.rint(np.asarray(times) / P["dt"]).astype(np.int64)
            saved[name][0].append(steps)
            saved[name][1].append(np.asarray(ids, dtype=np.int64))
        times, ids = dn.spike_recording_data[0]
        steps = np.rint(np.asarray(times) / P["dt"]).astype(np.int64) - start
        ids = np.asarray(ids, dtype=np.int64)
        order = np.lexsort((ids, steps))
        scored = [int(ids[k]) for k in order if 0 <= steps[k] < scored_window]
        score += sum(1.0 for s in scored[:2] if s == label)
        if i < len(images) - 1:
            score += (0.5 if passes(mean_weight()) else 0.0) + (0.5 if passes(mean_kc_voltage()) else 0.0)
    score += 0.5
    maximum = 1.5 + 2 * len(images) + max(len(images) - 1, 0) + 0.5
    print(f"seed-242 score: {score} / {maximum} ({len(images)} images)")
    if "fitness" in SOURCE:
        print(f"autoparam's fitness for this genotype: {SOURCE['fitness']}")
    if args.save_spikes:
        arrays = {}
        for name, (steps, ids) in saved.items():
            arrays[f"{name}_steps"] = np.concatenate(steps) if steps else np.zeros(0, np.int64)
            arrays[f"{name}_ids"] = np.concatenate(ids) if ids else np.zeros(0, np.int64)
        np.savez(args.save_spikes, **arrays)
        print(f"spikes written to {args.save_spikes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""#
    }
}

fileprivate extension String {
    /// The string with `pad` characters in front up to `width` characters.
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
