/// A problem in a rule, waiver or configuration file, with its place: `file:line:column: error: message`.
public struct FileDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as named in messages.
    public var file: String
    /// The 1-based line of the problem.
    public var line: Int
    /// The 1-based column of the problem.
    public var column: Int
    /// What is wrong, for people (without the place, which `description` adds).
    public var message: String

    /// A problem at `file:line:column`.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: error: message`, the form compilers and editors recognise.
    public var description: String { "\(file):\(line):\(column): error: \(message)" }

    /// `file:line:column: message`: the problem where a log line already says it is an error.
    public var located: String { "\(file):\(line):\(column): \(message)" }
}

/// Suggests the closest known word for a misspelt key ("sevrity" → "severity").
public enum DidYouMean {
    /// The candidate closest to `word` by edit distance, ignoring case, when it is within max(2, a third of
    /// the word's length) edits; nil when there are no candidates or none is that close. Ties go to the first.
    public static func suggest(_ word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, word.count / 3) ? best.0 : nil
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a)
        let y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count)
        for i in 1...x.count {
            var cur = [i] + Array(repeating: 0, count: y.count)
            for j in 1...y.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[y.count]
    }
}
