// swift-tools-version:6.0
//
// autoparam: evolve the hyperparameters of a spiking mushroom-body network with a microbial
// genetic algorithm, simulate with GeNN 4 semantics, and record everything to HDF5.
//
// The architecture reads top to bottom, each module depending only on those above it: the
// libraries with no file formats (Randomness, Spiking, Evolution, Datasets), the HDF5 binding,
// the science (MushroomBodyModel, no file formats either), the files (ExperimentFiles in,
// RunFile out), the work on them (Runner, Analysis, Cluster), the executables, then test
// support and the tests. Each module folder has a README saying what it owns and may import.
import PackageDescription

/// Hot loops (the TraubMiles substeps) are written for wide SIMD; let the compiler use the
/// whole vector unit of the machine it builds on. Results do not depend on the width: every
/// float operation is elementwise IEEE arithmetic with no contraction or reassociation.
let fastMath: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "native"], .when(configuration: .release)),
]

let package = Package(
    name: "autoparam",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "autoparam", targets: ["autoparam"]),
        .library(name: "Spiking", targets: ["Spiking"]),
        .library(name: "Evolution", targets: ["Evolution"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
    ],
    targets: [
        // MARK: - Libraries with no file formats

        /// Seeded pseudo-random generators and the seed tree (master → replicate → evaluation).
        .target(name: "Randomness", exclude: ["README.md"], swiftSettings: fastMath),
        /// The spiking-network simulator with GeNN 4 semantics (docs/model.md); its steps can be
        /// shared among threads (swift-atomics for the barrier) with bit-identical results.
        .target(
            name: "Spiking",
            dependencies: ["Randomness", .product(name: "Atomics", package: "swift-atomics")],
            exclude: ["README.md"],
            swiftSettings: fastMath
        ),
        /// Genes, priors and the microbial genetic algorithm, generic over the fitness function.
        .target(name: "Evolution", dependencies: ["Randomness"], exclude: ["README.md"], swiftSettings: fastMath),
        /// zlib from the system (Debian's zlib1g-dev), to read gzip-compressed IDX files.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        /// Labelled 28×28 image sets: the embedded generator and the CSV and IDX loaders.
        .target(name: "Datasets", dependencies: ["Randomness", "CZlib"], exclude: ["README.md"], swiftSettings: fastMath),

        // MARK: - HDF5 binding

        /// The C library (Debian's libhdf5-dev) and a shim for the macros Swift cannot import.
        .systemLibrary(
            name: "CHDF5",
            pkgConfig: "hdf5",
            providers: [.apt(["libhdf5-dev"])]
        ),
        /// A thin, safe Swift layer over CHDF5: files, groups, attributes, datasets.
        .target(name: "HDF5", dependencies: ["CHDF5"], exclude: ["README.md"]),

        // MARK: - The science: the mushroom body and its evaluation (no file formats)

        /// The mushroom-body network: every parameter by name, the builder, the input encoding,
        /// the protocol run for one genotype, the rubrics and the evaluation results.
        .target(
            name: "MushroomBodyModel",
            dependencies: ["Spiking", "Randomness"],
            exclude: ["README.md"],
            swiftSettings: fastMath
        ),

        // MARK: - Files: experiments in, run files out

        /// Experiment files (YAML): the schema, the parser, validation and the resolved text.
        .target(
            name: "ExperimentFiles",
            dependencies: [
                "MushroomBodyModel", "Evolution", "Datasets",
                .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["README.md"]
        ),
        /// The HDF5 run file: its records, the recorder (writer) and the reader.
        .target(name: "RunFile", dependencies: ["MushroomBodyModel", "HDF5"], exclude: ["README.md"]),

        // MARK: - Work on run files

        /// Seeded replicates: the GA loop, the evaluation pool, progress, stop and resume.
        .target(
            name: "Runner",
            dependencies: ["MushroomBodyModel", "ExperimentFiles", "RunFile", "Evolution", "Datasets", "Randomness"],
            exclude: ["README.md"],
            swiftSettings: fastMath
        ),
        /// Reading finished or live runs: inspect, report (text, JSON, CSV, HTML), compare and
        /// list runs, and the PyGeNN export.
        .target(
            name: "Analysis",
            dependencies: ["MushroomBodyModel", "ExperimentFiles", "RunFile", "Evolution", "Randomness"],
            exclude: ["README.md"]
        ),
        /// Runs split over a cluster: shard plans, merging shard files, Slurm job scripts.
        .target(name: "Cluster", dependencies: ["Runner", "RunFile", "HDF5"], exclude: ["README.md"]),

        // MARK: - Executables

        /// The command line: run, validate, inspect, report, compare, runs, export-genn, merge,
        /// slurm, evaluate, neuron, parameters.
        .executableTarget(
            name: "autoparam",
            dependencies: [
                "MushroomBodyModel", "ExperimentFiles", "RunFile", "Runner", "Analysis", "Cluster",
                "Spiking", "Randomness", "Datasets",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        /// Release-build benchmarks: `swift run -c release autoparam-bench`.
        .executableTarget(
            name: "autoparam-bench",
            dependencies: [
                "MushroomBodyModel", "ExperimentFiles", "RunFile", "Runner", "Spiking", "Randomness", "HDF5",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fastMath
        ),

        // MARK: - Test support (not part of the product)

        /// A run-file writer for the kill tests: it exercises the recorder's HDF5 settings as
        /// fast as it can so that a SIGKILL lands inside HDF5 calls.
        .target(name: "RunFileTestSupport", dependencies: ["HDF5", "RunFile"], path: "Tests/RunFileTestSupport", exclude: ["README.md"]),

        // MARK: - Tests

        .testTarget(name: "SpikingTests", dependencies: ["Spiking", "Randomness"]),
        .testTarget(name: "EvolutionTests", dependencies: ["Evolution", "Randomness"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets"]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5"]),
        .testTarget(
            name: "AutoparamTests",
            dependencies: [
                "MushroomBodyModel", "ExperimentFiles", "RunFile", "Runner", "Analysis", "Cluster",
                "RunFileTestSupport", "Spiking", "Evolution", "Datasets", "HDF5",
            ]
        ),
        .testTarget(name: "CLITests", dependencies: ["autoparam"]),
    ]
)
