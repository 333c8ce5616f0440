import Foundation

/// Large inputs for measuring the daemon under load (`assay watch-bench --heavy`) and for its load test:
/// two 200 KB files of one line each and `big` files of exactly 16 MiB (the daemon's default `max_bytes`),
/// all made of a bulletin's text.
public enum HeavyInputs {
    /// The files, by name: `heavy-line-1.txt`, `heavy-line-2.txt`, `heavy-16m.txt`, `heavy-16m-2.txt` …
    /// (each of other content).
    public static func files(from base: [UInt8], big: Int = 1) -> [(name: String, bytes: [UInt8])] {
        let line = Array(String(decoding: base, as: UTF8.self).replacingOccurrences(of: "\n", with: "；").utf8)
        func filled(_ unit: [UInt8], to size: Int, pad: UInt8) -> [UInt8] {
            var out = [UInt8]()
            out.reserveCapacity(size)
            while out.count + unit.count <= size { out += unit }
            return out + [UInt8](repeating: pad, count: size - out.count)
        }
        return [
            ("heavy-line-1.txt", filled(line, to: 200_000, pad: 0x20)),
            ("heavy-line-2.txt", filled(Array("（二）".utf8) + line, to: 200_000, pad: 0x20)),
        ]
            + (0..<max(0, big)).map { i in
                let head = i == 0 ? [] : Array("（\(i + 1)）\n".utf8)
                return (
                    "heavy-16m\(i == 0 ? "" : "-\(i + 1)").txt", filled(head + base, to: 16 * 1024 * 1024, pad: 0x0A)
                )
            }
    }
}
