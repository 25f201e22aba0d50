// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "lossfit",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lossfit", targets: ["lossfit"]),
        .library(name: "ScalingLaws", targets: ["ScalingLaws"]),
        .library(name: "HyperparameterLaws", targets: ["HyperparameterLaws"]),
        .library(name: "NonlinearLeastSquares", targets: ["NonlinearLeastSquares"]),
        .library(name: "SeededRandom", targets: ["SeededRandom"]),
        .library(name: "TrainingSimulation", targets: ["TrainingSimulation"]),
        .library(name: "TrainingLogs", targets: ["TrainingLogs"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "LossFitWorkflows", targets: ["LossFitWorkflows"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLAPACKE",
            pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev"])]
        ),
        .target(name: "LinearAlgebra", dependencies: ["CLAPACKE"]),
        .target(
            name: "TrainingLogs",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["TensorBoard/Proto"]),
        .target(name: "NonlinearLeastSquares", dependencies: ["LinearAlgebra"]),
        .target(name: "SeededRandom"),
        .target(name: "ScalingLaws", dependencies: ["LinearAlgebra", "NonlinearLeastSquares", "SeededRandom"]),
        .target(name: "HyperparameterLaws", dependencies: ["NonlinearLeastSquares", "SeededRandom"]),
        .target(name: "TrainingSimulation", dependencies: ["ScalingLaws", "SeededRandom"]),
        .target(name: "LossFitReports", dependencies: ["ScalingLaws", "HyperparameterLaws"]),
        .target(name: "LossFitWorkflows", dependencies: ["ScalingLaws", "HyperparameterLaws", "NonlinearLeastSquares", "TrainingSimulation", "TrainingLogs"]),
        .executableTarget(
            name: "lossfit",
            dependencies: [
                "LossFitWorkflows",
                "LossFitReports",
                "ScalingLaws",
                "HyperparameterLaws",
                "NonlinearLeastSquares",
                "TrainingSimulation",
                "TrainingLogs",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
        .testTarget(name: "TrainingLogsTests", dependencies: ["TrainingLogs", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "SeededRandomTests", dependencies: ["SeededRandom"]),
        .testTarget(name: "NonlinearLeastSquaresTests", dependencies: ["NonlinearLeastSquares", "LinearAlgebra", "TestSupport"]),
        .testTarget(
            name: "ScalingLawsTests",
            dependencies: ["ScalingLaws", "NonlinearLeastSquares", "TrainingLogs", "TestSupport"],
            exclude: ["References"]),
        .testTarget(
            name: "HyperparameterLawsTests",
            dependencies: ["HyperparameterLaws", "TrainingLogs", "TestSupport"],
            exclude: ["References"]),
        .testTarget(
            name: "TrainingSimulationTests",
            dependencies: ["TrainingSimulation", "ScalingLaws", "HyperparameterLaws", "SeededRandom", "TrainingLogs", "TestSupport"]),
        .testTarget(name: "LossFitReportsTests", dependencies: ["LossFitReports", "TestSupport"]),
        .testTarget(name: "LossFitWorkflowsTests", dependencies: ["LossFitWorkflows", "LossFitReports", "HyperparameterLaws", "ScalingLaws", "TrainingLogs", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "LossfitCLITests", dependencies: ["TestSupport"]),
    ]
)
