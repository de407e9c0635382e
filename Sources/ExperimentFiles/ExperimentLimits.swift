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
        let job = EvaluationLimits.Job(images: images, parameters: model, concurrent: concurrent)
        for problem in EvaluationLimits.problems(job, allowLarge: allowLarge) {
            issue(problem.hasPrefix("\(images) images") ? "dataset" : "protocol", problem)
        }
        return issues
    }
}
