import Foundation
import RunFile

/// Which replicates one process of a sharded run runs (docs/cluster.md).
///
/// A shard runs its replicates with exactly the seeds they have in a full run
/// (`RunOptions.replicates`), into its own run file; `autoparam merge` combines the files.
///
/// - `--replicates-only A..B` (inclusive) or `--replicates-only A`: those replicates.
/// - `--shard i/n`: shard i (0-based) of n contiguous blocks, replicates
///   ⌊i·R/n⌋ ..< ⌊(i+1)·R/n⌋ of the run's R. Blocks differ in size by at most one and
///   cover every replicate once.
/// - `--shard env/n`: i is read from `SLURM_ARRAY_TASK_ID` (the array task's id, used as is:
///   submit arrays as `--array=0-(n-1)`, or a subset of those ids).
public enum ShardSpec: Sendable, Hashable {
    /// Replicates `lower...upper`.
    case range(lower: Int, upper: Int)
    /// Shard `index` of `count`.
    case shard(index: Int, count: Int)

    /// The environment variable `--shard env/n` reads the shard index from.
    public static let environmentVariable = "SLURM_ARRAY_TASK_ID"

    /// Parses the value of `--replicates-only`: `A..B` (inclusive, A ≤ B) or a single index `A`.
    public static func parseRange(_ text: String) throws -> ShardSpec {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func index(_ s: Substring) -> Int? {
            guard !s.isEmpty, s.allSatisfy(\.isASCII), s.allSatisfy(\.isNumber) else { return nil }
            return Int(s)
        }
        let bad = ShardError("--replicates-only \(text): expected a replicate index (3) or an inclusive range (0..4)")
        if let dots = trimmed.range(of: "..") {
            guard let a = index(trimmed[..<dots.lowerBound]), let b = index(trimmed[dots.upperBound...]) else { throw bad }
            guard a <= b else { throw ShardError("--replicates-only \(text): the range is empty (\(a) > \(b))") }
            return .range(lower: a, upper: b)
        }
        guard let a = index(Substring(trimmed)) else { throw bad }
        return .range(lower: a, upper: a)
    }

    /// Parses the value of `--shard`: `i/n` with 0 ≤ i < n, or `env/n` with i read from
    /// ``environmentVariable`` in `environment`.
    public static func parseShard(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ShardSpec {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = Int(parts[1]), n >= 1 else {
            throw ShardError("--shard \(text): expected i/n (shard i of n, counted from 0), such as 0/4, or env/n to read i from \(environmentVariable)")
        }
        let i: Int
        if parts[0] == "env" {
            guard let value = environment[environmentVariable], !value.isEmpty else {
                throw ShardError("--shard \(text): \(environmentVariable) is not set (it is set in Slurm array tasks); give the shard index instead, such as --shard 0/\(n)")
            }
            guard let parsed = Int(value.trimmingCharacters(in: .whitespaces)) else {
                throw ShardError("--shard \(text): \(environmentVariable) is '\(value)', not a shard index")
            }
            i = parsed
        } else {
            guard let parsed = Int(parts[0]) else {
                throw ShardError("--shard \(text): expected i/n (shard i of n, counted from 0), such as 0/4, or env/n to read i from \(environmentVariable)")
            }
            i = parsed
        }
        guard (0..<n).contains(i) else {
            throw ShardError("--shard \(text): shard \(i) does not exist: shards of \(n) are numbered 0…\(n - 1)")
        }
        return .shard(index: i, count: n)
    }

    /// The replicates of shard `index` of `count` in a run of `total`: ⌊i·R/n⌋ ..< ⌊(i+1)·R/n⌋.
    public static func block(index: Int, count: Int, total: Int) -> Range<Int> {
        (index * total / count)..<((index + 1) * total / count)
    }

    /// The replicates this shard runs in a run of `total` replicates, in order.
    public func replicates(of total: Int) throws -> [Int] {
        switch self {
        case .range(let a, let b):
            guard b < total else {
                let name = a == b ? "replicate \(a)" : "replicates \(a)..\(b)"
                throw ShardError("--replicates-only: \(name) do\(a == b ? "es" : "") not exist: the experiment has replicates 0…\(total - 1)")
            }
            return Array(a...b)
        case .shard(let i, let n):
            let block = Self.block(index: i, count: n, total: total)
            guard !block.isEmpty else {
                throw ShardError("--shard \(i)/\(n): this shard has no replicates: \(total) replicate\(total == 1 ? "" : "s") in \(n) shards leave some empty; use at most \(total) shards")
            }
            return Array(block)
        }
    }

    /// What goes before `.h5` in the shard's default output: `.shard-i-of-n`, `.replicates-A-B`,
    /// or `.replicates-A` for a single replicate.
    public var outputSuffix: String {
        switch self {
        case .range(let a, let b): return a == b ? ".replicates-\(a)" : ".replicates-\(a)-\(b)"
        case .shard(let i, let n): return ".shard-\(i)-of-\(n)"
        }
    }

    /// `output` with ``outputSuffix`` before its `.h5` extension (appended when it has none):
    /// `runs/x.h5` → `runs/x.shard-1-of-4.h5`.
    public func output(for output: String) -> String {
        if output.hasSuffix(".h5") { return String(output.dropLast(3)) + outputSuffix + ".h5" }
        return output + outputSuffix
    }

    /// The flag that selects this shard on `autoparam run`'s command line.
    public var commandLine: [String] {
        switch self {
        case .range(let a, let b): return ["--replicates-only", a == b ? "\(a)" : "\(a)..\(b)"]
        case .shard(let i, let n): return ["--shard", "\(i)/\(n)"]
        }
    }
}

/// A `--shard` or `--replicates-only` value that does not fit the run.
public struct ShardError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
