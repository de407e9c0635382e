import Evolution
import ExperimentFiles
import MushroomBodyModel
import RunFile

/// Where each image of an evaluation lies in time: image i occupies steps
/// [i·stepsPerImage, (i+1)·stepsPerImage), the stimulus first, then the blank.
public struct ImageWindows: Sendable, Hashable {
    /// Images presented (training and test), in presentation order.
    public var count: Int
    public var stepsPerImage: Int
    /// Steps of each stimulus (the rest of `stepsPerImage` is the blank).
    public var stimulusSteps: Int
    /// Label of each presented image.
    public var labels: [Int]
    public var classNames: [String]
    /// Index of the first held-out test image (teacher off), nil when there is no test phase.
    public var testStart: Int?
    /// Whether the stimulus/blank split comes from the recorded experiment (true) or had to be
    /// assumed as half and half (false: the experiment text did not parse or did not match).
    public var splitFromExperiment: Bool

    /// The windows of an evaluation of `genotype`: the images are the run file's data set (the
    /// images the run presented, in order); steps per image = steps per evaluation ÷ images;
    /// the stimulus length comes from the experiment with the genotype applied (genes may set
    /// `stimulus_ms`, `blank_ms` or `dt`). Nil when the steps do not divide evenly.
    public init?(layout: RunLayout, dataset: RunDatasetRecord, experiment: Experiment?, genotype: [Double]) {
        let n = dataset.imageCount
        guard n > 0, layout.stepsPerEvaluation > 0, layout.stepsPerEvaluation % n == 0 else { return nil }
        count = n
        stepsPerImage = layout.stepsPerEvaluation / n
        labels = dataset.labels.map(Int.init)
        classNames = dataset.classNames
        stimulusSteps = stepsPerImage / 2
        splitFromExperiment = false
        testStart = nil
        guard let experiment else { return }
        if let parameters = try? experiment.parameters(for: Genotype(genotype)),
           parameters.stimulusSteps + parameters.blankSteps == stepsPerImage {
            stimulusSteps = parameters.stimulusSteps
            splitFromExperiment = true
        }
        if experiment.rubric.needsTestPhase, experiment.testCount > 0, experiment.testCount < n {
            testStart = n - experiment.testCount
        }
    }

    /// The first step of image `i`'s stimulus.
    public func start(_ i: Int) -> Int { i * stepsPerImage }
}

extension RunReport {
    /// The best evaluation of the whole file: the highest fitness over every replicate's
    /// committed rows, ties to the lower replicate, then the earliest row (docs/report.md,
    /// "Best evaluation"); nil when nothing is committed.
    public var overallBest: (replicate: Int, row: Int, fitness: Double)? {
        var best: (replicate: Int, row: Int, fitness: Double)?
        for r in replicates {
            guard let p = r.best else { continue }
            if best == nil || RunReport.greater(p.fitness, than: best!.fitness) { best = (r.replicate, p.row, p.fitness) }
        }
        return best
    }
}

/// The evaluation with the highest fitness in the file (over every replicate; ties go to the
/// lower replicate, then the earliest row), with its spikes.
public struct BestEvaluation: Sendable {
    public var replicate: Int
    public var row: Int
    public var fitness: Double
    public var maxFitness: Double
    public var genotype: [Double]
    public var status: Int32
    public var statusMessage: String
    /// Recorded populations, their sizes in this evaluation and their spikes (parallel).
    public var populationNames: [String]
    public var populationSizes: [Int]
    public var spikes: [SpikeTrain]

    /// The best evaluation of `report`, read from `reader`; nil when nothing is committed.
    public init?(report: RunReport, reader: RunReader) throws {
        guard let overall = report.overallBest else { return nil }
        let best = (r: overall.replicate, row: overall.row, f: overall.fitness)
        let table = report.evaluations[best.r]
        replicate = best.r
        row = best.row
        fitness = best.f
        maxFitness = table.maxFitness[best.row]
        genotype = table.genotypes[best.row]
        status = table.status[best.row]
        statusMessage = table.statusMessages[best.row]
        populationNames = report.layout.populationNames
        populationSizes = table.populationSizes[best.row].map(Int.init)
        spikes = try populationNames.indices.map { try reader.spikes(replicate: best.r, evaluation: best.row, population: $0) }
    }

    /// DN spikes of each DN in each image's stimulus window: `counts[dn][image]`; nil when DN
    /// spikes were not recorded.
    public func dnStimulusCounts(_ windows: ImageWindows) -> [[Int]]? {
        guard let p = populationNames.firstIndex(of: "DN") else { return nil }
        let size = max(populationSizes[p], 0)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: windows.count), count: size)
        for (step, id) in zip(spikes[p].steps, spikes[p].ids) {
            let image = Int(step) / windows.stepsPerImage
            guard image < windows.count, Int(step) - windows.start(image) < windows.stimulusSteps, Int(id) < size else { continue }
            counts[Int(id)][image] += 1
        }
        return counts
    }
}
