import Foundation
import MushroomBodyModel

/// A PyGeNN 5 script of GeNN's MNIST mushroom body (`network: genn-mnist`) for one parameter
/// set, with the files it reads: the images and labels it trains and tests on, and optionally
/// autoparam's PN→KC wiring (docs/export-genn.md, "The GeNN MNIST network").
///
/// The script builds the network as GeNN's `userproject/mnist_mb_classifier.py` does, trains on
/// the first `trainCount` images (`epochs` passes, teacher on the labelled MBON, then the
/// custom-update reset), copies the learned KC→MBON g into a StaticPulse twin of the synapse
/// group, tests on the next `testCount` images (teacher off, first MBON spike), and prints the
/// held-out accuracy and the spike count of every population.
public struct GeNNMNISTExport: Sendable {
    public var parameters: GeNNMNISTParameters
    public var genotype: [(String, Double)]
    public var classCount: Int
    public var epochs: Int
    public var trainCount: Int
    public var testCount: Int
    /// The `.npy` files beside the script, by file name (no directories).
    public var imagesFile: String, labelsFile: String
    /// autoparam's PN→KC wiring as (2, S) int32 pre/post indices, or nil for GeNN's own draw.
    public var connectivityFile: String?
    /// Lines saying where the script comes from (commented at its top).
    public var provenance: [String]

    public init(parameters: GeNNMNISTParameters, genotype: [(String, Double)], classCount: Int, epochs: Int,
                trainCount: Int, testCount: Int, imagesFile: String, labelsFile: String, connectivityFile: String?,
                provenance: [String]) {
        self.parameters = parameters; self.genotype = genotype; self.classCount = classCount; self.epochs = epochs
        self.trainCount = trainCount; self.testCount = testCount; self.imagesFile = imagesFile; self.labelsFile = labelsFile
        self.connectivityFile = connectivityFile; self.provenance = provenance
    }

    /// The files beside `script` (`brain.py` → `brain_images.npy`, `brain_labels.npy`, `brain_pn_kc.npy`).
    public static func companionNames(forScript script: String) -> (images: String, labels: String, connectivity: String) {
        let stem = URL(fileURLWithPath: script).deletingPathExtension().lastPathComponent
        return ("\(stem)_images.npy", "\(stem)_labels.npy", "\(stem)_pn_kc.npy")
    }

    /// `.npy` bytes of `images` (uint8, (N, pixelsPerImage)).
    public static func imagesNPY(_ images: PresentedImages) -> Data {
        var data = NPYFile.header(descr: "|u1", shape: [images.count, images.pixelsPerImage])
        data.append(contentsOf: images.pixels)
        return data
    }

    /// `.npy` bytes of int32 `values` with `shape`.
    public static func int32NPY(_ values: [Int32], shape: [Int]) -> Data {
        var data = NPYFile.header(descr: "<i4", shape: shape)
        data.reserveCapacity(data.count + 4 * values.count)
        for v in values { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// The PN→KC wiring of `rows` as (2, S) int32: row 0 the PN of each synapse, row 1 its KC.
    public static func connectivityNPY(rowStart: [Int32], targets: [Int32]) -> Data {
        var pre = [Int32](), post = [Int32]()
        pre.reserveCapacity(targets.count); post.reserveCapacity(targets.count)
        for i in 0..<(rowStart.count - 1) {
            for s in Int(rowStart[i])..<Int(rowStart[i + 1]) { pre.append(Int32(i)); post.append(targets[s]) }
        }
        return int32NPY(pre + post, shape: [2, targets.count])
    }

    /// The script's text.
    public var script: String {
        let parameterLines = GeNNMNISTParameters.definitions.enumerated().map { i, d in
            "    \(GeNNExport.quoted(d.name)): \(GeNNExport.python(parameters.values[i])),  # \(GeNNExport.comment("\(d.unit), \(d.summary)"))"
        }.joined(separator: "\n")
        let genotypeLines = genotype.map { "    \(GeNNExport.quoted($0.0)): \(GeNNExport.python($0.1))," }.joined(separator: "\n")
        let header = provenance.map { "# \(GeNNExport.comment($0))" }.joined(separator: "\n")
        return """
#!/usr/bin/env python3
\(header)
\"\"\"GeNN 5's insect MNIST mushroom body (userproject/mnist_mb_classifier.py), exported by autoparam.

    python3 this_script.py                 # the images, labels (and PN->KC wiring) beside it
    python3 this_script.py --json out.json # also write the results as JSON

Trains on the first TRAIN_COUNT images (EPOCHS passes; each image PRESENT_MS with the teaching
current into its MBON, then every V, RefracTime, spike time and synaptic input reset), then tests
on the next TEST_COUNT with the teacher off and the learned KC->MBON weights frozen: the class is
the first MBON to spike (ties to the lower index; no spike: no response). As in GeNN's example the
STDP synapses do not transmit while training; the test phase uses a StaticPulse twin loaded with
the learned g. Needs PyGeNN 5 (pip install pygenn) and numpy.
\"\"\"
import argparse
import json
import os
import sys

import numpy as np
from pygenn import (GeNNModel, create_current_source_model, create_custom_update_model, create_neuron_model,
                    create_out_post_var_ref, create_spike_time_var_ref, create_var_ref, create_weight_update_model,
                    init_postsynaptic, init_sparse_connectivity, init_weight_update)

# Every parameter of the network (GeNN's values with the genotype applied).
PARAMETERS = {
\(parameterLines)
}

# The evolved genes of this genotype (already applied in PARAMETERS).
GENOTYPE = {
\(genotypeLines)
}

CLASSES = \(classCount)
EPOCHS = \(epochs)
TRAIN_COUNT = \(trainCount)
TEST_COUNT = \(testCount)
IMAGES_FILE = \(GeNNExport.quoted(imagesFile))
LABELS_FILE = \(GeNNExport.quoted(labelsFile))
CONNECTIVITY_FILE = \(connectivityFile.map(GeNNExport.quoted) ?? "None")  # (2, S) int32 PN/KC indices; None: GeNN draws

P = PARAMETERS


def lif_params(prefix):
    return {"C": P[prefix + "_c"], "TauM": P[prefix + "_tau_m"], "Vrest": P[prefix + "_v_rest"],
            "Vreset": P[prefix + "_v_reset"], "Vthresh": P[prefix + "_v_thresh"], "Ioffset": P[prefix + "_i_offset"],
            "TauRefrac": P[prefix + "_tau_refrac"]}


# The GGN: integrate the KC spikes, fire at the threshold, reset to 0 (GeNN's example `if_model`).
if_model = create_neuron_model("if_model", params=["Vthr"], vars=[("V", "scalar")], sim_code="V += Isyn;",
                               threshold_condition_code="V >= Vthr", reset_code="V = 0.0;")
# A current source whose magnitude the host sets per neuron (the PN input and the MBON teacher).
cs_model = create_current_source_model("cs_model", vars=[("magnitude", "scalar")], injection_code="injectCurrent(magnitude);")
# GeNN's symmetric STDP: changes g on pre and post spikes and delivers nothing (no addToPost).
symmetric_stdp = create_weight_update_model(
    "symmetric_stdp", params=["tau", "rho", "eta", "wMin", "wMax"], vars=[("g", "scalar")],
    pre_spike_syn_code=\"\"\"
        const scalar dt = t - st_post;
        const scalar timing = exp(-dt / tau) - rho;
        const scalar newWeight = g + (eta * timing);
        g = fmin(wMax, fmax(wMin, newWeight));
        \"\"\",
    post_spike_syn_code=\"\"\"
        const scalar dt = t - st_pre;
        const scalar timing = fmax(exp(-dt / tau) - rho, -0.1 * rho);
        const scalar newWeight = g + (eta * timing);
        g = fmin(wMax, fmax(wMin, newWeight));
        \"\"\")
# The reset between images, as custom updates in group "Reset".
reset_lif = create_custom_update_model("reset_lif", params=["Vreset"], var_refs=[("V", "scalar"), ("RefracTime", "scalar")],
                                       update_code="V = Vreset; RefracTime = 0.0;")
reset_if = create_custom_update_model("reset_if", var_refs=[("V", "scalar")], update_code="V = 0.0;")
reset_st = create_custom_update_model("reset_st", var_refs=[("SpikeTimes", "timepoint")], update_code="SpikeTimes = -3.402823466e+38;")
reset_out_post = create_custom_update_model("reset_out_post", var_refs=[("OutPost", "scalar")], update_code="OutPost = 0.0;")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    images = np.load(os.path.join(here, IMAGES_FILE))
    labels = np.load(os.path.join(here, LABELS_FILE)).astype(int)
    assert len(images) >= TRAIN_COUNT + TEST_COUNT, "not enough images"
    pixels = images.shape[1]
    kc_count = int(P["kc_count"])
    present_steps = int(round(P["present_ms"] / P["dt"]))

    model = GeNNModel("float", "mnist_mb_autoparam")
    model.dt = P["dt"]
    model.seed = 1
    pn = model.add_neuron_population("pn", pixels, "LIF", lif_params("pn"), {"V": P["pn_v_reset"], "RefracTime": 0.0})
    kc = model.add_neuron_population("kc", kc_count, "LIF", lif_params("kc"), {"V": P["kc_v_reset"], "RefracTime": 0.0})
    ggn = model.add_neuron_population("ggn", 1, if_model, {"Vthr": P["ggn_threshold"]}, {"V": 0.0})
    mbon = model.add_neuron_population("mbon", CLASSES, "LIF", lif_params("mbon"), {"V": P["mbon_v_reset"], "RefracTime": 0.0})
    for pop in (pn, kc, ggn, mbon):
        pop.spike_recording_enabled = True
    pn_input = model.add_current_source("pn_input", cs_model, pn, {}, {"magnitude": 0.0})
    teacher = model.add_current_source("mbon_teacher", cs_model, mbon, {}, {"magnitude": 0.0})

    if CONNECTIVITY_FILE is None:
        connectivity = init_sparse_connectivity("FixedNumberPreWithReplacement", {"num": int(P["pn_kc_fan_in"])})
    else:
        connectivity = None
    pn_kc = model.add_synapse_population(
        "pn_kc", "SPARSE", pn, kc, init_weight_update("StaticPulseConstantWeight", {"g": P["pn_kc_weight"]}),
        init_postsynaptic("ExpCurr", {"tau": P["pn_kc_tau"]}), *([connectivity] if connectivity is not None else []))
    if CONNECTIVITY_FILE is not None:
        wiring = np.load(os.path.join(here, CONNECTIVITY_FILE))
        pn_kc.set_sparse_connections(wiring[0], wiring[1])
    kc_ggn = model.add_synapse_population(
        "kc_ggn", "DENSE", kc, ggn, init_weight_update("StaticPulseConstantWeight", {"g": P["kc_ggn_weight"]}),
        init_postsynaptic("DeltaCurr"))
    ggn_kc = model.add_synapse_population(
        "ggn_kc", "DENSE", ggn, kc, init_weight_update("StaticPulseConstantWeight", {"g": P["ggn_kc_weight"]}),
        init_postsynaptic("ExpCurr", {"tau": P["ggn_kc_tau"]}))
    stdp_params = {"tau": P["kc_mbon_tau"], "rho": P["kc_mbon_rho"], "eta": P["kc_mbon_eta"],
                   "wMin": P["kc_mbon_w_min"], "wMax": P["kc_mbon_w_max"]}
    kc_mbon = model.add_synapse_population(
        "kc_mbon", "DENSE", kc, mbon, init_weight_update(symmetric_stdp, stdp_params, {"g": 0.0}),
        init_postsynaptic("ExpCurr", {"tau": P["kc_mbon_syn_tau"]}))
    # The test network's StaticPulse synapses: g 0 (deliver nothing) until the learned g is copied in.
    kc_mbon_test = model.add_synapse_population(
        "kc_mbon_test", "DENSE", kc, mbon, init_weight_update("StaticPulse", {}, {"g": 0.0}),
        init_postsynaptic("ExpCurr", {"tau": P["kc_mbon_syn_tau"]}))

    for name, pop, prefix in (("pn", pn, "pn"), ("kc", kc, "kc"), ("mbon", mbon, "mbon")):
        model.add_custom_update(name + "_reset", "Reset", reset_lif, {"Vreset": P[prefix + "_v_reset"]}, {},
                                {"V": create_var_ref(pop, "V"), "RefracTime": create_var_ref(pop, "RefracTime")})
    model.add_custom_update("ggn_reset", "Reset", reset_if, {}, {}, {"V": create_var_ref(ggn, "V")})
    # Only the KCs' and MBONs' spike times are read (by the STDP rule); GeNN keeps no others.
    for name, pop in (("kc", kc), ("mbon", mbon)):
        model.add_custom_update(name + "_reset_st", "Reset", reset_st, {}, {}, {"SpikeTimes": create_spike_time_var_ref(pop)})
    for name, sg in (("pn_kc", pn_kc), ("kc_ggn", kc_ggn), ("ggn_kc", ggn_kc), ("kc_mbon", kc_mbon), ("kc_mbon_test", kc_mbon_test)):
        model.add_custom_update(name + "_reset_out_post", "Reset", reset_out_post, {}, {},
                                {"OutPost": create_out_post_var_ref(sg)})

    model.build()
    model.load(num_recording_timesteps=present_steps)

    counts = {"PN": 0, "KC": 0, "GGN": 0, "MBON": 0}
    magnitude = pn_input.vars["magnitude"]
    teaching = teacher.vars["magnitude"]

    def present(image, label):
        total = float(np.sum(image, dtype=np.float64))
        magnitude.view[:] = (image.astype(np.float64) / total * P["input_scale"]) if total > 0 else 0.0
        magnitude.push_to_device()
        teaching.view[:] = 0.0
        if label is not None:
            teaching.view[label] = P["mbon_teacher"]
        teaching.push_to_device()
        for _ in range(present_steps):
            model.step_time()
        model.pull_recording_buffers_from_device()
        for key, pop in (("PN", pn), ("KC", kc), ("GGN", ggn), ("MBON", mbon)):
            counts[key] += len(pop.spike_recording_data[0][0])
        times, ids = mbon.spike_recording_data[0]
        model.custom_update("Reset")
        if len(times) == 0:
            return None
        first = np.min(times)
        return int(np.min(ids[times == first]))

    for _ in range(EPOCHS):
        for i in range(TRAIN_COUNT):
            present(images[i], int(labels[i]))

    kc_mbon.vars["g"].pull_from_device()
    learned = np.copy(kc_mbon.vars["g"].values)
    kc_mbon_test.vars["g"].values = learned
    kc_mbon_test.vars["g"].push_to_device()
    train_counts = dict(counts)

    predictions = []
    for i in range(TRAIN_COUNT, TRAIN_COUNT + TEST_COUNT):
        predictions.append(present(images[i], None))
    truth = labels[TRAIN_COUNT:TRAIN_COUNT + TEST_COUNT]
    correct = sum(1 for p, t in zip(predictions, truth) if p == t)
    silent = sum(1 for p in predictions if p is None)
    accuracy = correct / TEST_COUNT if TEST_COUNT else 0.0
    print(f"accuracy     {accuracy:.4f} ({correct} of {TEST_COUNT} held-out images)")
    print(f"no_response  {silent / TEST_COUNT if TEST_COUNT else 0.0:.4f}")
    print("spikes       " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"mean g       {float(np.mean(learned)):.6g} (KC->MBON after training)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"accuracy": accuracy, "no_response": silent / TEST_COUNT if TEST_COUNT else 0.0,
                       "predictions": predictions, "spike_counts": counts, "training_spike_counts": train_counts,
                       "mean_weight": float(np.mean(learned)), "weights": learned.tolist()}, f)


if __name__ == "__main__":
    main()

"""
    }
}
