import Foundation

/// The largest jobs autoparam starts without `--allow-large`, stated once for `validate`,
/// `run`, `evaluate` and `neuron` (table in docs/limits.md).
///
/// Each limit comes from memory or time on one machine: beyond it a job either fails to
/// allocate (78 GB for 10⁸ images), breaks a file-format limit (an HDF5 chunk of ≥ 4 GiB for a
/// population of 10⁸), or runs for hours without saying so (dt = 10⁻⁹ ms). A job beyond a
/// limit is refused (exit 2) with the figure it would need; `--allow-large` accepts a real
/// large job, except where the limit is hard (the file format, or a count that does not fit).
public enum EvaluationLimits {
    /// Images in a data set (`dataset.count`, `--count`, a data file's rows): 1 million. The
    /// images alone take 784 bytes each in memory and in the run file.
    public static let images = 1_000_000
    /// Individuals in the GA population: 10 000 (checkpoints hold the whole population).
    public static let population = 10_000
    /// Hard: a checkpoint chunk (16 rows of population × genes values) must stay below
    /// HDF5's 4 GiB chunk limit; 1 million individuals of up to 20 genes do.
    public static let hardPopulation = 1_000_000
    /// Replicates of one experiment: 10 000 (a group of datasets each in the run file).
    public static let replicates = 10_000
    /// Kenyon cells: 20 000 (the parameter's own domain goes to 100 000).
    public static let kcCount = 20_000
    /// Simulation steps of one evaluation (all images, stimulus and blank): 5 million, 125×
    /// the 40 000 of the default `evaluate`.
    public static let stepsPerEvaluation = 5_000_000
    /// Neuron updates of one evaluation (steps × neurons × substeps ÷ 25): 2·10¹⁰, about
    /// 40 minutes on one core of the development machine (8 s for the default 40 000 steps of
    /// 1 589 neurons).
    public static let neuronUpdatesPerEvaluation = 2e10
    /// Memory of one evaluation (its images plus the network's synapses), and of all those
    /// running at once: 8 GiB.
    public static let memoryBytes = 8 << 30
    /// Steps of `autoparam neuron` (duration ÷ dt): 100 million.
    public static let neuronSteps = 100_000_000
    /// Euler substeps per step: 1…1000 (hard; the parameter `traub_substeps` has the same domain).
    public static let substeps = 1...1000

    /// One evaluation's size, as the limits see it.
    public struct Job: Sendable {
        public var images: Int
        /// dt, stimulus and blank durations, KC count, connection probability, substeps.
        public var parameters: MushroomBodyParameters
        public var pnCount = 784
        /// Evaluations running at once (threads).
        public var concurrent = 1

        public init(images: Int, parameters: MushroomBodyParameters, concurrent: Int = 1) {
            self.images = images
            self.parameters = parameters
            self.concurrent = max(1, concurrent)
        }

        /// Steps of the evaluation, in floating point (it may not fit an Int).
        public var steps: Double {
            let dt = parameters.value("dt")
            return Double(images) * ((parameters.value("stimulus_ms") / dt).rounded() + (parameters.value("blank_ms") / dt).rounded())
        }

        /// Neurons updated per step, weighted by substeps relative to the default 25.
        public var neuronUpdates: Double {
            let neurons = Double(pnCount) + parameters.value("kc_count") + 5
            return steps * neurons * max(1, parameters.value("traub_substeps")) / 25
        }

        /// Bytes: the images (as bytes and as presented currents) plus PN→KC synapses (expected
        /// count × 8 bytes) and KC→DN weights, per concurrent evaluation.
        public var memoryBytes: Double {
            let kc = parameters.value("kc_count")
            let p = min(max(parameters.value("pn_kc_probability"), 0), 1)
            let network = kc * Double(pnCount) * p * 8 + kc * 4 * 16 + kc * 64
            return Double(images) * Double(pnCount) * 5 + Double(concurrent) * network
        }
    }

    /// What in `job` is beyond a limit, each as "what: figure, limit L: what to do"; empty when
    /// within. With `allowLarge` only the hard limits remain.
    public static func problems(_ job: Job, allowLarge: Bool) -> [String] {
        var found: [String] = []
        let hint = "add --allow-large to run it anyway"
        if !allowLarge {
            if job.images > images {
                found.append("\(job.images) images is beyond the limit of \(images) (\(bytes(Double(job.images) * 784)) of images): use fewer images, or \(hint)")
            }
            let kc = job.parameters.value("kc_count")
            if kc > Double(kcCount) {
                found.append("kc_count \(format(kc)) is beyond the limit of \(kcCount): \(hint)")
            }
            let steps = job.steps
            if !steps.isFinite || steps > Double(stepsPerEvaluation) {
                found.append("one evaluation would simulate \(count(steps)) steps (\(job.images) images × (stimulus_ms + blank_ms) ÷ dt), beyond the limit of \(count(Double(stepsPerEvaluation))): use fewer images, shorter phases or a larger dt, or \(hint)")
            } else if job.neuronUpdates > neuronUpdatesPerEvaluation {
                found.append("one evaluation would take about \(count(job.neuronUpdates)) neuron updates (steps × neurons × substeps ÷ 25), beyond the limit of \(count(neuronUpdatesPerEvaluation)) (about 40 minutes): \(hint)")
            }
            let memory = job.memoryBytes
            if memory > Double(memoryBytes) {
                found.append("the evaluation\(job.concurrent > 1 ? "s running at once" : "") would need about \(bytes(memory)) of memory, beyond the limit of \(bytes(Double(memoryBytes))): use fewer images, KCs or threads, or \(hint)")
            }
        }
        let sub = job.parameters.value("traub_substeps")
        if !(Double(substeps.lowerBound)...Double(substeps.upperBound)).contains(sub) {
            found.append("traub_substeps \(format(sub)) is outside \(substeps.lowerBound)…\(substeps.upperBound)")
        }
        return found
    }

    /// Whether `population` individuals are beyond the (soft or, with `allowLarge`, hard) limit,
    /// as a message; nil when within.
    public static func populationProblem(_ size: Int, allowLarge: Bool) -> String? {
        if size > hardPopulation {
            return "a population of \(size) is beyond the hard limit of \(hardPopulation) (a checkpoint chunk would exceed HDF5's 4 GiB)"
        }
        if !allowLarge && size > population {
            return "a population of \(size) is beyond the limit of \(population): add --allow-large to run it anyway"
        }
        return nil
    }

    /// `n` with thousands separators, or in scientific notation when large.
    static func count(_ n: Double) -> String {
        guard n.isFinite else { return "infinitely many" }
        if n >= 1e9 { return String(format: "%.1e", n) }
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = " "
        formatter.maximumFractionDigits = 0
        return formatter.string(from: NSNumber(value: n)) ?? String(Int(n))
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }

    /// Bytes as KiB…TiB with one decimal.
    public static func bytes(_ n: Double) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = n, unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(Int(value)) bytes" : String(format: "%.1f %@", value, units[unit])
    }
}
