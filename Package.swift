// swift-tools-version:6.0
//
// autoparam: evolve the hyperparameters of a spiking mushroom-body network with a microbial
// genetic algorithm, simulate with GeNN 4 semantics, and record everything to HDF5.
//
// The architecture reads top to bottom: the libraries with no file formats (Randomness,
// Spiking, Evolution, Datasets), the HDF5 binding, the domain module that ties them together,
// the executables, then the tests. Each module folder has a README saying what it owns.
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
    ],
    targets: [
        // MARK: - Libraries with no file formats

        /// Seeded pseudo-random generators and the seed tree (master → replicate → evaluation).
        .target(name: "Randomness", exclude: ["README.md"], swiftSettings: fastMath),
        /// The spiking-network simulator with GeNN 4 semantics (design/model.md).
        .target(name: "Spiking", dependencies: ["Randomness"], exclude: ["README.md"], swiftSettings: fastMath),
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

        // MARK: - Domain

        /// The mushroom body, protocol, rubrics, experiment files, runner, run file and reports.
        .target(
            name: "Autoparam",
            dependencies: [
                "Spiking", "Evolution", "Datasets", "HDF5", "Randomness",
                .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["README.md"],
            swiftSettings: fastMath
        ),

        // MARK: - Executables

        /// The command line: evaluate, neuron, run, validate, inspect, report, export-genn.
        .executableTarget(
            name: "autoparam",
            dependencies: [
                "Autoparam", "Spiking", "Randomness", "Datasets",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        /// Release-build benchmarks: `swift run -c release autoparam-bench`.
        .executableTarget(
            name: "autoparam-bench",
            dependencies: [
                "Autoparam", "Spiking", "HDF5",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fastMath
        ),

        // MARK: - Tests

        .testTarget(name: "SpikingTests", dependencies: ["Spiking", "Randomness"]),
        .testTarget(name: "EvolutionTests", dependencies: ["Evolution", "Randomness"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets"]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5"]),
        .testTarget(name: "AutoparamTests", dependencies: ["Autoparam", "Spiking", "Evolution", "Datasets", "HDF5"]),
        .testTarget(name: "CLITests", dependencies: ["autoparam"]),
    ]
)
