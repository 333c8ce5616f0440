import AssayValues
import Foundation
import Yams

/// Layering: a rule file that `extends` other rule sets and adjusts them without copying a rule.
///
/// ```yaml
/// assay: 1
/// ruleset: city-overlay
/// extends: [audit-rectification]      # a bundled set by name, or a rule file's path relative to this one
/// targets: {audit_rate: 90%}          # replaces the bases' targets of these names (or adds them)
/// overrides:
///   - {id: rate-matches-counts, severity: error}
///   - {id: next-steps, enabled: false}
///   - {id: audit-rectification-rate, target: 85%, on_missing: info}
/// ```
///
/// How it works: each base file is read as YAML, patched — the overlay's targets merged into its
/// `targets:`, each overridden rule's keys replaced, disabled rules removed — and then read like any rule
/// file, so an override is validated exactly as the same key written in the base (a bad `target` is
/// an error with its place). The base set keeps its name, is marked `adjustedBy` the overlay, and its hash
/// covers both files. A base the paths also name directly is loaded once, adjusted; one base extended by
/// two overlays is an error (which adjustment would win is not obvious), as is an overlay that extends an
/// overlay.
struct Overlay {
    /// The overlay file, as named in errors.
    var file: String
    /// The bases as written, with their nodes (for errors) and resolved paths.
    var bases: [(name: String, node: Node, path: String)]
    /// The overlay's `targets:` entries, merged into each base's.
    var targets: [(key: Node, value: Node)]
    /// The overrides, in file order.
    var overrides: [Override]

    /// One entry of `overrides:`.
    struct Override {
        var id: String
        var idNode: Node
        /// Whether the rule stays (`enabled: false` removes it).
        var enabled: Bool
        /// The keys replaced, as written in the overlay.
        var keys: [(key: Node, value: Node)]
        /// The entry as YAML text, for the adjusted sets' hash.
        var source: String
    }

    /// What the overrides say, as text in file order: the same overrides give the same fingerprint in
    /// every process (a set's hash must not change when nothing did, or every restart would re-check).
    var fingerprint: String { overrides.map(\.source).joined(separator: "\n") }

    /// The keys an override may have.
    static let overrideKeys = [
        "id", "enabled", "severity", "on_missing", "message", "title", "basis", "target", "when", "tags",
    ]
}

extension YAMLReader {
    /// The overlay part of a rule file (`extends`, `overrides`, its `targets`); nil when the file extends
    /// nothing. `resolve` turns a base as written into a path (nil: not found).
    mutating func overlay(_ top: Entries, resolve: (String) -> String?) -> Overlay? {
        guard let ext = top["extends"] else {
            if let o = top["overrides"] {
                error(o.key, "'overrides' adjusts the rule sets named by 'extends', and there is none")
            }
            return nil
        }
        var bases = [(name: String, node: Node, path: String)]()
        let names: [(String, Node)]
        if case .sequence(let seq) = ext.value {
            names = seq.compactMap { n in string(n, "extends").map { ($0, n) } }
        } else {
            names = string(ext.value, "extends").map { [($0, ext.value)] } ?? []
        }
        if names.isEmpty { error(ext.value, "extends names no rule set") }
        for (name, node) in names {
            guard let path = resolve(name) else {
                error(node, "extends '\(name)': no bundled rule set of that name and no such rule file")
                continue
            }
            if bases.contains(where: { $0.path == path }) {
                error(node, "extends '\(name)' twice")
                continue
            }
            bases.append((name, node, path))
        }
        var targets = [(key: Node, value: Node)]()
        if let t = top["targets"], case .mapping(let tm) = t.value {
            for (k, v) in tm { targets.append((k, v)) }
        }
        let overrides = top["overrides"].map { self.overrides($0.value) } ?? []
        return Overlay(file: file, bases: bases, targets: targets, overrides: overrides)
    }

    /// The entries of an `overrides:` list (a rule file's, or the daemon configuration's), each checked:
    /// an `id`, keys among `Overlay.overrideKeys`, something to change.
    mutating func overrides(_ node: Node) -> [Overlay.Override] {
        guard case .sequence(let seq) = node else {
            error(node, "overrides is a list of {id, …} entries")
            return []
        }
        var overrides = [Overlay.Override]()
        var seen = Set<String>()
        for entry in seq {
            let before = errors.count
            guard let m = mapping(entry, "override", allowed: Overlay.overrideKeys) else { continue }
            guard let idNode = m["id"]?.value, let id = string(idNode, "override id") else {
                error(entry, "an override needs the 'id' of the rule it adjusts")
                continue
            }
            if !seen.insert(id).inserted { error(idNode, "rule '\(id)' is overridden twice") }
            var enabled = true
            if let e = m["enabled"] { enabled = bool(e.value, "enabled") ?? true }
            let keys = Overlay.overrideKeys.dropFirst(2).compactMap { k in m[k].map { (key: $0.key, value: $0.value) } }
            if enabled && keys.isEmpty && errors.count == before {
                error(
                    entry,
                    "override of '\(id)' changes nothing; give severity, on_missing, message, target, … or enabled: false"
                )
            }
            overrides.append(
                Overlay.Override(
                    id: id, idNode: idNode, enabled: enabled, keys: keys,
                    source: (try? Yams.serialize(node: entry)) ?? id))
        }
        return overrides
    }
}

extension Overlay {
    /// `base` (a rule file's root) with the overlay applied; `ids` gets the ids of the base's rules (so the
    /// loader can name overrides that match none). Nil when the root is not a rule file's mapping.
    func patch(_ base: Node, ids: inout Set<String>) -> Node? {
        guard case .mapping(var top) = base else { return nil }
        if !targets.isEmpty {
            var tm: Node.Mapping
            if case .mapping(let existing)? = top["targets"] { tm = existing } else { tm = Node.Mapping([]) }
            for (k, v) in targets { tm[k] = v }
            top["targets"] = .mapping(tm)
        }
        if case .sequence(let rules)? = top["rules"] {
            var out = [Node]()
            for rule in rules {
                guard case .mapping(var rm) = rule, let id = rm["id"]?.scalar?.string else {
                    out.append(rule)
                    continue
                }
                ids.insert(id)
                guard let o = overrides.first(where: { $0.id == id }) else {
                    out.append(rule)
                    continue
                }
                if !o.enabled { continue }
                for (k, v) in o.keys { rm[k] = v }
                out.append(.mapping(rm))
            }
            top["rules"] = .sequence(Node.Sequence(out, rules.tag, rules.style, rules.mark))
        }
        return .mapping(top)
    }
}

extension Overlay {
    /// The places (line, column) of every node the overlay puts into a base: an error found there when the
    /// patched base is read belongs to the overlay file.
    var places: Set<[Int]> {
        var out = Set<[Int]>()
        func walk(_ n: Node) {
            if let m = n.mark { out.insert([m.line, m.column]) }
            switch n {
            case .sequence(let seq): seq.forEach(walk)
            case .mapping(let m):
                for (k, v) in m {
                    walk(k)
                    walk(v)
                }
            default: break
            }
        }
        for (k, v) in targets {
            walk(k)
            walk(v)
        }
        for o in overrides {
            for (k, v) in o.keys {
                walk(k)
                walk(v)
            }
        }
        return out
    }
}
