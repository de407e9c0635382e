import Cluster
import Foundation
import XCTest

/// `--replicates-only`, `--shard` and the Slurm scripts, without running anything.
final class ClusterShardSpecTests: XCTestCase {
    func assertShardError(_ body: @autoclosure () throws -> Any, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual((error as? ShardError)?.message, message, file: file, line: line)
        }
    }

    // MARK: - Ranges

    func testReplicateRanges() throws {
        XCTAssertEqual(try ShardSpec.parseRange("2..4"), .range(lower: 2, upper: 4))
        XCTAssertEqual(try ShardSpec.parseRange("3"), .range(lower: 3, upper: 3))
        XCTAssertEqual(try ShardSpec.parseRange("2..4").replicates(of: 5), [2, 3, 4])
        XCTAssertEqual(try ShardSpec.parseRange("0").replicates(of: 1), [0])
        XCTAssertEqual(ShardSpec.range(lower: 2, upper: 4).output(for: "runs/x.h5"), "runs/x.replicates-2-4.h5")
        XCTAssertEqual(ShardSpec.range(lower: 3, upper: 3).output(for: "runs/x.h5"), "runs/x.replicates-3.h5")
        XCTAssertEqual(ShardSpec.range(lower: 3, upper: 3).output(for: "runs/x"), "runs/x.replicates-3")
        XCTAssertEqual(ShardSpec.range(lower: 2, upper: 4).commandLine, ["--replicates-only", "2..4"])
    }

    func testBadReplicateRanges() {
        let expected = "expected a replicate index (3) or an inclusive range (0..4)"
        for text in ["", "a", "1-3", "1..", "..3", "-1", "1..3..4", "1.5"] {
            assertShardError(try ShardSpec.parseRange(text), "--replicates-only \(text): \(expected)")
        }
        assertShardError(try ShardSpec.parseRange("4..2"), "--replicates-only 4..2: the range is empty (4 > 2)")
        assertShardError(try ShardSpec.parseRange("3..5").replicates(of: 4),
                         "--replicates-only: replicates 3..5 do not exist: the experiment has replicates 0…3")
        assertShardError(try ShardSpec.parseRange("4").replicates(of: 4),
                         "--replicates-only: replicate 4 does not exist: the experiment has replicates 0…3")
    }

    // MARK: - Shards

    func testShardsAreContiguousBlocksThatCoverEveryReplicateOnce() throws {
        for total in 1...13 {
            for count in 1...total {
                var covered: [Int] = []
                for i in 0..<count {
                    let block = try ShardSpec.shard(index: i, count: count).replicates(of: total)
                    XCTAssertEqual(block, Array((i * total / count)..<((i + 1) * total / count)))
                    XCTAssertTrue(block.count == total / count || block.count == total / count + 1, "\(total) in \(count)")
                    covered += block
                }
                XCTAssertEqual(covered, Array(0..<total), "\(total) in \(count)")
            }
        }
        XCTAssertEqual(try ShardSpec.parseShard("1/3", environment: [:]).replicates(of: 10), [3, 4, 5])
        XCTAssertEqual(try ShardSpec.parseShard("2/3", environment: [:]).replicates(of: 10), [6, 7, 8, 9])
        XCTAssertEqual(ShardSpec.shard(index: 1, count: 4).output(for: "runs/x.h5"), "runs/x.shard-1-of-4.h5")
        XCTAssertEqual(ShardSpec.shard(index: 1, count: 4).commandLine, ["--shard", "1/4"])
    }

    func testShardFromTheSlurmArrayTaskID() throws {
        XCTAssertEqual(try ShardSpec.parseShard("env/4", environment: ["SLURM_ARRAY_TASK_ID": "3"]), .shard(index: 3, count: 4))
        assertShardError(try ShardSpec.parseShard("env/4", environment: [:]),
                         "--shard env/4: SLURM_ARRAY_TASK_ID is not set (it is set in Slurm array tasks); give the shard index instead, such as --shard 0/4")
        assertShardError(try ShardSpec.parseShard("env/4", environment: ["SLURM_ARRAY_TASK_ID": "x"]),
                         "--shard env/4: SLURM_ARRAY_TASK_ID is 'x', not a shard index")
        assertShardError(try ShardSpec.parseShard("env/4", environment: ["SLURM_ARRAY_TASK_ID": "4"]),
                         "--shard env/4: shard 4 does not exist: shards of 4 are numbered 0…3")
    }

    func testBadShards() {
        let expected = "expected i/n (shard i of n, counted from 0), such as 0/4, or env/n to read i from SLURM_ARRAY_TASK_ID"
        for text in ["", "1", "1/", "/4", "a/4", "1/0", "1/-2", "1/2/3", "env"] {
            assertShardError(try ShardSpec.parseShard(text, environment: [:]), "--shard \(text): \(expected)")
        }
        assertShardError(try ShardSpec.parseShard("-1/4", environment: [:]), "--shard -1/4: shard -1 does not exist: shards of 4 are numbered 0…3")
        assertShardError(try ShardSpec.parseShard("0/5", environment: [:]).replicates(of: 2),
                         "--shard 0/5: this shard has no replicates: 2 replicates in 5 shards leave some empty; use at most 2 shards")
    }

    // MARK: - Slurm scripts

    func job(perJob: Int = 2, replicates: Int = 5) -> SlurmJob {
        SlurmJob(executable: "/opt/autoparam/bin/autoparam", experimentFile: "/users/u/exp/seed.yaml", workingDirectory: "/users/u",
                 experimentName: "seed", replicates: replicates, perJob: perJob, directory: "/users/u/runs/seed-slurm",
                 runArguments: ["--replicates", "\(replicates)", "--set", "ga.tournaments=20", "--set", "name=it's"],
                 partition: "short", time: "02:00:00", cpusPerTask: 4, memory: "4G")
    }

    func testTheArrayScriptRunsOneShardPerTaskAndResumesItsPart() {
        let j = job()
        XCTAssertEqual(j.shards, 3)
        XCTAssertEqual(job(perJob: 1).shards, 5)
        XCTAssertEqual(job(perJob: 5).shards, 1)
        XCTAssertEqual(job(perJob: 7).shards, 1)
        for k in 1...6 {
            let shards = job(perJob: k).shards
            for i in 0..<shards { XCTAssertLessThanOrEqual(ShardSpec.block(index: i, count: shards, total: 5).count, k) }
        }
        XCTAssertEqual(j.partPath(shard: 2), "/users/u/runs/seed-slurm/parts/seed.shard-2-of-3.h5")
        XCTAssertEqual(j.mergedOutput, "/users/u/runs/seed-slurm/seed.h5")
        let script = j.arrayScript(generatedBy: "autoparam slurm exp/seed.yaml")
        let lines = script.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "#!/bin/bash")
        for expected in ["#SBATCH --job-name=autoparam-seed", "#SBATCH --array=0-2",
                         "#SBATCH --output=/users/u/runs/seed-slurm/logs/shard-%a-%A.out", "#SBATCH --chdir=/users/u",
                         "#SBATCH --partition=short", "#SBATCH --time=02:00:00", "#SBATCH --cpus-per-task=4", "#SBATCH --mem=4G",
                         "part=/users/u/runs/seed-slurm/parts/seed.shard-\"${SLURM_ARRAY_TASK_ID}\"-of-3.h5",
                         "if [ -e \"$part\" ]; then resume=1; echo \"resuming $part\"; fi",
                         "exec /opt/autoparam/bin/autoparam run /users/u/exp/seed.yaml --shard env/3 --output \"$part\" --quiet ${resume:+--resume} --replicates 5 --set ga.tournaments=20 --set 'name=it'\\''s'"] {
            XCTAssertTrue(lines.contains(expected), "missing \(expected) in\n\(script)")
        }
        // Every #SBATCH line comes before the first command.
        let firstCommand = lines.firstIndex { !$0.hasPrefix("#") }!
        XCTAssertTrue(lines[firstCommand...].allSatisfy { !$0.hasPrefix("#SBATCH") })
    }

    func testTheMergeScriptMergesEveryPartStrictly() {
        let script = job().mergeScript()
        let lines = script.split(separator: "\n").map(String.init)
        for expected in ["#SBATCH --job-name=autoparam-seed-merge", "#SBATCH --output=/users/u/runs/seed-slurm/logs/merge-%j.out",
                         "#SBATCH --cpus-per-task=1", "exec /opt/autoparam/bin/autoparam merge \\",
                         "    /users/u/runs/seed-slurm/parts/seed.shard-0-of-3.h5 \\",
                         "    /users/u/runs/seed-slurm/parts/seed.shard-2-of-3.h5 \\",
                         "    --output /users/u/runs/seed-slurm/seed.h5 --force --strict"] {
            XCTAssertTrue(lines.contains(expected), "missing \(expected) in\n\(script)")
        }
        XCTAssertFalse(script.contains("--array"))
    }

    func testShellQuoting() {
        XCTAssertEqual(shellQuote("ga.tournaments=20"), "ga.tournaments=20")
        XCTAssertEqual(shellQuote("/a b/c"), "'/a b/c'")
        XCTAssertEqual(shellQuote("it's"), "'it'\\''s'")
        XCTAssertEqual(shellQuote("record.spikes=[DN]"), "'record.spikes=[DN]'")
        XCTAssertEqual(shellQuote("$HOME"), "'$HOME'")
        XCTAssertEqual(shellQuote(""), "''")
    }
}
