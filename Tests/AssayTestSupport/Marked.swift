/// Places marked inside a test text instead of counted by hand: `‸` marks a point, `⟦…⟧` a stretch.
/// The markers are taken out; what is left is the text under test, and each mark's place in it.
/// Lines and columns are 1-based and count Unicode scalars (as Assay's spans do); offsets are 0-based
/// scalar offsets into the clean text.
public struct MarkedText: Sendable {
    /// A place in the clean text.
    public struct Place: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var offset: Int
        public init(line: Int, column: Int, offset: Int) {
            self.line = line
            self.column = column
            self.offset = offset
        }
        public var description: String { "\(line):\(column)" }
    }

    /// A `⟦…⟧` stretch: where it starts and how many scalars it holds.
    public struct Stretch: Sendable, Equatable {
        public var start: Place
        public var length: Int
        public var range: Range<Int> { start.offset..<(start.offset + length) }
        public var line: Int { start.line }
        public var column: Int { start.column }
        public var offset: Int { start.offset }
    }

    /// The text without its markers.
    public var text: String
    /// The `‸` marks, in order.
    public var points: [Place]
    /// The `⟦…⟧` marks, in the order they open (they may nest).
    public var stretches: [Stretch]

    public init(_ marked: String) {
        var out = String.UnicodeScalarView()
        var points = [Place](), stretches = [Stretch](), open = [(index: Int, place: Place)]()
        var line = 1, column = 1, offset = 0
        for s in marked.unicodeScalars {
            let here = Place(line: line, column: column, offset: offset)
            switch s {
            case "‸": points.append(here)
            case "⟦":
                open.append((stretches.count, here))
                stretches.append(Stretch(start: here, length: -1))
            case "⟧":
                guard let o = open.popLast() else { preconditionFailure("⟧ without ⟦ in a marked text") }
                stretches[o.index].length = offset - o.place.offset
            default:
                out.append(s)
                offset += 1
                if s == "\n" { line += 1; column = 1 } else { column += 1 }
            }
        }
        precondition(open.isEmpty, "⟦ without ⟧ in a marked text")
        text = String(out)
        self.points = points
        self.stretches = stretches
    }

    /// "file:line:column", the way rule-file errors begin, for the `n`th `‸` mark.
    public func at(_ file: String, _ n: Int = 0) -> String { "\(file):\(points[n].line):\(points[n].column)" }
}

/// The text without its `‸` markers, and the 1-based line and column of each marker.
public func marked(_ text: String) -> (text: String, places: [(line: Int, column: Int)]) {
    let m = MarkedText(text)
    return (m.text, m.points.map { ($0.line, $0.column) })
}
