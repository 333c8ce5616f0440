import Foundation
import ZIPFoundation

/// A zip container (DOCX, OFD) read in memory through ZIPFoundation, every entry's decompressed bytes
/// counted against one budget: a zip bomb (a small file inflating to gigabytes) stops at the budget with a
/// clear reason instead of filling memory, whatever sizes the archive declares.
public struct ZipPackage {
    let archive: Archive
    /// The bytes still allowed to be decompressed.
    private(set) var budget: Int
    /// The budget given at the start, for messages.
    let limit: Int
    /// The format's name for messages ("DOCX", "OFD").
    let label: String

    /// Opens the zip in `bytes`; at most `maxBytes` may be decompressed from it in all.
    public init(_ bytes: [UInt8], maxBytes: Int, label: String) throws(ConversionFailure) {
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw ConversionFailure("\(label): the zip archive cannot be read (corrupt or truncated)")
        }
        budget = maxBytes
        limit = maxBytes
        self.label = label
    }

    /// The names of the entries, or nil when `bytes` is not a readable zip.
    public static func entryNames(_ bytes: [UInt8]) -> [String]? {
        guard let archive = try? Archive(data: Data(bytes), accessMode: .read, pathEncoding: nil) else { return nil }
        let names = archive.map(\.path)
        return names.isEmpty ? nil : names
    }

    /// The entry names, in the archive's order.
    public var entryNames: [String] { archive.map(\.path) }

    /// Whether the archive holds an entry at `path`.
    public func contains(_ path: String) -> Bool { archive[path] != nil }

    /// The decompressed bytes of the entry at `path` (nil when there is none), counted against the budget.
    /// Throws when the entry is damaged (its checksum or compressed data) or the budget runs out.
    public mutating func read(_ path: String) throws(ConversionFailure) -> [UInt8]? {
        guard let entry = archive[path] else { return nil }
        guard entry.type == .file else { return nil }
        if entry.uncompressedSize > UInt64(budget) { throw overBudget(path) }
        var out = [UInt8]()
        var left = budget
        do {
            _ = try archive.extract(entry, skipCRC32: false) { (chunk: Data) in
                left -= chunk.count
                if left < 0 { throw Stop.overBudget }
                out.append(contentsOf: chunk)
            }
        } catch Stop.overBudget {
            throw overBudget(path)
        } catch {
            throw ConversionFailure("\(label): the entry \(path) is damaged (\(error))")
        }
        budget = left
        return out
    }

    private enum Stop: Error { case overBudget }

    private func overBudget(_ path: String) -> ConversionFailure {
        ConversionFailure(
            "\(label): decompressing \(path) goes over the limit of \(limit) bytes (max_bytes counts what is "
                + "decompressed from a file; a zip bomb looks like this)")
    }
}
