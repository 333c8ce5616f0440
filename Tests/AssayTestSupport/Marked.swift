/// Places marked inside a test text instead of counted by hand: `‸` marks a point, `⟦…⟧` a stretch.
/// The markers are taken out; what is left is the text under test, and each mark's place in it.
/// Lines and columns are 1-based and count Unicode scalars (as Assay's spans do); offsets are 0-based
/// scalar offsets into the clean text.
public struct MarkedText: Sendable {
    /// A place in the clean text.
    public struct Place: Sendable, Equatable, CustomStringConvertible {
        /// 1-based line.
        public var line: Int
        /// 1-based column, in Unicode scalars.
        public var column: Int
        /// 0-based scalar offset into the clean text.
        public var offset: Int
        /// A place at the given line, column and offset.
        public init(line: Int, column: Int, offset: Int) {
            self.line = line
            self.column = column
            self.offset = offset
        }
        /// `line:column`, as Assay writes places in messages.
        public var description: String { "\(line):\(column)" }
    }

    /// A `⟦…⟧` stretch: where it starts and how many scalars it holds.
    public struct Stretch: Sendable, Equatable {
        /// Where the stretch starts.
        public var start: Place
        /// How many scalars it holds.
        public var length: Int
        /// Its scalar offsets in the clean text.
        public var range: Range<Int> { start.offset..<(start.offset + length) }
        /// The line it starts on.
        public var line: Int { start.line }
        /// The column it starts at.
        public var column: Int { start.column }
        /// The offset it starts at.
        public var offset: Int { start.offset }
    }

    /// The text without its markers.
    public var text: String
    /// The `‸` marks, in order.
    public var points: [Place]
    /// The `⟦…⟧` marks, in the order they open (they may nest).
    public var stretches: [Stretch]

    /// Takes the markers out of `marked`, recording each one's place.
    public init(_ marked: String) {
        var out = String.UnicodeScalarView()
        var points = [Place]()
        var stretches = [Stretch]()
        var open = [(index: Int, place: Place)]()
        var line = 1
        var column = 1
        var offset = 0
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
