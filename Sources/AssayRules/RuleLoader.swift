import AssayExtraction
import AssayValues
import Foundation
import Yams

/// The keys the rule language accepts, in one place: the loader checks against them, the JSON Schema
/// in `Rules/schema/` must list the same, and a test holds the two together. Each kind's keys are in its
/// definition (Kinds/; `kindKeys`).
public enum RuleSchema {
    /// The keys of a rule file's top level.
    public static let topLevel = [
        "assay", "ruleset", "version", "description", "applies_to", "defaults", "targets", "calendar", "language",
        "extends", "overrides", "rules",
    ]
    /// The keys of `applies_to:`.
    public static let appliesTo = ["genre", "issuer", "title", "text"]
    /// The keys of `defaults:`, the severities a set's rules get when they give none.
    public static let defaults = ["severity", "on_missing"]
    /// The keys of a target under `targets:` (a target may also be a bare value).
    public static let target = ["value", "date", "source"]
    /// The keys every rule may have, whatever its kind.
    public static let common = [
        "id", "title", "kind", "severity", "on_missing", "message", "basis", "references", "tags", "scope",
        "applies_to", "when", "examples",
    ]
    /// The keys of an entry of a rule's `references:`.
    public static let reference = ["title", "url"]
    /// The keys of a fact selector (`select:` and the like).
    public static let selector = [
        "kind", "label", "unit", "section", "sentence", "approx", "ocr", "role", "tally", "match", "capture", "type",
        "not",
    ]
    /// `tally:` in a selector: a subject, or `any` for a member of any tally.
    public static let tallyValues = TallySubject.allCases.map(\.rawValue) + ["any"]
    /// The keys of a rule's `examples:`.
    public static let examples = ["pass", "fail", "missing"]
    /// The scalar values of `scope:` (the other form is the mapping `{section: NAME}`).
    public static let scopeValues = ["document", "each-section", "each-item"]
}

/// Reads rule files: YAML → validated `RuleSet`, reporting every error with its line and column.
public struct RuleLoader: Sendable {
    /// How a file is named in errors and reports (bundled rules are shown as `Rules/<name>`).
    public var displayName: @Sendable (String) -> String

    /// The folder of the bundled rule sets, where `extends: NAME` finds `NAME.yml`; nil: only paths.
    public var bundledDirectory: String?
    /// Overrides from outside the rule files — the `overrides:` list of a YAML file (the daemon
    /// configuration), given as its name and its whole text so errors keep their places — applied to every
    /// rule set loaded that is not an overlay, as an overlay's `overrides` are.
    public var overrides: (file: String, text: String)?

    /// A loader naming files in errors and reports through `displayName` (unchanged by default), finding
    /// bundled sets for `extends:` in `bundledDirectory` (by default the bundled rules' package resources
    /// beside the program, when there).
    public init(
        displayName: @escaping @Sendable (String) -> String = { $0 },
        bundledDirectory: String? = RuleLoader.defaultBundledDirectory
    ) {
        self.displayName = displayName
        self.bundledDirectory = bundledDirectory
    }

    /// The bundled rules' resources beside the program (`Assay_AssayBundledRules.resources`), nil when absent.
    public static var defaultBundledDirectory: String? {
        let url = Bundle.main.bundleURL.appendingPathComponent("Assay_AssayBundledRules.resources")
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue ? url.path : nil
    }

    /// A path made comparable: absolute, `.` and `..` resolved, symbolic links followed.
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Loads every `.yml`/`.yaml` file under the paths (files or folders; `tests/` and `schema/` folders skipped).
    /// Throws `RuleLoadFailure` with the errors of every bad file; nothing is loaded then. Paths that hold
    /// no rule at all are an error too: a check with no rules would pass every bulletin.
    public func load(paths: [String]) throws(RuleLoadFailure) -> [RuleSet] {
        var sets = [RuleSet]()
        var errors = [FileDiagnostic]()
        var files = [(path: String, root: Node, sha: String)]()
        for file in Self.ruleFiles(paths: paths, errors: &errors) {
            do throws(RuleLoadFailure) {
                let (root, sha) = try readRoot(file: file)
                files.append((file, root, sha))
            } catch {
                errors += error.errors
            }
        }
        // Overlays first: the bases they adjust are loaded through them, once.
        var overlays = [String: Overlay]()
        var adjustedBy = [String: String]()
        for f in files {
            var scratch = YAMLReader(file: displayName(f.path))
            guard let top = scratch.mapping(f.root, "the rule file", allowed: RuleSchema.topLevel) else { continue }
            var reader = YAMLReader(file: displayName(f.path))
            let folder = (f.path as NSString).deletingLastPathComponent
            let overlay = reader.overlay(top) { name in self.resolveBase(name, from: folder) }
            errors += reader.errors
            guard let overlay else { continue }
            var claimed = overlay
            claimed.bases = []
            for b in overlay.bases {
                if let other = adjustedBy[b.path] {
                    reader.error(b.node, "rule set '\(b.name)' is already extended by \(other); one base, one overlay")
                    errors += reader.errors.suffix(1)
                    continue
                }
                adjustedBy[b.path] = displayName(f.path)
                claimed.bases.append(b)
            }
            overlays[f.path] = claimed
        }
        // The configuration's overrides: an overlay without a file of its own, over every plain set.
        var configOverlay: Overlay?
        if let o = overrides, let node = (try? YAMLReader.compose(o.text, file: o.file))??.mapping?["overrides"] {
            var reader = YAMLReader(file: o.file)
            configOverlay = Overlay(file: o.file, bases: [], targets: [], overrides: reader.overrides(node))
            errors += reader.errors
        }
        var configIDs = Set<String>()
        for f in files {
            if adjustedBy[Self.canonical(f.path)] != nil, overlays[f.path] == nil { continue }
            if let c = configOverlay, overlays[f.path] == nil, errors.isEmpty {
                do throws(RuleLoadFailure) {
                    guard let patched = c.patch(f.root, ids: &configIDs) else { continue }
                    var set = try load(
                        root: patched, file: displayName(f.path),
                        sha256: SHA256.hex(Array((f.sha + c.fingerprint).utf8)))
                    set.adjustedBy = c.file
                    sets.append(set)
                } catch {
                    errors += error.errors.map { e in
                        c.places.contains([e.line, e.column])
                            ? FileDiagnostic(file: c.file, line: e.line, column: e.column, message: e.message) : e
                    }
                }
                continue
            }
            do throws(RuleLoadFailure) {
                if let overlay = overlays[f.path] {
                    sets += try loadAdjusted(overlay, overlayPath: f.path, overlaySHA: f.sha, files: files)
                    let own = try load(root: f.root, file: displayName(f.path), sha256: f.sha)
                    if !own.rules.isEmpty { sets.append(own) }
                } else {
                    sets.append(try load(root: f.root, file: displayName(f.path), sha256: f.sha))
                }
            } catch {
                errors += error.errors
            }
        }
        if let c = configOverlay, errors.isEmpty {
            var r = YAMLReader(file: c.file)
            for o in c.overrides where !configIDs.contains(o.id) {
                r.error(
                    o.idNode,
                    "override of rule '\(o.id)', which no loaded rule set defines\(YAMLReader.hint(o.id, among: configIDs.sorted()))"
                )
            }
            errors += r.errors
        }
        var seen = [String: String]()
        for set in sets {
            for rule in set.rules {
                if let other = seen[rule.id] {
                    errors.append(
                        FileDiagnostic(
                            file: set.file, line: rule.line, column: 1,
                            message: "duplicate rule id '\(rule.id)' (also in \(other))"))
                } else {
                    seen[rule.id] = set.file
                }
            }
        }
        // Never silent: with no rule at all every bulletin would pass.
        if errors.isEmpty, sets.allSatisfy({ $0.rules.isEmpty }) {
            let place =
                paths.isEmpty
                ? "no rule path was given"
                : "\(paths.joined(separator: ", ")) \(sets.isEmpty ? "holds no rule file (*.yml, *.yaml)" : "holds no rule")"
            errors.append(
                FileDiagnostic(
                    file: paths.first ?? "-", line: 1, column: 1,
                    message: "no rules loaded: \(place); a check with no rules would pass every bulletin"))
        }
        if !errors.isEmpty { throw RuleLoadFailure(errors: errors) }
        return sets
    }

    /// The rule files `paths` name: each file as given, and the `.yml`/`.yaml` entries directly in each folder,
    /// sorted by name (folders are not descended into; dot files and `waivers.*` are left out). A path that does
    /// not exist adds an error to `errors`.
    package static func ruleFiles(paths: [String], errors: inout [FileDiagnostic]) -> [String] {
        var out = [String]()
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                errors.append(FileDiagnostic(file: path, line: 1, column: 1, message: "no such file or folder"))
                continue
            }
            if !isDir.boolValue { out.append(path); continue }
            let entries = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted()
            for e in entries where e.hasSuffix(".yml") || e.hasSuffix(".yaml") {
                if e.hasPrefix(".") || e.hasPrefix("waivers.") { continue }
                out.append((path as NSString).appendingPathComponent(e))
            }
        }
        return out
    }

    /// The largest rule file read, in bytes (1 MiB; the bundled ones are under 10 KB). A larger file is refused
    /// before it is read, and text longer than this is refused by `load(yaml:file:sha256:)`.
    public static let maxFileBytes = 1 << 20

    /// Loads one rule file; throws `RuleLoadFailure` when it cannot be read, is larger than `maxFileBytes`,
    /// is not UTF-8, or has any error. A file that `extends` others is read on its own here (its own rules);
    /// `load(paths:)` applies it to its bases.
    public func load(file: String) throws(RuleLoadFailure) -> RuleSet {
        let (root, sha) = try readRoot(file: file)
        return try load(root: root, file: displayName(file), sha256: sha)
    }

    /// A rule file's YAML tree and the SHA-256 of its bytes; throws as `load(file:)` does for what is not
    /// a readable, bounded YAML document.
    func readRoot(file: String) throws(RuleLoadFailure) -> (Node, String) {
        if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int,
            size > Self.maxFileBytes
        {
            throw RuleLoadFailure(errors: [Self.tooLarge(displayName(file), size)])
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw RuleLoadFailure(errors: [
                FileDiagnostic(file: displayName(file), line: 1, column: 1, message: "cannot read the file")
            ])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RuleLoadFailure(errors: [
                FileDiagnostic(file: displayName(file), line: 1, column: 1, message: "the file is not UTF-8 text")
            ])
        }
        return (try Self.compose(text, file: displayName(file)), SHA256.hex(Array(data)))
    }

    /// The rule sets `overlay` adjusts, patched and read; errors at the overlay's nodes are named by the
    /// overlay file.
    func loadAdjusted(
        _ overlay: Overlay, overlayPath: String, overlaySHA: String, files: [(path: String, root: Node, sha: String)]
    ) throws(RuleLoadFailure) -> [RuleSet] {
        var sets = [RuleSet]()
        var errors = [FileDiagnostic]()
        var ids = Set<String>()
        let overlayName = displayName(overlayPath)
        let places = overlay.places
        for base in overlay.bases {
            do throws(RuleLoadFailure) {
                let known = files.first { Self.canonical($0.path) == base.path }
                let root: Node
                let sha: String
                if let known {
                    (root, sha) = (known.root, known.sha)
                } else {
                    (root, sha) = try readRoot(file: base.path)
                }
                if root.mapping?["extends"] != nil {
                    var r = YAMLReader(file: overlayName)
                    r.error(
                        base.node, "rule set '\(base.name)' extends others itself; an overlay extends plain rule sets")
                    errors += r.errors
                    continue
                }
                guard let patched = overlay.patch(root, ids: &ids) else {
                    sets.append(try load(root: root, file: displayName(base.path), sha256: sha))
                    continue
                }
                var set = try load(
                    root: patched, file: displayName(base.path), sha256: SHA256.hex(Array((sha + overlaySHA).utf8)))
                set.adjustedBy = overlayName
                sets.append(set)
            } catch {
                // An error at a node the overlay wrote is the overlay's.
                errors += error.errors.map { e in
                    places.contains([e.line, e.column])
                        ? FileDiagnostic(file: overlayName, line: e.line, column: e.column, message: e.message) : e
                }
            }
        }
        for o in overlay.overrides where !ids.contains(o.id) && errors.isEmpty {
            var r = YAMLReader(file: overlayName)
            r.error(
                o.idNode,
                "override of rule '\(o.id)', which no extended set defines\(YAMLReader.hint(o.id, among: ids.sorted()))"
            )
            errors += r.errors
        }
        if !errors.isEmpty { throw RuleLoadFailure(errors: errors) }
        return sets
    }

    /// Where `extends: name` points: a bundled set's file by its name, or a rule file's path relative to
    /// the overlay's folder; canonical, nil when there is no such file.
    func resolveBase(_ name: String, from folder: String) -> String? {
        let fm = FileManager.default
        if !name.contains("/"), !name.hasSuffix(".yml"), !name.hasSuffix(".yaml") {
            guard let dir = bundledDirectory else { return nil }
            let path = (dir as NSString).appendingPathComponent(name + ".yml")
            return fm.fileExists(atPath: path) ? Self.canonical(path) : nil
        }
        let path = name.hasPrefix("/") ? name : (folder as NSString).appendingPathComponent(name)
        var isDir: ObjCBool = false
        return fm.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue ? Self.canonical(path) : nil
    }

    /// Loads a rule file's text, named `file` in errors; `sha256` is the file's hash (of `yaml`'s UTF-8 when nil).
    /// Throws `RuleLoadFailure` with every error found.
    public func load(yaml: String, file: String, sha256: String? = nil) throws(RuleLoadFailure) -> RuleSet {
        if yaml.utf8.count > Self.maxFileBytes { throw RuleLoadFailure(errors: [Self.tooLarge(file, yaml.utf8.count)]) }
        return try load(
            root: Self.compose(yaml, file: file), file: file, sha256: sha256 ?? SHA256.hex(Array(yaml.utf8)))
    }

    /// The YAML tree of a rule file's text, bounded; throws for YAML that does not parse, aliases that expand
    /// too far, or an empty file.
    static func compose(_ yaml: String, file: String) throws(RuleLoadFailure) -> Node {
        let composed: Node?
        do { composed = try YAMLReader.composeBounded(yaml, file: file, what: "the rule file") } catch {
            throw RuleLoadFailure(errors: [error])
        }
        guard let root = composed else {
            throw RuleLoadFailure(errors: [
                FileDiagnostic(
                    file: file, line: 1, column: 1, message: "the file is empty; a rule file starts with 'assay: 1'")
            ])
        }
        return root
    }

    /// Reads a rule file's YAML tree, named `file` in errors.
    func load(root: Node, file: String, sha256: String) throws(RuleLoadFailure) -> RuleSet {
        var r = YAMLReader(file: file)
        let set = r.ruleSet(root, sha256: sha256)
        if !r.errors.isEmpty || set == nil {
            throw RuleLoadFailure(
                errors: r.errors.isEmpty
                    ? [FileDiagnostic(file: file, line: 1, column: 1, message: "not a rule file")] : r.errors)
        }
        return set!
    }
}

extension RuleLoader {
    /// `the rule file is 2000000 bytes; a rule file may have at most 1048576 bytes (1 MiB)`.
    static func tooLarge(_ file: String, _ size: Int) -> FileDiagnostic {
        FileDiagnostic(
            file: file, line: 1, column: 1,
            message: "the rule file is \(size) bytes; a rule file may have at most \(maxFileBytes) bytes (1 MiB)")
    }
}

/// Reading a rule file: the rule language on top of the typed values `YAMLReader` gives.
extension YAMLReader {
    /// Records a `check:` value its kind does not know: "deadline check 'x' is not one of …; did you mean …?".
    package mutating func unknownCheck(_ check: String, of kind: String, among checks: [String], at node: Node?) {
        error(
            node,
            "\(kind) check '\(check)' is not one of \(checks.joined(separator: ", "))\(Self.hint(check, among: checks))"
        )
    }

    /// A name, or a /pattern/.
    package mutating func matcher(_ node: Node?, _ what: String) -> NameMatcher? {
        guard let s = string(node, what) else { return nil }
        if s.count >= 2, s.hasPrefix("/"), s.hasSuffix("/") {
            let p = String(s.dropFirst().dropLast())
            do { return try NameMatcher(pattern: p) } catch {
                self.error(
                    node,
                    "\(what) /\(p)/ is not a valid regular expression\(PatternDiagnosis.reason(p).map { ": " + $0 } ?? "")"
                )
                return nil
            }
        }
        return NameMatcher(literal: s)
    }

    /// A severity (info, warning, error); nil, with an error, otherwise.
    package mutating func severity(_ node: Node?, _ what: String) -> Severity? {
        choice(node, what, Severity.self)
    }

    /// `text` compiled as a pattern; nil, with an error naming `what`, when it does not compile.
    package mutating func regex(_ node: Node?, _ text: String, _ what: String) -> SendableRegex? {
        do { return try SendableRegex(text) } catch {
            self.error(
                node,
                "\(what) /\(text)/ is not a valid regular expression\(PatternDiagnosis.reason(text).map { ": " + $0 } ?? "")"
            )
            return nil
        }
    }

    // MARK: the rule file

    mutating func ruleSet(_ root: Node, sha256: String) -> RuleSet? {
        guard let top = mapping(root, "the rule file", allowed: RuleSchema.topLevel) else { return nil }
        guard let versionNode = top["assay"]?.value else {
            error(root, "missing 'assay: 1' header (the rule language version)")
            return nil
        }
        guard let version = string(versionNode, "assay") else { return nil }
        let major = Int(version.split(separator: ".").first ?? "")
        guard major == RuleSet.supportedVersion else {
            error(
                versionNode,
                "unsupported rule language version '\(version)'; this assay reads version \(RuleSet.supportedVersion)")
            return nil
        }
        let name = string(top["ruleset"]?.value, "ruleset")
        if top["ruleset"] == nil { error(root, "missing 'ruleset' (the rule set's name)") }
        var defaultSeverity = Severity.warning
        var defaultMissing = Severity.warning
        if let d = top["defaults"], let dm = mapping(d.value, "defaults", allowed: RuleSchema.defaults) {
            defaultSeverity = severity(dm["severity"]?.value, "defaults.severity") ?? defaultSeverity
            defaultMissing = severity(dm["on_missing"]?.value, "defaults.on_missing") ?? defaultMissing
        }
        let applies = appliesTo(top["applies_to"]?.value)
        // The set's calendar is checked once here, whether or not a rule counts working days.
        if let c = top["calendar"], workdayCalendar(c.value, for: c.value) == nil { return nil }
        var targets = [String: RuleSet.Target]()
        if let t = top["targets"] {
            if case .mapping(let tm) = t.value {
                for (k, v) in tm {
                    guard let tname = k.scalar?.string else { continue }
                    // $5 million is dollars: a target name that starts with a digit could never be referred to.
                    if let first = tname.unicodeScalars.first, ScalarText.digit(first) != nil || first == " " {
                        error(
                            k,
                            "target name '\(tname)' must start with a letter ($\(tname) would read as an amount in dollars)"
                        )
                        continue
                    }
                    if let target = self.target(tname, v) { targets[tname] = target }
                }
            } else {
                error(t.value, "targets must be a mapping of names to {value, source}")
            }
        }
        var rules = [Rule]()
        if let rn = top["rules"]?.value {
            guard case .sequence(let seq) = rn else {
                error(rn, "rules must be a list")
                return nil
            }
            var ids = [String: Int]()
            for node in seq {
                let rule = self.rule(
                    node, targets: targets, severity: defaultSeverity, onMissing: defaultMissing,
                    calendar: top["calendar"])
                // A rule with errors still claims its id: a duplicate is reported alongside its other errors.
                if let id = rule?.id ?? node.mapping?["id"]?.scalar?.string {
                    if let line = ids[id] { error(node, "duplicate rule id '\(id)' (first at line \(line))") }
                    ids[id] = ids[id] ?? node.mark?.line ?? 1
                }
                if let rule { rules.append(rule) }
            }
        } else if top["extends"] == nil {
            error(root, "missing 'rules' (the list of rules)")
        }
        guard let name else { return nil }
        return RuleSet(
            name: name, version: string(top["version"]?.value, "version"),
            description: string(top["description"]?.value, "description"), file: file,
            sha256: sha256, appliesTo: applies, targets: targets, rules: rules,
            language: choice(top["language"]?.value, "language", MessageLanguage.self))
    }

    /// `applies_to: {genre: …, issuer: …, title: …, text: …}`; each a value or a list.
    package mutating func appliesTo(_ node: Node?) -> Applicability {
        guard let node, let m = mapping(node, "applies_to", allowed: RuleSchema.appliesTo) else {
            return Applicability()
        }
        if m.isEmpty { error(node, "applies_to names none of: \(RuleSchema.appliesTo.joined(separator: ", "))") }
        return appliesTo(entries: m, "applies_to")
    }

    /// The `applies_to` keys among `m`'s entries (`applies_to`, or a `when:` condition named `what`).
    package mutating func appliesTo(entries m: Entries, _ what: String) -> Applicability {
        var a = Applicability()
        for g in strings(m["genre"]?.value, "\(what).genre") {
            if let genre = Genre(rawValue: g), genre != .unknown {
                a.genres.append(genre)
            } else {
                let names = Genre.allCases.filter { $0 != .unknown }.map(\.rawValue)
                let hint = Self.hint(g, among: names)
                error(m["genre"]?.value, "unknown genre '\(g)'\(hint); genres: \(names.joined(separator: ", "))")
            }
        }
        func matchers(_ key: String) -> [NameMatcher] {
            guard let v = m[key]?.value else { return [] }
            if case .sequence(let seq) = v { return seq.compactMap { matcher($0, "\(what).\(key)") } }
            return matcher(v, "\(what).\(key)").map { [$0] } ?? []
        }
        a.issuer = matchers("issuer")
        a.title = matchers("title")
        a.text = matchers("text")
        return a
    }

    /// A target under `targets:`: a bare value, or `{value, date, source}`; nil, with an error, when the value is
    /// not a measure, the date is not ISO, or it has neither.
    package mutating func target(_ name: String, _ node: Node) -> RuleSet.Target? {
        if case .sequence(let seq) = node {
            // Alternatives: the first whose `when` holds; one without `when` (the default) comes last.
            var options = [RuleSet.Target.Option]()
            for (k, item) in seq.enumerated() {
                guard case .mapping(let im) = item else {
                    error(item, "target '\(name)' alternative \(k + 1) is a mapping {when, value}")
                    continue
                }
                var cond: Condition?
                if let w = im["when"] {
                    cond = condition(w, "target '\(name)' alternative \(k + 1) when")
                    if cond == nil { continue }
                } else if k != seq.count - 1 {
                    error(item, "target '\(name)' alternative \(k + 1) has no 'when'; only the last may be the default")
                }
                var plain = im
                plain["when"] = nil
                guard var t = target(name, .mapping(plain)) else { continue }
                t.options = []
                options.append(RuleSet.Target.Option(when: cond, target: t))
            }
            if seq.isEmpty { error(node, "target '\(name)' lists no alternative") }
            guard var first = options.first?.target else { return nil }
            first.options = options
            return first
        }
        var value: Node?
        var date: Node?
        var source: String?
        if case .scalar = node {
            value = node
        } else {
            guard let m = mapping(node, "target '\(name)'", allowed: RuleSchema.target) else { return nil }
            value = m["value"]?.value
            date = m["date"]?.value
            source = string(m["source"]?.value, "source")
        }
        var t = RuleSet.Target(name: name, measure: nil, date: nil, source: source)
        if let v = string(value, "value") {
            guard let m = Measure.parse(v) else {
                error(
                    value,
                    "target '\(name)': '\(v)' is not a number with an optional unit (80%, 330天, 1.5亿元, $5 million)");
                return nil
            }
            t.measure = m
        }
        if date != nil {
            guard let d = self.date(date, "target '\(name)' date") else { return nil }
            t.date = d
        }
        if t.measure == nil && t.date == nil { error(node, "target '\(name)' needs a value or a date"); return nil }
        return t
    }

    /// One rule under `rules:`, with the set's default severities; nil, with the errors recorded, when anything in
    /// it is wrong.
    package mutating func rule(
        _ node: Node, targets: [String: RuleSet.Target], severity defaultSeverity: Severity,
        onMissing defaultMissing: Severity, calendar: (key: Node, value: Node)? = nil
    ) -> Rule? {
        let allKeys = RuleSchema.common + Set(RuleSchema.kindKeys.values.flatMap { $0 }).sorted()
        guard case .mapping(let raw) = node else { error(node, "each rule must be a mapping"); return nil }
        let kindNode = raw["kind"]
        let kindText = kindNode?.scalar?.string
        let kind = kindText.flatMap(RuleKind.init(rawValue:))
        let allowed = kind.map { RuleSchema.common + RuleSchema.kindKeys[$0]! } ?? allKeys
        let idText = raw["id"]?.scalar?.string ?? "?"
        guard let m = mapping(node, "rule '\(idText)'", allowed: allowed) else { return nil }
        let before = errors.count
        guard let id = string(m["id"]?.value, "id") else { error(node, "a rule needs an 'id'"); return nil }
        if id.isEmpty
            || !id.unicodeScalars.allSatisfy({
                CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)
            })
        {
            error(m["id"]?.value, "rule id '\(id)' may hold only letters, digits, '-', '_' and '.'")
        }
        let title = string(m["title"]?.value, "title")
        if title == nil { error(node, "rule '\(id)' needs a 'title'") }
        guard let kind else {
            if let kindText {
                let hint = Self.hint(kindText, among: RuleKind.allCases.map(\.rawValue))
                error(
                    kindNode,
                    "unknown rule kind '\(kindText)'\(hint); kinds: \(RuleKind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            } else {
                error(
                    node, "rule '\(id)' needs a 'kind' (\(RuleKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return nil
        }
        let sev = severity(m["severity"]?.value, "severity") ?? defaultSeverity
        let onMissing = severity(m["on_missing"]?.value, "on_missing") ?? defaultMissing
        let scope = self.scope(m["scope"]?.value)
        var examples = Rule.Examples()
        if let e = m["examples"], let em = mapping(e.value, "examples", allowed: RuleSchema.examples) {
            examples.pass = strings(em["pass"]?.value, "examples.pass")
            examples.fail = strings(em["fail"]?.value, "examples.fail")
            examples.missing = strings(em["missing"]?.value, "examples.missing")
        }
        // The set's `calendar:` reaches its deadline rules that name none of their own.
        var entries = m
        if let calendar, m["calendar"] == nil { entries[DeadlineKind.setCalendarEntry] = calendar }
        guard let check = kind.definition.parseCheck(kind, entries, node, targets: targets, &self),
            errors.count == before
        else { return nil }
        // A threshold whose selector and target are of different families never compares: say so now.
        if let t = check as? KindCheck<ThresholdKind>, let picked = t.check.select.family {
            for ref in [t.check.target] + (t.check.upper.map { [$0] } ?? []) {
                let value: Measure?
                switch ref {
                case .literal(let m, _): value = m
                case .named(let n): value = targets[n]?.measure
                }
                guard let v = value, !Self.comparable(picked, v.family) else { continue }
                error(
                    m["target"]?.value,
                    "target \(ref) is \(v.family), but the selector picks \(picked): they never compare")
                return nil
            }
        }
        // A target with alternatives: the kind's keys are read once per alternative (each must fit them);
        // the alternative is chosen when the rule is checked.
        let named = Self.targetNames(in: node).filter { targets[$0].map { !$0.options.isEmpty } ?? false }
        if named.count > 1 {
            error(
                node,
                "rule '\(id)' uses \(named.count) targets with alternatives (\(named.map { "$" + $0 }.joined(separator: ", "))); a rule may use one"
            )
            return nil
        }
        if let name = named.first, let t = targets[name] {
            for o in t.options.dropFirst() {
                var alt = targets
                alt[name] = o.target
                guard kind.definition.parseCheck(kind, entries, node, targets: alt, &self) != nil else { return nil }
            }
        }
        let applies = m["applies_to"] == nil ? Applicability() : appliesTo(m["applies_to"]?.value)
        let when = condition(m["when"]?.value, "when")
        let messages = messageTemplates(m["message"]?.value, check: check, kind: kind)
        let refs = references(m["references"]?.value)
        guard errors.count == before else { return nil }
        return Rule(
            id: id, title: title ?? id, kind: kind, severity: sev, onMissing: onMissing,
            message: messages.single, messagesByStatus: messages.byStatus, basis: string(m["basis"]?.value, "basis"),
            references: refs,
            tags: strings(m["tags"]?.value, "tags"), scope: scope ?? .document, appliesTo: applies, when: when,
            check: check, targetChoice: named.first, examples: examples, line: node.mark?.line ?? 1, file: file)
    }

    /// The target names a rule refers to (`$name` in any of its values; `$` before a digit is dollars).
    static func targetNames(in node: Node) -> [String] {
        var out = [String]()
        func walk(_ n: Node) {
            switch n {
            case .scalar(let s):
                let t = s.string
                if t.hasPrefix("$"), let c = t.unicodeScalars.dropFirst().first, ScalarText.digit(c) == nil {
                    let name = String(t.dropFirst())
                    if !out.contains(name) { out.append(name) }
                }
            case .sequence(let seq): seq.forEach(walk)
            case .mapping(let m): for (_, v) in m { walk(v) }
            case .alias: break
            }
        }
        walk(node)
        return out
    }

    /// `scope:`: document, each-section, each-item or `{section: NAME}`; nil when absent or wrong (with an error).
    package mutating func scope(_ node: Node?) -> Scope? {
        guard let node else { return nil }
        if case .scalar(let s) = node {
            switch s.string {
            case "document": return .document
            case "each-section": return .eachSection
            case "each-item": return .eachItem
            default:
                let hint = Self.hint(s.string, among: RuleSchema.scopeValues)
                error(
                    node, "scope '\(s.string)' is not one of document, each-section, each-item, {section: NAME}\(hint)")
                return nil
            }
        }
        guard let m = mapping(node, "scope", allowed: ["section"]),
            let matcher = matcher(m["section"]?.value, "scope.section")
        else {
            return nil
        }
        return .section(matcher)
    }

    mutating func selector(_ node: Node?, _ what: String) -> Selector? {
        guard let node else { return nil }
        guard let m = mapping(node, what, allowed: RuleSchema.selector) else { return nil }
        var s = Selector()
        for k in strings(m["kind"]?.value, "\(what).kind") {
            if let fk = FactKind(rawValue: k) {
                s.kinds.append(fk)
            } else {
                let hint = Self.hint(k, among: FactKind.allCases.map(\.rawValue))
                error(
                    m["kind"]?.value,
                    "unknown fact kind '\(k)'\(hint); kinds: \(FactKind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
        }
        if let ln = m["label"]?.value, case .mapping = ln {
            // label: {exact: 整改率} or {exact: [整改率, 整改完成率]}: the label is one of these, nothing more.
            if let lm = mapping(ln, "\(what).label", allowed: ["exact"]) {
                s.exactLabels = strings(lm["exact"]?.value, "\(what).label.exact").map {
                    String(String.UnicodeScalarView(ScalarText.foldWidth($0)))
                }
                if s.exactLabels.isEmpty { error(ln, "\(what).label {exact: …} names no label") }
            }
        } else {
            s.label = matcher(m["label"]?.value, "\(what).label")
            if let l = s.label?.literal, l.contains("|") {
                let alternatives = l.split(separator: "|").map(String.init)
                error(
                    m["label"]?.value,
                    "\(what).label '\(l)' holds '|' but is not a /pattern/, so it matches the text '\(l)' literally; "
                        + "write /\(l)/ for any of them, or {exact: [\(alternatives.joined(separator: ", "))]}")
            }
        }
        // Facts carry units as read through the width folding (％ is %), so a rule's units are folded too.
        s.units = strings(m["unit"]?.value, "\(what).unit").map {
            String(String.UnicodeScalarView(ScalarText.foldWidth($0)))
        }
        for u in s.units where !FactScanner.knownUnits.contains(u) {
            let hint = Self.hint(u, among: FactScanner.knownUnits.sorted())
            error(
                m["unit"]?.value, "unknown unit '\(u)'\(hint); a unit is written as in bulletins (%, 个, 项, 天, 个百分点, 万元)"
            )
        }
        s.section = matcher(m["section"]?.value, "\(what).section")
        s.sentence = strings(m["sentence"]?.value, "\(what).sentence")
        s.approx = bool(m["approx"]?.value, "\(what).approx")
        s.ocr = bool(m["ocr"]?.value, "\(what).ocr")
        for r in strings(m["role"]?.value, "\(what).role") {
            if let role = TallyRole(rawValue: r) {
                s.roles.append(role)
            } else {
                let hint = Self.hint(r, among: TallyRole.allCases.map(\.rawValue))
                error(
                    m["role"]?.value,
                    "unknown role '\(r)'\(hint); roles: \(TallyRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        for t in strings(m["tally"]?.value, "\(what).tally") {
            if t == "any" {
                s.inTally = true
            } else if let subject = TallySubject(rawValue: t) {
                s.tallySubjects.append(subject); s.inTally = true
            } else {
                let hint = Self.hint(t, among: RuleSchema.tallyValues)
                error(
                    m["tally"]?.value,
                    "unknown tally subject '\(t)'\(hint); tally is one of: \(RuleSchema.tallyValues.joined(separator: ", "))"
                )
            }
        }
        if let nn = m["not"]?.value {
            // Selectors may nest through not: only as deep as a person writes them.
            if what.components(separatedBy: ".not").count > 4 {
                error(nn, "\(what).not is nested more than 3 deep")
            } else if let n = selector(nn, "\(what).not") {
                if n.isEmpty { error(nn, "\(what).not names no condition") } else { s.not = [n] }
            }
        }
        if let p = string(m["match"]?.value, "\(what).match") {
            s.match = regex(m["match"]?.value, p, "\(what).match")
            let names = SendableRegex.groupNames(p)
            let cap = string(m["capture"]?.value, "\(what).capture") ?? names.first
            if let cap, !names.contains(cap) {
                error(m["capture"]?.value ?? m["match"]?.value, "\(what).match has no capture named '\(cap)'")
            }
            if cap == nil { error(m["match"]?.value, "\(what).match needs a named capture, e.g. (?<value>\\d+%)") }
            s.capture = cap
            let typeName = string(m["type"]?.value, "\(what).type") ?? "quantity"
            let allowedTypes: [FactKind] = [.quantity, .percent, .money, .date, .number]
            if let t = FactKind(rawValue: typeName), allowedTypes.contains(t) {
                s.captureType = t
            } else {
                error(
                    m["type"]?.value, "\(what).type '\(typeName)' is not one of quantity, percent, money, date, number")
            }
        } else if m["capture"] != nil || m["type"] != nil {
            error(m["capture"]?.key ?? m["type"]?.key, "'capture' and 'type' go with 'match'")
        }
        return s
    }
}
