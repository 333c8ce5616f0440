import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// The JSON Schema in Rules/schema/ and the loader must accept the same keys, and every bundled rule
/// file must validate against the schema (checked with Python's jsonschema).
@Suite struct RuleSchemaTests {
    let schemaPath = repoRoot.appendingPathComponent("Rules/schema/assay-rules.schema.json").path

    func keys(_ v: JSONValue?) -> Set<String> {
        guard case .object(let pairs)? = v?["properties"] else { return [] }
        return Set(pairs.map(\.0))
    }

    @Test func schemaAndLoaderAcceptTheSameKeys() throws {
        let text = try String(contentsOfFile: schemaPath, encoding: .utf8)
        let schema = try JSONValue.parse(text)
        let defs = schema["definitions"]
        #expect(keys(schema) == Set(RuleSchema.topLevel))
        #expect(keys(schema["properties"]?["defaults"]) == Set(RuleSchema.defaults))
        let rule = defs?["rule"]
        #expect(keys(rule) == Set(RuleSchema.common + RuleSchema.kindKeys.values.flatMap { $0 }))
        #expect(keys(defs?["selector"]) == Set(RuleSchema.selector))
        #expect(keys(rule?["properties"]?["items"]) == Set(RuleSchema.items))
        #expect(keys(rule?["properties"]?["examples"]) == Set(RuleSchema.examples))
        guard case .object(let kindEnum)? = rule?["properties"]?["kind"],
            case .array(let kinds)? = kindEnum.first(where: { $0.0 == "enum" })?.1
        else {
            Issue.record("no kind enum"); return
        }
        #expect(
            Set(kinds.compactMap { if case .string(let s) = $0 { return s } else { return nil } })
                == Set(RuleKind.allCases.map(\.rawValue)))
    }

    /// The kinds' parts of the schema (the `kind` enum, their keys, what each requires) are made from their
    /// definitions (Kinds/); `ASSAY_UPDATE_GOLDEN=1 swift test` rewrites the file after a kind changes.
    @Test func schemaFileIsGeneratedFromTheKindDefinitions() throws {
        let text = try String(contentsOfFile: schemaPath, encoding: .utf8)
        let generated = RuleSchema.schema(base: try JSONValue.parse(text)).rendered() + "\n"
        if ProcessInfo.processInfo.environment["ASSAY_UPDATE_GOLDEN"] == "1", generated != text {
            try generated.write(toFile: schemaPath, atomically: true, encoding: .utf8)
            return
        }
        #expect(
            generated == text,
            "Rules/schema/assay-rules.schema.json is not what the kinds define; ASSAY_UPDATE_GOLDEN=1 swift test rewrites it"
        )
        // Every fragment is a JSON object naming exactly its kind's keys.
        for d in RuleKinds.all {
            guard case .object(let pairs) = try JSONValue.parse(d.schemaProperties) else {
                Issue.record("\(d.names): not an object"); continue
            }
            #expect(pairs.map(\.0) == d.keys, "\(d.names)")
        }
    }

    /// Every kind's example loads, and docs/rules.md shows it as written.
    @Test func everyKindsExampleLoadsAndIsInTheDocs() throws {
        let page = try String(contentsOf: repoRoot.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        for kind in RuleKind.allCases {
            let d = RuleKindDescription.of(kind)
            let set = try RuleLoader().load(yaml: "assay: 1\nruleset: t\nrules:\n" + d.example, file: "t.yml")
            #expect(set.rules.map(\.kind) == [kind])
            #expect(page.contains(d.example), "docs/rules.md does not show the example of \(kind)")
        }
    }

    @Test(arguments: ["chongqing-sample.yml", "xunshi-progress.yml"])
    func bundledRuleFileValidatesAgainstTheSchema(_ name: String) throws {
        let rule = repoRoot.appendingPathComponent("Rules/\(name)").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "python3", "-c",
            "import json,sys,yaml,jsonschema; jsonschema.validate(yaml.safe_load(open(sys.argv[2])), json.load(open(sys.argv[1]))); print('valid')",
            schemaPath, rule,
        ]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text == "valid\n")
    }

    @Test func everyKindAndKeyIsDocumentedWithAnExample() throws {
        // The rule language's reference page.
        let page = try String(contentsOf: repoRoot.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        for kind in RuleKind.allCases {
            #expect(!RuleKindDescription.of(kind).summary.isEmpty)
            #expect(page.contains("kind: \(kind.rawValue)"), "docs/rules.md has no example of \(kind.rawValue)")
            for key in RuleSchema.kindKeys[kind]! {
                #expect(page.contains("`\(key)`"), "docs/rules.md does not document key \(key) of \(kind.rawValue)")
            }
        }
        for key in RuleSchema.selector + RuleSchema.appliesTo {
            #expect(page.contains("`\(key)`"), "docs/rules.md does not document key \(key)")
        }
    }
}
