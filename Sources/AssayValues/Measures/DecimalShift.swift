import Foundation

extension Decimal {
    /// Powers of ten up to 10^8 (亿), the divisors the rules use: 100 for a percent, 10^4 for 万, 10^8 for 亿.
    private static let powersOfTen: [Decimal] = (0...8).map { Decimal(sign: .plus, exponent: $0, significand: 1) }

    /// `self / divisor`. When the divisor is a power of ten up to 10^8, by moving the decimal point:
    /// exact, the same value and text, and about a hundred times cheaper than Foundation's division, which
    /// spent some 25,000 instructions on `79.5 / 100` (division was 2.6% of a check's instructions,
    /// callgrind). Any other divisor, or a result whose exponent would leave ±100, is divided as before.
    package func divided(by divisor: Decimal) -> Decimal {
        if divisor > 0, !isNaN {
            let significand = divisor.significand
            if let k = Self.powersOfTen.firstIndex(of: significand) {
                let e = exponent - divisor.exponent - k
                if e > -100 && e < 100 { return Decimal(sign: sign, exponent: e, significand: self.significand) }
            }
        }
        return self / divisor
    }
}
