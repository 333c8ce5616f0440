import AssayExtraction
import AssayRenderers
import AssayRules
import AssayValues
import Foundation

/// Times each pipeline stage over in-memory inputs: p50/p99 milliseconds per document, throughput and peak RSS.
public struct PipelineBench: Sendable {
    /// The rule sets every document is checked with.
    public var ruleSets: [RuleSet]

    /// Where earlier bulletins are read (`assay bench --state DIR`): `progress` rules compare, and the
    /// evaluate stage includes the lookup. Nil: no history.
    public var history: (any BulletinHistory)?

    /// A benchmark checking with `ruleSets`.
    public init(ruleSets: [RuleSet]) { self.ruleSets = ruleSets }

    /// Timings of one benchmark run.
    public struct Result: Sendable {
        /// The number of input documents.
        public var documents: Int
        /// The total size of the inputs in bytes, for one pass over them.
        public var bytes: Int
        /// How many passes were made over the inputs (at least 1).
        public var iterations: Int
        /// Stage name → per-document milliseconds, sorted.
        public var stages: [(String, [Double])]
        /// The process's peak resident set size so far (VmHWM, read at the end of the run), in KiB; 0 when unreadable.
        public var peakRSSKiB: Int

        func percentile(_ xs: [Double], _ p: Double) -> Double {
            guard !xs.isEmpty else { return 0 }
            return xs[min(xs.count - 1, Int((Double(xs.count) * p).rounded(.up)) - 1)]
        }

        func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }

        var totalSeconds: Double { (stages.first { $0.0 == "total" }?.1.reduce(0, +) ?? 0) / 1000 }

        /// A table of p50, p99 and mean milliseconds per stage, then throughput (documents/s, MB/s) and peak RSS.
        public var text: String {
            var out = "documents: \(documents)  iterations: \(iterations)  bytes per pass: \(bytes)\n"
            out += "stage        p50 ms    p99 ms   mean ms\n"
            for (name, xs) in stages {
                out +=
                    name.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + String(format: "%9.3f %9.3f %9.3f", percentile(xs, 0.5), percentile(xs, 0.99), mean(xs)) + "\n"
            }
            let n = Double(documents * iterations)
            out += String(
                format: "throughput: %.0f documents/s, %.2f MB/s\n", n / totalSeconds,
                Double(bytes * iterations) / 1e6 / totalSeconds)
            out += "peak RSS: \(peakRSSKiB / 1024) MiB\n"
            return out
        }

        /// The same figures as JSON: documents, iterations, bytes, stages (p50_ms, p99_ms, mean_ms),
        /// documents_per_second, mb_per_second, peak_rss_kib.
        public var json: JSONValue {
            let n = Double(documents * iterations)
            func num(_ d: Double) -> JSONValue { .number(Decimal(string: String(format: "%.4f", d)) ?? 0) }
            return .object([
                ("documents", .int(documents)), ("iterations", .int(iterations)), ("bytes", .int(bytes)),
                (
                    "stages",
                    .object(
                        stages.map {
                            (
                                $0.0,
                                .object([
                                    ("p50_ms", num(percentile($0.1, 0.5))), ("p99_ms", num(percentile($0.1, 0.99))),
                                    ("mean_ms", num(mean($0.1))),
                                ])
                            )
                        })
                ),
                ("documents_per_second", num(n / totalSeconds)),
                ("mb_per_second", num(Double(bytes * iterations) / 1e6 / totalSeconds)),
                ("peak_rss_kib", .int(peakRSSKiB)),
            ])
        }
    }

    /// `renders`: report formats whose rendering (to bytes, as the daemon writes them) is timed too,
    /// each as its own stage after `total`.
    public func run(inputs: [(String, [UInt8])], iterations: Int, renders: [ReportFormat] = []) throws -> Result {
        let extractor = FactExtractor()
        var pipeline = Pipeline(ruleSets: ruleSets)
        pipeline.history = history
        var decode = [Double]()
        var segment = [Double]()
        var extract = [Double]()
        var evaluate = [Double]()
        var total = [Double]()
        var rendered = [[Double]](repeating: [], count: renders.count)
        let renderers = renders.map(\.renderer)
        let clock = ContinuousClock()
        func ms(_ d: Duration) -> Double {
            Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        }
        for _ in 0..<max(1, iterations) {
            for (name, bytes) in inputs {
                let t0 = clock.now
                let decoded = try pipeline.decode(bytes, name: name, sha256: nil)
                let t1 = clock.now
                let doc = Document(name: name, decoded: decoded)
                let t2 = clock.now
                let ex = extractor.extract(doc)
                let t3 = clock.now
                let result = pipeline.check(document: doc, extraction: ex)
                let t4 = clock.now
                decode.append(ms(t1 - t0)); segment.append(ms(t2 - t1)); extract.append(ms(t3 - t2))
                evaluate.append(ms(t4 - t3)); total.append(ms(t4 - t0))
                for (k, renderer) in renderers.enumerated() {
                    let r0 = clock.now
                    let bytes = renderer.renderBytes(result.report, document: doc, ruleSets: ruleSets)
                    rendered[k].append(ms(clock.now - r0))
                    precondition(!bytes.isEmpty)
                }
            }
        }
        return Result(
            documents: inputs.count, bytes: inputs.reduce(0) { $0 + $1.1.count }, iterations: max(1, iterations),
            stages: [
                ("decode", decode.sorted()), ("segment", segment.sorted()), ("extract", extract.sorted()),
                ("evaluate", evaluate.sorted()), ("total", total.sorted()),
            ]
                + zip(renders, rendered).map { ($0.0.rawValue, $0.1.sorted()) },
            peakRSSKiB: Self.peakRSSKiB())
    }

    /// VmHWM from /proc/self/status (Linux), in KiB.
    public static func peakRSSKiB() -> Int {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }
}
