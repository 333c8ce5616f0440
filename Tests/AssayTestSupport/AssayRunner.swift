import Foundation

/// The `assay` executable of the configuration under test: the one beside the running test bundle, in the
/// same `.build/<triple>/<configuration>/` folder (the test targets that run it depend on it, so SwiftPM
/// builds it first). `ASSAY_BINARY` overrides it.
public enum AssayBinary {
    /// The executable found (or given by `ASSAY_BINARY`); the tests stop with a clear message when there is none.
    public static let url: URL = {
        let fm = FileManager.default
        if let given = ProcessInfo.processInfo.environment["ASSAY_BINARY"], !given.isEmpty {
            return URL(fileURLWithPath: given)
        }
        var candidates = [URL]()
        // The running test process: `<config>/AssayPackageTests.xctest` (or a runner beside it).
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        candidates.append(exe.deletingLastPathComponent().appendingPathComponent("assay"))
        if let first = CommandLine.arguments.first {
            let arg0 = URL(fileURLWithPath: first).resolvingSymlinksInPath()
            candidates.append(arg0.deletingLastPathComponent().appendingPathComponent("assay"))
            // A bundle folder (`….xctest/Contents/MacOS/…` style layouts): walk up to the `.xctest`'s folder.
            var dir = arg0.deletingLastPathComponent()
            while dir.path != "/" {
                if dir.pathExtension == "xctest" {
                    candidates.append(dir.deletingLastPathComponent().appendingPathComponent("assay"))
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        guard let found = candidates.first(where: { fm.isExecutableFile(atPath: $0.path) }) else {
            preconditionFailure(
                """
                no assay executable beside the test bundle (looked at \(candidates.map(\.path).joined(separator: ", "))); \
                build it with `swift build --build-tests` or set ASSAY_BINARY
                """)
        }
        return found
    }()

    /// `url` as a file-system path.
    public static var path: String { url.path }
}

/// What a finished run of `assay` gave: its exit status and everything it wrote.
public struct AssayRun: Sendable {
    /// The exit status (`Process.terminationStatus`: the signal number when it was killed by one).
    public var status: Int32
    /// Everything written to standard output, as UTF-8.
    public var stdout: String
    /// Everything written to standard error, as UTF-8.
    public var stderr: String
}

/// Runs the built `assay` with `arguments` to its end. Standard output and standard error are read at the
/// same time (one on another thread), so a child writing more than a pipe holds to either never blocks.
/// The environment is the test's, with `environment` over it.
public func runAssay(
    _ arguments: [String], cwd: URL? = nil, environment: [String: String] = [:],
    stdin: Data? = nil
) throws -> AssayRun {
    try runProcess(AssayBinary.url, arguments, cwd: cwd, environment: environment, stdin: stdin)
}

/// Runs any executable to its end, reading its standard output and standard error concurrently.
public func runProcess(
    _ executable: URL, _ arguments: [String], cwd: URL? = nil, environment: [String: String] = [:],
    stdin: Data? = nil
) throws -> AssayRun {
    let p = Process()
    p.executableURL = executable
    p.arguments = arguments
    if let cwd { p.currentDirectoryURL = cwd }
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let input = stdin.map { _ in Pipe() }
    p.standardInput = input ?? FileHandle.nullDevice
    try p.run()
    let errData = Collected()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData.set(err.fileHandleForReading.readDataToEndOfFile())
        group.leave()
    }
    if let input, let stdin {
        group.enter()
        DispatchQueue.global().async {
            input.fileHandleForWriting.write(stdin)
            try? input.fileHandleForWriting.close()
            group.leave()
        }
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return AssayRun(
        status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData.get(), as: UTF8.self))
}

/// Bytes handed from the reading thread to the caller.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
