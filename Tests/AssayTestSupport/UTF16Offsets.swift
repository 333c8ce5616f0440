import Foundation

/// From ICU's UTF-16 offsets (`NSRegularExpression`, `NSString`) to Unicode-scalar offsets, which is what
/// Assay's spans and `ScalarRegex` count.
public struct UTF16ScalarOffsets: Sendable {
    /// `scalar[u]`: the scalar offset of UTF-16 offset `u` (both halves of a surrogate pair map to the
    /// scalar); one entry past the end.
    public let scalar: [Int]

    /// The map for `text`.
    public init(_ text: String) {
        var map = [Int]()
        map.reserveCapacity(text.utf16.count + 1)
        var n = 0
        for s in text.unicodeScalars {
            for _ in 0..<UTF16.width(s) { map.append(n) }
            n += 1
        }
        map.append(n)
        scalar = map
    }

    /// The UTF-16 length of the text.
    public var utf16Count: Int { scalar.count - 1 }

    /// The whole text as an `NSRange`.
    public var whole: NSRange { NSRange(location: 0, length: utf16Count) }

    /// `range` in scalar offsets, moved by `shift`; nil for a group that did not take part (`NSNotFound`).
    public func scalars(_ range: NSRange, shift: Int = 0) -> Range<Int>? {
        guard range.location != NSNotFound else { return nil }
        return (scalar[range.location] + shift)..<(scalar[range.location + range.length] + shift)
    }
}
