import Foundation

/// The repository root (the folder holding `Package.swift`), found once from this file's place:
/// `Tests/AssayTestSupport/RepositoryRoot.swift`. Every test reaches `Samples/`, `Rules/`, fixtures and
/// docs through it, so no test carries a machine path or finds the root on its own.
public let repoRoot: URL = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    precondition(
        FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path),
        "no Package.swift at \(root.path): AssayTestSupport moved?")
    return root
}()

/// A path inside the repository, e.g. `repoPath("Samples/x.txt")`.
public func repoPath(_ relative: String) -> String { repoRoot.appendingPathComponent(relative).path }

/// The sample bulletin every suite checks.
public let samplePath = repoPath("Samples/chongqing-2021-01-05-xunshi-progress.txt")

/// The one golden copy of the sample's reports (every format), kept with the AssayCoreTests fixtures and
/// reached from any test target by its repository path.
public let reportGoldenFolder = repoRoot.appendingPathComponent("Tests/AssayCoreTests/Fixtures/reports")
