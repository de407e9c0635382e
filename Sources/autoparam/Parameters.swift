import ArgumentParser
import MushroomBodyModel

/// `autoparam parameters`: every named parameter of the network and protocol.
struct Parameters: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every parameter of the network and protocol: the names genotypes, genes and `model:` use."
    )

    @Flag(help: "Print a Markdown table (docs/parameters.md is made with it).")
    var markdown = false

    @Option(help: "Network: seed (the seed's mushroom body) or genn-mnist (GeNN 5's MNIST classifier).")
    var network: NetworkKind = .seed

    func run() {
        let defs = network.definitions
        if markdown {
            print("| name | unit | default | allowed | meaning |")
            print("|---|---|---|---|---|")
            for d in defs {
                let gene = d.isSeedGene ? " (seed gene)" : ""
                print("| `\(d.name)` | \(d.unit) | \(format(d.defaultValue)) | \(d.domain.summary) | \(d.summary)\(gene) |")
            }
            return
        }
        let w = defs.map(\.name.count).max() ?? 0
        for d in defs {
            let name = d.name.padding(toLength: w, withPad: " ", startingAt: 0)
            let unit = d.unit.padding(toLength: 3, withPad: " ", startingAt: 0)
            let value = format(d.defaultValue).padding(toLength: 10, withPad: " ", startingAt: 0)
            print("\(name)  \(unit)  \(value)  \(d.summary)")
        }
    }
}

extension NetworkKind: ExpressibleByArgument {}
