import Foundation
import MushroomBodyModel

/// Progress of a run on standard error: on a terminal, one line redrawn in place with the
/// tournaments done, best fitness, evaluations per second and the estimated time left;
/// otherwise a log line with the same figures every `logEvery` tournaments of each replicate.
///
/// The estimate: each tournament left is one evaluation, at this run's rate so far.
public final class RunProgress: @unchecked Sendable {
    private let lock = Lock()
    private let totalTournaments: Int
    private let replicates: Int
    private var done: [Int]
    private var best: [Double]
    private var evaluations = 0
    private let start = Date()
    private let isTerminal: Bool
    private let logEvery: Int
    private let quiet: Bool

    public init(replicates: Int, tournamentsPerReplicate: Int, alreadyDone: [Int], selected: [Int]? = nil, quiet: Bool = false) {
        self.replicates = replicates
        totalTournaments = (selected?.count ?? replicates) * tournamentsPerReplicate
        done = alreadyDone
        best = Array(repeating: -.infinity, count: replicates)
        isTerminal = isatty(STDERR_FILENO) != 0
        logEvery = max(1, tournamentsPerReplicate / 10)
        self.quiet = quiet
    }

    /// Note `count` evaluations finished (for the rate).
    public func evaluated(_ count: Int = 1) { lock.withLock { evaluations += count } }

    /// Note that replicate `r` has completed `tournaments` with best stored fitness `bestFitness`.
    public func tournamentDone(replicate r: Int, tournaments: Int, bestFitness: Double) {
        lock.withLock {
            done[r] = tournaments
            best[r] = bestFitness
            guard !quiet else { return }
            let sum = done.reduce(0, +)
            let elapsed = Date().timeIntervalSince(start)
            let rate = elapsed > 0 ? Double(evaluations) / elapsed : 0
            let bestAll = best.max() ?? .nan
            let remaining = Self.secondsLeft(tournamentsLeft: totalTournaments - sum, evaluationsPerSecond: rate)
            if isTerminal {
                let fraction = totalTournaments > 0 ? Double(sum) / Double(totalTournaments) : 1
                let width = 30
                let filled = Int(fraction * Double(width))
                let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                let line = String(format: "\r%@ tournament %d/%d  best %.2f  %.2f eval/s  ETA %@ ", bar, sum, totalTournaments,
                                  bestAll, rate, Self.duration(remaining))
                FileHandle.standardError.write(Data(line.utf8))
            } else if tournaments % logEvery == 0 || tournaments == totalTournaments / max(replicates, 1) {
                let line = String(format: "replicate %d: tournament %d, best %.3f (all replicates: %d/%d tournaments, %.2f eval/s, ETA %@)\n",
                                  r, tournaments, bestFitness, sum, totalTournaments, rate, Self.duration(remaining))
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
    }

    /// End the in-place line, if any.
    public func finish() {
        if isTerminal && !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// Seconds left for `tournamentsLeft` evaluations at `evaluationsPerSecond` (NaN before
    /// the first evaluation, 0 when nothing is left).
    static func secondsLeft(tournamentsLeft: Int, evaluationsPerSecond rate: Double) -> Double {
        if tournamentsLeft <= 0 { return 0 }
        return rate > 0 ? Double(tournamentsLeft) / rate : .nan
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
