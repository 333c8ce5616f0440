import CAssayNative

/// SHA-256 (FIPS 180-4), so that the core can name a document by its content without a crypto dependency.
/// The rounds run on the x86 SHA extensions where the CPU has them (`CAssayNative`), else in Swift.
public enum SHA256 {
    /// The round constants, from the C target (one table for both implementations).
    private static let k: [UInt32] = withUnsafeBytes(of: assay_sha256_k) { Array($0.bindMemory(to: UInt32.self)) }

    /// Whether this CPU has the x86 SHA extensions (checked once).
    static let accelerated = assay_sha256_ni_available() != 0

    public static func digest(_ message: [UInt8]) -> [UInt8] {
        digest(message, accelerated: accelerated)
    }

    /// `accelerated: false` forces the portable rounds (tests compare both on every CPU that has both).
    static func digest(_ message: [UInt8], accelerated: Bool) -> [UInt8] {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        // Whole blocks straight from the message; the tail and padding in a small buffer.
        let fullBlocks = message.count / 64
        var tail = [UInt8](message[(fullBlocks * 64)...])
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        let bitLength = UInt64(message.count) * 8
        for i in (0..<8).reversed() { tail.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
        h.withUnsafeMutableBufferPointer { h in
            func compress(_ p: UnsafeBufferPointer<UInt8>, _ blocks: Int) {
                if accelerated { assay_sha256_ni_blocks(h.baseAddress!, p.baseAddress!, blocks) } else { portableBlocks(h, p, blocks) }
            }
            if fullBlocks > 0 { message.withUnsafeBufferPointer { compress($0, fullBlocks) } }
            tail.withUnsafeBufferPointer { compress($0, $0.count / 64) }
        }
        return h.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - UInt32($0) * 8)) } }
    }

    /// The compression function in Swift (FIPS 180-4 §6.2.2) over `blocks` 64-byte blocks of `p`.
    private static func portableBlocks(_ h: UnsafeMutableBufferPointer<UInt32>, _ p: UnsafeBufferPointer<UInt8>, _ blocks: Int) {
        var w = [UInt32](repeating: 0, count: 64)
        w.withUnsafeMutableBufferPointer { w in
            k.withUnsafeBufferPointer { k in
                for block in 0..<blocks {
                    let base = block * 64
                    for t in 0..<16 {
                        let b = base + t * 4
                        w[t] = UInt32(p[b]) << 24 | UInt32(p[b + 1]) << 16 | UInt32(p[b + 2]) << 8 | UInt32(p[b + 3])
                    }
                    for t in 16..<64 {
                        let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                        let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                        w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
                    }
                    var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
                    for t in 0..<64 {
                        let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                        let ch = (e & f) ^ (~e & g)
                        let t1 = hh &+ s1 &+ ch &+ k[t] &+ w[t]
                        let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                        let maj = (a & b) ^ (a & c) ^ (b & c)
                        let t2 = s0 &+ maj
                        hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
                    }
                    h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
                }
            }
        }
    }

    public static func hex(_ message: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest(message) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}
