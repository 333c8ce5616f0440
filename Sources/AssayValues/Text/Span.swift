/// A stretch of a bulletin's decoded text. All four numbers count Unicode scalars;
/// `line` and `column` are 1-based, `offset` is 0-based. A leading byte-order mark is not counted.
public struct Span: Sendable, Hashable, Codable, Comparable {
    public var line: Int
    public var column: Int
    public var offset: Int
    public var length: Int

    public init(line: Int, column: Int, offset: Int, length: Int) {
        self.line = line
        self.column = column
        self.offset = offset
        self.length = length
    }

    public var end: Int { offset + length }
    public var range: Range<Int> { offset..<(offset + length) }

    public static func < (a: Span, b: Span) -> Bool {
        (a.offset, a.length) < (b.offset, b.length)
    }
}
