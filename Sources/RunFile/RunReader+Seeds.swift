import HDF5
import MushroomBodyModel

extension RunReader {
    /// The K networks' own results for evaluation `row` (seed index order), with their
    /// spikes; empty when the run evaluates each genotype once (K = 1).
    public func seedEvaluations(replicate: Int, row: Int) throws -> [SeedEvaluationRecord] {
        let k = layout.seedCount
        guard k > 1 else { return [] }
        return try retrying {
            typealias N = RunFileNames
            let group = try self.group(replicate)
            try checkRow(row, replicate: replicate)
            let rows = (row * k)..<(row * k + k)
            func column<T: HDF5Numeric>(_ name: String, _: T.Type) throws -> [T] {
                try group.openDataset("\(N.seedEvaluations)/\(name)").read(rows: rows, as: T.self)
            }
            let fitness = try column(N.fitness, Double.self)
            let components = split(try column(N.components, Double.self), width: layout.componentNames.count, rows: k)
            let status = try column(N.status, Int32.self)
            let messages = try group.openDataset("\(N.seedEvaluations)/\(N.statusMessage)").readStrings(rows: rows)
            let seeds = try column(N.seed, UInt64.self)
            let wall = try column(N.wallSeconds, Double.self)
            return try (0..<k).map { s in
                SeedEvaluationRecord(
                    fitness: fitness[s], components: components[s], status: status[s], statusMessage: messages[s],
                    seed: seeds[s], wallSeconds: wall[s],
                    spikes: try layout.populationNames.indices.map {
                        try self.seedSpikes(replicate: replicate, evaluation: row, seedIndex: s, population: $0)
                    })
            }
        }
    }

    /// The seed of network `seedIndex` of evaluation `row`: `evaluations/seed` for K = 1 (or
    /// seed index 0), `seeds/seed[row·K + seedIndex]` otherwise.
    public func seed(replicate: Int, evaluation row: Int, seedIndex: Int) throws -> UInt64 {
        let k = layout.seedCount
        guard (0..<k).contains(seedIndex) else {
            throw RunFileError("seed index \(seedIndex) does not exist: the run evaluates each genotype on \(k) network\(k == 1 ? "" : "s") (0…\(k - 1))")
        }
        if k == 1 { return try evaluation(replicate: replicate, row: row).seed }
        return try retrying {
            let group = try self.group(replicate)
            try checkRow(row, replicate: replicate)
            let r = row * k + seedIndex
            return try group.openDataset("\(RunFileNames.seedEvaluations)/\(RunFileNames.seed)").read(rows: r..<(r + 1), as: UInt64.self)[0]
        }
    }

    /// Spikes of `population` (index into the layout's populations) in network `seedIndex`
    /// of evaluation `row`: entry row·K + seedIndex of `seeds/spikes/<POP>`. For K = 1 the
    /// evaluation's own spikes.
    public func seedSpikes(replicate: Int, evaluation row: Int, seedIndex: Int, population: Int) throws -> SpikeTrain {
        let k = layout.seedCount
        guard k > 1 else { return try spikes(replicate: replicate, evaluation: row, population: population) }
        guard (0..<k).contains(seedIndex) else {
            throw RunFileError("seed index \(seedIndex) does not exist: the run evaluates each genotype on \(k) networks (0…\(k - 1))")
        }
        return try retrying {
            typealias N = RunFileNames
            let group = try self.group(replicate)
            try checkRow(row, replicate: replicate)
            guard layout.populationNames.indices.contains(population) else {
                throw RunFileError("population \(population) does not exist (\(layout.populationNames.count) recorded)")
            }
            let base = "\(N.seedEvaluations)/\(N.spikes)/\(layout.populationNames[population])"
            let entry = row * k + seedIndex
            let bounds = try group.openDataset("\(base)/\(N.index)").read(rows: entry..<(entry + 2), as: UInt64.self)
            let rows = Int(bounds[0])..<Int(bounds[1])
            return SpikeTrain(steps: try group.openDataset("\(base)/\(N.steps)").read(rows: rows, as: UInt32.self),
                              ids: try group.openDataset("\(base)/\(N.ids)").read(rows: rows, as: UInt32.self))
        }
    }
}
