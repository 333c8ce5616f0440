/// A stretch of a bulletin's decoded text. All four numbers count Unicode scalars;
/// `line` and `column` are 1-based, `offset` is 0-based. A leading byte-order mark is not counted.
public struct Span: Sendable, Hashable, Codable, Comparable {
    /// The 1-based line of the span's first scalar.
    public var line: Int
    /// The 1-based column of the span's first scalar, in scalars.
    public var column: Int
    /// The 0-based offset of the span's first scalar in the decoded text.
    public var offset: Int
    /// The number of scalars in the span.
    public var length: Int

    /// A span at a place in the decoded text.
    public init(line: Int, column: Int, offset: Int, length: Int) {
        self.line = line
        self.column = column
        self.offset = offset
        self.length = length
    }

    /// The 0-based offset just past the span's last scalar.
    public var end: Int { offset + length }
    /// The offsets the span covers, `offset..<end`.
    public var range: Range<Int> { offset..<(offset + length) }

    /// Orders by offset, then the shorter span first.
    public static func < (a: Span, b: Span) -> Bool {
        (a.offset, a.length) < (b.offset, b.length)
    }
}
