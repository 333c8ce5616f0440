import Crypto

/// SHA-256 of a document's bytes, its identity: swift-crypto's (BoringSSL's rounds, which use the x86
/// SHA extensions where the CPU has them).
///
/// Assay used to carry its own rounds in Swift and C; swift-crypto replaced them after a measurement on
/// this machine kind (docs/benchmarks.md: decode of a 1 MB bulletin, hashing included, took the same time
/// within noise), so there is one implementation to trust, not two to keep in step.
public enum SHA256 {
    /// The 32-byte SHA-256 digest of the bytes.
    public static func digest(_ message: [UInt8]) -> [UInt8] {
        Array(Crypto.SHA256.hash(data: message))
    }

    /// Lowercase hexadecimal, the form reports, the store and report names use.
    public static func hex(_ message: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in Crypto.SHA256.hash(data: message) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
