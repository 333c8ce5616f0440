import Foundation

/// JSON written straight into bytes as it is produced, without building a tree: two-space indentation or
/// none, `{}` and `[]` when empty, `"key": value`. `JSONValue.renderedBytes` lays trees out through it too.
///
/// Why beside `JSONValue`: a report written through a `JSONValue` tree spent as much on making the tree
/// and freeing it again as on the writing (about 0.5 M of a bulletin's 9 M instructions, callgrind on the
/// batch's corpus, 2026-12-03). Values that are already trees (a snapshot, a parsed file) are written with
/// `value(_:)`.
///
/// The caller nests calls as the document nests: `beginObject()`, then `key(_:)` and one value per member,
/// `endObject()`; `beginArray()`, values, `endArray()`. A misnested call is a programming error.
public struct JSONWriter {
    /// What has been written so far.
    public private(set) var bytes: [UInt8]
    /// Two-space indentation and a space after each colon (`JSONValue.renderedBytes(pretty: true)`), or none.
    public let pretty: Bool
    // Per open container, innermost last: how many members or elements it has so far.
    private var open: [Int] = []
    private var afterKey = false

    /// A writer into an empty buffer of `capacity` bytes, pretty-printed or compact.
    public init(pretty: Bool, capacity: Int = 32 * 1024) {
        self.pretty = pretty
        bytes = []
        bytes.reserveCapacity(capacity)
        open.reserveCapacity(16)
    }

    /// A line feed and the indentation of 32 levels: a line break is one append of a prefix of it.
    private static let lineBreak = [0x0A] + [UInt8](repeating: 0x20, count: 64)

    private mutating func newline(_ level: Int) {
        let n = level * 2
        if n < Self.lineBreak.count {
            bytes.append(contentsOf: Self.lineBreak[0...n])
            return
        }
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(0x20, count: n))
    }

    /// Before a member of an object (its key) or an element of an array: the comma and the line break.
    private mutating func nextItem() {
        guard let last = open.indices.last else { return }
        if open[last] > 0 { bytes.append(UInt8(ascii: ",")) }
        open[last] += 1
        if pretty { newline(open.count) }
    }

    /// Before any value: in an array it is the next element; in an object it follows its key.
    private mutating func willWriteValue() {
        if afterKey {
            afterKey = false
        } else {
            nextItem()
        }
    }

    /// Opens an object.
    public mutating func beginObject() {
        willWriteValue()
        bytes.append(UInt8(ascii: "{"))
        open.append(0)
    }

    /// Closes the innermost object.
    public mutating func endObject() {
        let closed = open.removeLast()
        if closed > 0, pretty { newline(open.count) }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Opens an array.
    public mutating func beginArray() {
        willWriteValue()
        bytes.append(UInt8(ascii: "["))
        open.append(0)
    }

    /// Closes the innermost array.
    public mutating func endArray() {
        let closed = open.removeLast()
        if closed > 0, pretty { newline(open.count) }
        bytes.append(UInt8(ascii: "]"))
    }

    /// The next member's key, a literal that needs no escaping (letters, digits, `_`); its value is the
    /// next value written. Copied as it is: escaping the renderer's fixed keys was a third of its writing.
    public mutating func key(_ k: StaticString) {
        nextItem()
        bytes.append(UInt8(ascii: "\""))
        k.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(0x20) }
        afterKey = true
    }

    /// The next member's key, any text (escaped); its value is the next value written.
    public mutating func key(string k: String) {
        nextItem()
        JSONValue.escape(k, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(0x20) }
        afterKey = true
    }

    /// A string.
    public mutating func string(_ s: String) {
        willWriteValue()
        JSONValue.escape(s, into: &bytes)
    }

    /// A string, or null for nil.
    public mutating func string(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    /// A whole number.
    public mutating func int(_ i: Int) {
        willWriteValue()
        JSONValue.writeInteger(i, into: &bytes)
    }

    /// A number in plain decimal notation (`JSONValue.format`), or null for nil.
    public mutating func number(_ d: Decimal?) {
        guard let d else { return null() }
        willWriteValue()
        bytes.append(contentsOf: JSONValue.format(d).utf8)
    }

    /// true or false.
    public mutating func bool(_ b: Bool) {
        willWriteValue()
        bytes.append(contentsOf: (b ? "true" : "false").utf8)
    }

    /// null.
    public mutating func null() {
        willWriteValue()
        bytes.append(contentsOf: "null".utf8)
    }

    /// A value already built as a tree, laid out as the writer's own.
    public mutating func value(_ v: JSONValue) {
        switch v {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let d): number(d)
        case .integer(let i): int(i)
        case .string(let s): string(s)
        case .array(let items):
            beginArray()
            for item in items { value(item) }
            endArray()
        case .object(let pairs):
            beginObject()
            for (k, item) in pairs {
                key(string: k)
                value(item)
            }
            endObject()
        }
    }
}
