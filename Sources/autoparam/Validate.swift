import ArgumentParser
import ExperimentFiles

/// `autoparam validate`: check an experiment file and print the resolved experiment.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an experiment file and print the resolved experiment (every default filled in).",
        discussion: """
            Prints the resolved experiment as YAML on stdout and exits 0, or prints every problem \
            (file:line: setting: what is wrong) on stderr and exits 2. Nothing is run or written. \
            The schema is documented in docs/experiment-schema.md. Example:
              autoparam validate experiments/quickstart.yaml --set ga.tournaments=5
            """
    )

    @Argument(help: ArgumentHelp("The experiment file (YAML).", valueName: "file"))
    var file: String

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override one setting before validation, as the file would set it (repeatable): ga.tournaments=20, dataset.count=16, genes.stdp_tau.round=3, 'record.spikes=[DN]'.",
        valueName: "path=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp("Images: a CSV in the seed's format, in place of the experiment's data file (an embedded dataset becomes this CSV, labelled by the seed's rotation).", valueName: "file"))
    var data: String?

    @Flag(name: .customLong("allow-large"), help: "Accept a job beyond the size limits (docs/limits.md), as `run --allow-large` would.")
    var allowLarge = false

    func run() throws {
        let experiment: Experiment
        do {
            experiment = try ExperimentLoader.load(path: file, overrides: overrides, dataPath: data, allowLarge: allowLarge)
        } catch let error as ExperimentError {
            throw BadInput(error.description)
        }
        print(experiment.resolvedYAML(), terminator: "")
    }
}
