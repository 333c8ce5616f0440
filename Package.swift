// swift-tools-version:6.0
import PackageDescription

// Linux only (Debian 12 with Swift 6 is what is built and tested): the daemon and the edge use Glibc,
// inotify, syncfs(2) and systemd's notify socket, so no Apple platform is declared.
/// Release builds optimise across the package's targets, as they did when it was one module: without it the
/// hot loops of extraction and evaluation call small helpers of `AssayValues` through the module boundary
/// (docs/benchmarks.md, "Targets and cross-module optimisation").
let crossModule: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "Assay",
    products: [
        .executable(name: "assay", targets: ["assay"]),
        .library(name: "AssayValues", targets: ["AssayValues"]),
        .library(name: "AssayExtraction", targets: ["AssayExtraction"]),
        .library(name: "AssayRules", targets: ["AssayRules"]),
        .library(name: "AssayRenderers", targets: ["AssayRenderers"]),
        .library(name: "AssayEdge", targets: ["AssayEdge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    ],
    // The targets follow the data flow, each depending only on those before it, so the compiler forbids
    // cycles: values → extraction → rules → renderers → edge → tooling, store, daemon → the command line.
    targets: [
        // The regular-expression engine over Unicode scalars for rule patterns (ScalarRegex), ICU's results
        // without bridging to UTF-16; kept by measurement (docs/benchmarks.md, "ScalarRegex against ICU").
        .target(name: "AssayRegex", dependencies: ["CAssayNative"]),
        // Values with no I/O: decoded text and spans, calendar dates, measures and money, the outcome and
        // report model, the JSON value and writer, the YAML reader with positions for diagnostics.
        .target(
            name: "AssayValues",
            dependencies: [
                .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
                "CAssayNative",
            ]
        ),
        // The document (sections, items, sentences, metadata, genre) and the facts mined from it.
        .target(name: "AssayExtraction", dependencies: ["AssayValues"]),
        // Rule sets, their loader, the evaluator, waivers and the pipeline that strings the stages together.
        // libxml2 (Debian's libxml2-dev): its HTML parser reads bulletins saved from web pages.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // Input formats other than plain text, converted to the text the pipeline reads: HTML, DOCX, PDF,
        // OFD; zips read by ZIPFoundation, XML and HTML by libxml2, PDF by poppler and OCR by tesseract.
        .target(
            name: "AssayFormats",
            dependencies: ["AssayValues", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Links the ICU that Foundation ships, to name ICU's reason when a rule pattern does not compile.
        .target(
            name: "AssayRules", dependencies: ["AssayValues", "AssayExtraction", "AssayRegex", "AssayFormats"],
            linkerSettings: [.linkedLibrary("_FoundationICU", .when(platforms: [.linux]))]),
        // The report formats: text, JSON, Markdown, HTML, SARIF.
        .target(name: "AssayRenderers", dependencies: ["AssayValues", "AssayExtraction", "AssayRules"]),
        // The I/O edge shared by the command line and the daemon: inbox name rules, report naming and the
        // outbox writer.
        .target(name: "AssayEdge", dependencies: ["AssayValues", "AssayRenderers", "CAssayNative"]),
        // Tools on top: the rule test runner and the pipeline benchmark.
        .target(
            name: "AssayTooling",
            dependencies: ["AssayValues", "AssayExtraction", "AssayRules", "AssayRenderers"]
        ),
        // The little C the daemon needs: syncfs(2), which the Glibc module does not declare.
        .target(name: "CAssayNative"),
        // The bundled rule sets live at the repository root (`Rules/`) where reviewers find them;
        // this target ships them as package resources so `swift run assay …` finds them anywhere.
        .target(
            name: "AssayBundledRules",
            path: "Rules",
            sources: ["BundledRules.swift"],
            resources: [
                .copy("xunshi-progress.yml"), .copy("chongqing-sample.yml"), .copy("audit-rectification.yml"),
                .copy("series-progress.yml"),
                .copy("tests"), .copy("schema"), .copy("calendars"),
            ]
        ),
        // The SQLite state store: documents by content hash, runs, outcomes, facts.
        .target(
            name: "AssayStore",
            dependencies: [
                "AssayValues", "AssayExtraction", "AssayRules", "AssayEdge",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The review pages over the store (`assay serve`): Hummingbird 2, pages rendered in Swift, no
        // external assets; uploads read by MultipartKit; passwords checked with bcrypt (HummingbirdBcrypt).
        .target(
            name: "AssayReview",
            dependencies: [
                "AssayValues", "AssayExtraction", "AssayRenderers", "AssayStore", "AssayEdge", "AssayFormats",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The inbox daemon: watcher, intake, worker pool, rule reloader, systemd notifier.
        .target(
            name: "AssayDaemon",
            dependencies: [
                "AssayValues", "AssayExtraction", "AssayRules", "AssayRenderers", "AssayEdge", "AssayStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "assay",
            dependencies: [
                "AssayValues", "AssayExtraction", "AssayRules", "AssayRenderers", "AssayEdge", "AssayTooling",
                "AssayBundledRules", "AssayStore", "AssayDaemon", "AssayReview",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What every test target shares, each defined once: the repository root, the runner of the built
        // `assay`, the seeded random generator, ICU's UTF-16 offsets as scalars, waiting for an event with a
        // deadline, and places marked in test texts. Foundation only (no Assay target).
        .target(name: "AssayTestSupport", path: "Tests/AssayTestSupport"),
        .testTarget(
            name: "AssayCoreTests",
            dependencies: [
                "AssayValues", "AssayExtraction", "AssayRules", "AssayRenderers", "AssayEdge", "AssayTooling",
                "AssayRegex", "AssayBundledRules", "AssayTestSupport", "AssayFormats",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Fixtures")]
        ),
        // ScalarRegex against ICU on seeded random patterns and texts.
        .testTarget(name: "AssayRegexTests", dependencies: ["AssayRegex", "AssayTestSupport"]),
        // The daemon and CLI tests run the built `assay`: depending on the executable target has SwiftPM
        // build it, beside the test bundle, before the tests.
        .testTarget(
            name: "AssayDaemonTests",
            dependencies: [
                "AssayValues", "AssayExtraction", "AssayRules", "AssayRenderers", "AssayEdge", "AssayStore",
                "AssayDaemon", "AssayTooling",
                "AssayTestSupport", "assay",
            ]
        ),
        // The review pages through Hummingbird's test client: every page and action, the security cases.
        .testTarget(
            name: "AssayReviewTests",
            dependencies: [
                "AssayValues", "AssayRules", "AssayStore", "AssayReview", "AssayTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "AssayCLITests",
            dependencies: ["AssayValues", "AssayRules", "AssayEdge", "AssayReview", "AssayTestSupport", "assay"],
            resources: [.copy("Fixtures")]
        ),
    ]
)

for target in package.targets where target.type != .test && target.type != .system && target.name != "CAssayNative" {
    target.swiftSettings = (target.swiftSettings ?? []) + crossModule
}
