#if canImport(_FoundationICU)
    import _FoundationICU
#endif

/// Why ICU refuses a pattern, in words: Foundation's `NSRegularExpression` reports only "the value is
/// invalid", so the loader asks ICU itself (the copy Foundation ships, `_FoundationICU`) for its error
/// code and the place, and names both: `a parenthesis is not closed (ICU U_REGEX_MISMATCHED_PAREN, at
/// character 9)`. Nil when ICU accepts the pattern or cannot be asked.
enum PatternDiagnosis {
    /// ICU's reason for refusing `pattern`, with the character (1-based, in Unicode scalars) where it stopped.
    static func reason(_ pattern: String) -> String? {
        #if canImport(_FoundationICU)
            var status = U_ZERO_ERROR
            var parse = UParseError()
            let units = Array(pattern.utf16)
            let regex = swift_uregex_open(units, Int32(units.count), 0, &parse, &status)
            if let regex { swift_uregex_close(regex) }
            guard status.rawValue > U_ZERO_ERROR.rawValue else { return nil }
            let name = String(cString: swift_u_errorName(status))
            // ICU's offset counts UTF-16 units; people count characters.
            let offset = max(0, min(Int(parse.offset), units.count))
            let character = String(decoding: units[..<offset], as: UTF16.self).unicodeScalars.count + 1
            let words = explanations[name] ?? "ICU cannot compile it"
            return "\(words) (ICU \(name), at character \(character))"
        #else
            return nil
        #endif
    }

    /// ICU's regex error codes in words.
    static let explanations = [
        "U_REGEX_RULE_SYNTAX": "a syntax error (a quantifier with nothing before it, or a stray special character)",
        "U_REGEX_BAD_ESCAPE_SEQUENCE": "an unknown backslash escape",
        "U_REGEX_PROPERTY_SYNTAX": "a malformed Unicode property (\\p{…})",
        "U_REGEX_UNIMPLEMENTED": "a feature ICU does not support",
        "U_REGEX_MISMATCHED_PAREN": "a parenthesis is not closed or not opened",
        "U_REGEX_NUMBER_TOO_BIG": "a number is too large",
        "U_REGEX_BAD_INTERVAL": "a malformed {min,max} interval",
        "U_REGEX_MAX_LT_MIN": "in {min,max} the max is less than the min",
        "U_REGEX_INVALID_BACK_REF": "a back reference to a group that does not exist",
        "U_REGEX_INVALID_FLAG": "an unknown mode flag",
        "U_REGEX_LOOK_BEHIND_LIMIT": "a look-behind without a bounded length",
        "U_REGEX_SET_CONTAINS_STRING": "a set that contains a string",
        "U_REGEX_MISSING_CLOSE_BRACKET": "a [ is not closed",
        "U_REGEX_INVALID_RANGE": "a range [x-y] whose x comes after y",
        "U_REGEX_PATTERN_TOO_BIG": "the pattern is too large or complex",
        "U_REGEX_INVALID_CAPTURE_GROUP_NAME": "a malformed group name",
    ]
}
