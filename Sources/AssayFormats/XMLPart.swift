import AssayValues
import CLibXML2
import Foundation

/// One XML part of a zip package (DOCX, OFD), parsed by libxml2: no network, no DTD loaded, entities not
/// substituted (an entity reference stays a node that the readers ignore, so no entity expands), errors
/// not printed. The document is freed with the part.
final class XMLPart {
    private let doc: xmlDocPtr
    private let rootNode: xmlNodePtr
    /// The root element; it and every element reached from it keep the part alive.
    var root: XMLElement { XMLElement(node: rootNode, part: self) }

    private init(doc: xmlDocPtr, root: xmlNodePtr) {
        self.doc = doc
        self.rootNode = root
    }

    deinit { xmlFreeDoc(doc) }

    /// Parses `bytes`, the part `path` of a `label` package; a part that is not well-formed XML is a failure
    /// naming the part and the line where libxml2 stopped.
    static func parse(_ bytes: [UInt8], path: String, label: String) throws(ConversionFailure) -> XMLPart {
        guard let context = xmlNewParserCtxt() else {
            throw ConversionFailure("\(label): \(path) could not be parsed (out of memory)")
        }
        defer { xmlFreeParserCtxt(context) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let parsed: xmlDocPtr? =
            bytes.isEmpty
            ? nil
            : bytes.withUnsafeBufferPointer { b in
                b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { p in
                    xmlCtxtReadMemory(context, p, Int32(clamping: b.count), nil, nil, options)
                }
            }
        guard let doc = parsed, context.pointee.wellFormed != 0 else {
            if let parsed { xmlFreeDoc(parsed) }
            let line = Int(context.pointee.lastError.line)
            throw ConversionFailure(
                "\(label): \(path) is not well-formed XML" + (bytes.isEmpty ? " (it is empty)" : " (line \(line))"))
        }
        guard let root = xmlDocGetRootElement(doc) else {
            xmlFreeDoc(doc)
            throw ConversionFailure("\(label): \(path) has no root element")
        }
        return XMLPart(doc: doc, root: root)
    }
}

/// An element of a parsed part, holding the part (whose document libxml2 frees with it).
struct XMLElement {
    let node: xmlNodePtr
    let part: XMLPart

    /// The local name (without prefix).
    var name: String { String(cString: node.pointee.name) }

    /// The namespace URI, if any.
    var namespace: String? {
        guard let ns = node.pointee.ns, let href = ns.pointee.href else { return nil }
        return String(cString: href)
    }

    /// Whether the local name is `name`.
    func `is`(_ name: String) -> Bool { xmlStrEqual(node.pointee.name, name) != 0 }

    /// The element children, in order.
    var elements: [XMLElement] {
        var out = [XMLElement]()
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE { out.append(XMLElement(node: c, part: part)) }
            child = c.pointee.next
        }
        return out
    }

    /// The first element child with local name `name`.
    func first(_ name: String) -> XMLElement? {
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE, xmlStrEqual(c.pointee.name, name) != 0 {
                return XMLElement(node: c, part: part)
            }
            child = c.pointee.next
        }
        return nil
    }

    /// The element children with local name `name`.
    func all(_ name: String) -> [XMLElement] { elements.filter { $0.is(name) } }

    /// The attribute with local name `name`, whatever its namespace.
    func attribute(_ name: String) -> String? {
        var attr = node.pointee.properties
        while let a = attr {
            if xmlStrEqual(a.pointee.name, name) != 0 {
                var text = ""
                var child = a.pointee.children
                while let c = child {
                    if let content = c.pointee.content { text += String(cString: content) }
                    child = c.pointee.next
                }
                return text
            }
            attr = a.pointee.next
        }
        return nil
    }

    /// The text of the element's text and CDATA descendants, in order (entity references left out).
    var text: String {
        var out = ""
        func walk(_ n: xmlNodePtr) {
            var child = n.pointee.children
            while let c = child {
                switch c.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let content = c.pointee.content { out += String(cString: content) }
                case XML_ELEMENT_NODE: walk(c)
                default: break
                }
                child = c.pointee.next
            }
        }
        walk(node)
        return out
    }
}

/// "1 comment" / "3 comments".
func counted(_ n: Int, _ singular: String, _ plural: String) -> String { "\(n) \(n == 1 ? singular : plural)" }
