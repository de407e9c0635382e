import Foundation
import MushroomBodyModel

extension Experiment {
    /// The experiment's size against ``EvaluationLimits`` (images, population, replicates,
    /// steps, neuron updates and memory of an evaluation), as issues; empty when within. With
    /// `allowLarge` only the hard limits remain.
    func limitIssues(allowLarge: Bool) -> [ExperimentIssue] {
        var issues: [ExperimentIssue] = []
        func issue(_ path: String, _ message: String) { issues.append(ExperimentIssue(path: path, line: nil, message: message)) }
        if !allowLarge && replicates > EvaluationLimits.replicates {
            issue("replicates", "\(replicates) replicates is beyond the limit of \(EvaluationLimits.replicates): add --allow-large to run them anyway")
        }
        if let problem = EvaluationLimits.populationProblem(ga.populationSize, allowLarge: allowLarge) {
            issue("ga.population", problem)
        }
        let images = imageCount ?? DatasetSizing.imageCount(of: dataset) ?? 0
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let concurrent = min(threads > 0 ? threads : cores, max(1, ga.populationSize) * max(1, replicates))
        let job = EvaluationLimits.Job(images: images, parameters: largestParameters(), concurrent: concurrent)
        for problem in EvaluationLimits.problems(job, allowLarge: allowLarge) {
            issue(problem.hasPrefix("\(images) images") ? "dataset" : "protocol", problem)
        }
        return issues
    }

    /// The model's parameters with every evolved size at the end of its gene's range that makes
    /// an evaluation largest (most KCs, longest phases, most substeps, smallest dt).
    func largestParameters() -> MushroomBodyParameters {
        var pairs: [(String, Double)] = []
        for gene in genes.genes {
            switch gene.name {
            case "kc_count", "stimulus_ms", "blank_ms", "traub_substeps", "pn_kc_probability":
                pairs.append((gene.name, gene.range.upperBound))
            case "dt" where gene.range.lowerBound > 0:
                pairs.append((gene.name, gene.range.lowerBound))
            default: break
            }
        }
        return (try? model.setting(pairs)) ?? model
    }
}
