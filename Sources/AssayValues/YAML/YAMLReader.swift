import Foundation
import Yams

/// Reads typed values out of a composed YAML tree and collects every problem at its `file:line:column`
/// (from the Yams marks). The one reader for rule files, waiver files and the daemon configuration, so a
/// misspelt key or a bad value is reported the same way wherever it is written.
///
/// `what` names the value in messages as a reader would find it: `severity`, `items.min`, `rule 'a'`.
package struct YAMLReader {
    /// A checked mapping's entries by key: the key's node (for problems with the key) and the value's.
    package typealias Entries = [String: (key: Node, value: Node)]

    /// How the file is named in errors.
    package let file: String
    /// Every problem found so far, in the order found.
    package var errors = [FileDiagnostic]()

    /// A reader for a file named `file` in its problems, with no problems yet.
    package init(file: String) { self.file = file }

    /// The document's root node, nil for an empty document; YAML that does not parse is thrown with its place.
    package static func compose(_ yaml: String, file: String) throws(FileDiagnostic) -> Node? {
        do { return try Yams.compose(yaml: yaml) } catch { throw yamlError(error, file: file) }
    }

    /// The most text a YAML document may hold once its aliases are expanded (4 MiB): a few kilobytes of
    /// `&anchor` / `*alias` can otherwise stand for gigabytes that every reader of the tree walks through.
    package static let maxExpandedBytes = 4 << 20

    /// The document's size with every alias expanded: the UTF-8 bytes of its scalars plus one per node.
    /// Stops counting once past `limit` (the walk costs at most about `limit` steps, however the aliases nest)
    /// and returns the node where it passed it, nil when the whole document is within `limit`.
    package static func expansionExceeds(_ root: Node, limit: Int = maxExpandedBytes) -> Node? {
        var total = 0
        func walk(_ n: Node) -> Node? {
            total += 1
            switch n {
            case .scalar(let s): total += s.string.utf8.count
            case .alias: break
            case .sequence(let seq):
                for x in seq { if let over = walk(x) { return over } }
            case .mapping(let m):
                for (k, v) in m {
                    if let over = walk(k) { return over }
                    if let over = walk(v) { return over }
                }
            }
            return total > limit ? n : nil
        }
        return walk(root)
    }

    /// `compose`, then refuses a document whose aliases expand it past `maxExpandedBytes`, at the node where
    /// the count passed the limit.
    package static func composeBounded(_ yaml: String, file: String, what: String) throws(FileDiagnostic) -> Node? {
        guard let root = try compose(yaml, file: file) else { return nil }
        if let over = expansionExceeds(root) {
            let m = over.mark
            throw FileDiagnostic(
                file: file, line: m?.line ?? 1, column: m?.column ?? 1,
                message:
                    "\(what) expands to more than \(maxExpandedBytes >> 20) MiB of text through its aliases (*name); "
                    + "write it out or reuse less")
        }
        return root
    }

    static func yamlError(_ error: Error, file: String) -> FileDiagnostic {
        if let y = error as? YamlError {
            switch y {
            case .scanner(let ctx, let problem, let mark, _), .parser(let ctx, let problem, let mark, _),
                .composer(let ctx, let problem, let mark, _):
                let c = ctx.map { " (\($0.text))" } ?? ""
                // The usual cause: a value that holds ': ' (整改率: 85%) without quotes.
                let hint =
                    problem.contains("mapping values are not allowed")
                    ? "; a value that holds ': ' must be quoted, e.g. title: \"整改率: 不低于80%\"" : ""
                return FileDiagnostic(
                    file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)\(c)\(hint)")
            case .duplicatedKeysInMapping(let dups, let ctx):
                return FileDiagnostic(
                    file: file, line: ctx.mark.line, column: ctx.mark.column,
                    message: "duplicate key(s) \(dups.joined(separator: ", "))")
            default:
                return FileDiagnostic(file: file, line: 1, column: 1, message: "invalid YAML: \(y)")
            }
        }
        return FileDiagnostic(file: file, line: 1, column: 1, message: "invalid YAML: \(error)")
    }

    /// Records a problem at the node's place (1:1 without a node).
    package mutating func error(_ node: Node?, _ message: String) {
        let m = node?.mark
        errors.append(FileDiagnostic(file: file, line: m?.line ?? 1, column: m?.column ?? 1, message: message))
    }

    /// `; did you mean 'x'?` when a candidate is close to the word, else nothing.
    package static func hint(_ word: String, among candidates: [String]) -> String {
        DidYouMean.suggest(word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    // MARK: values

    /// The mapping's entries after checking every key is known (unknown keys reported with did-you-mean).
    package mutating func mapping(_ node: Node, _ what: String, allowed: [String]) -> Entries? {
        guard case .mapping(let m) = node else {
            error(node, "\(what) must be a mapping")
            return nil
        }
        var out = Entries()
        for (k, v) in m {
            guard let key = k.scalar?.string else { error(k, "\(what): keys must be plain words"); continue }
            if !allowed.contains(key) {
                let hint =
                    DidYouMean.suggest(key, among: allowed).map { "; did you mean '\($0)'?" }
                    ?? "; allowed: \(allowed.joined(separator: ", "))"
                error(k, "unknown key '\(key)' in \(what)\(hint)")
                continue
            }
            out[key] = (k, v)
        }
        return out
    }

    /// A text value; with `nonEmpty`, an empty one is refused too.
    package mutating func string(_ node: Node?, _ what: String, nonEmpty: Bool = false) -> String? {
        guard let node else { return nil }
        guard case .scalar(let s) = node, !nonEmpty || !s.string.isEmpty else {
            error(node, nonEmpty ? "\(what) must be a non-empty text value" : "\(what) must be text")
            return nil
        }
        return s.string
    }

    /// A text value or a list of them (a single value is a list of one).
    package mutating func strings(_ node: Node?, _ what: String, nonEmpty: Bool = false) -> [String] {
        guard let node else { return [] }
        switch node {
        case .scalar: return string(node, what, nonEmpty: nonEmpty).map { [$0] } ?? []
        case .sequence(let seq):
            return seq.compactMap { string($0, "each item of \(what)", nonEmpty: nonEmpty) }
        default:
            error(node, "\(what) must be text or a list of text")
            return []
        }
    }

    /// A whole number (`_` may group digits), at least `min` when given.
    package mutating func int(_ node: Node?, _ what: String, min: Int? = nil) -> Int? {
        guard let node else { return nil }
        guard case .scalar(let s) = node, let v = Int(s.string.replacingOccurrences(of: "_", with: "")),
            v >= (min ?? .min)
        else {
            error(node, "\(what) must be a whole number\(min.map { " ≥ \($0)" } ?? "")")
            return nil
        }
        return v
    }

    /// true/false (also yes/no, on/off, in any case).
    package mutating func bool(_ node: Node?, _ what: String) -> Bool? {
        guard let node else { return nil }
        guard case .scalar(let s) = node, let v = Bool.fromYAML(s.string) else {
            error(node, "\(what) must be true or false"); return nil
        }
        return v
    }

    /// One of a closed set of words, e.g. a `Severity`.
    package mutating func choice<T: RawRepresentable & CaseIterable>(_ node: Node?, _ what: String, _: T.Type) -> T?
    where T.RawValue == String {
        guard let s = string(node, what) else { return nil }
        guard let v = T(rawValue: s) else {
            let all = T.allCases.map(\.rawValue)
            error(node, "\(what) '\(s)' is not one of \(all.joined(separator: ", "))\(Self.hint(s, among: all))")
            return nil
        }
        return v
    }

    /// A calendar date written YYYY, YYYY-MM or YYYY-MM-DD (only the last with `dayRequired`), as ISO text.
    package mutating func date(_ node: Node?, _ what: String, dayRequired: Bool = false) -> String? {
        guard let s = string(node, what) else { return nil }
        do { return try CalendarDate(written: s, dayRequired: dayRequired).iso } catch {
            self.error(node, "\(what) \(error)")
            return nil
        }
    }
}

extension Bool {
    /// A YAML 1.1 boolean word (true/yes/on, false/no/off), any case.
    package static func fromYAML(_ s: String) -> Bool? {
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }
}
