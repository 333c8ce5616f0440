import CLibXML2
import Foundation

/// The article body of a portal page: the element holding the bulletin's paragraphs, found the way
/// reader views find it (Readability's scoring): every paragraph-like element with enough text gives its
/// parent a score (one, plus one per clause mark, plus its length in hundreds of characters up to three)
/// and half that to its grandparent; the element with the best score, discounted by the share of its text
/// inside links, is the body, with those of its siblings that score nearly as well or hold long text with
/// few links. A page whose best element holds under `minimumText` characters outside links has no body
/// found, and is read whole.
///
/// Portals wrap the body in menus, breadcrumbs, columns of related links and a footer with the site's
/// registration numbers, most often in plain `div`s: leaving them out keeps their figures out of the facts.
struct MainContent {
    /// The body's elements (the best one and the siblings kept with it); empty when none was found.
    private(set) var nodes = Set<UnsafeMutablePointer<xmlNode>>()

    /// The least text outside links, in characters, for an element to be taken as the body.
    static let minimumText = 120

    init(root: UnsafeMutablePointer<xmlNode>) {
        var text = [UnsafeMutablePointer<xmlNode>: (all: Int, links: Int)]()
        var scores = [UnsafeMutablePointer<xmlNode>: Double]()
        var order = [UnsafeMutablePointer<xmlNode>]()

        /// Characters of text under `node` and of text under links, stored for every element.
        @discardableResult
        func measure(_ node: UnsafeMutablePointer<xmlNode>, inLink: Bool) -> (all: Int, links: Int) {
            var all = 0
            var links = 0
            var child = node.pointee.children
            while let c = child {
                switch c.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    let n = Self.visibleCount(c.pointee.content)
                    all += n
                    if inLink { links += n }
                case XML_ELEMENT_NODE:
                    let name = String(cString: c.pointee.name).lowercased()
                    if HTMLText.skipped.contains(name) || HTMLText.hidden(c) || HTMLText.furniture(c) { break }
                    let m = measure(c, inLink: inLink || name == "a")
                    all += m.all
                    links += m.links
                default: break
                }
                child = c.pointee.next
            }
            text[node] = (all, links)
            order.append(node)
            return (all, links)
        }
        measure(root, inLink: false)

        // Paragraph-like elements give their score to their parent and half to the grandparent.
        for node in order {
            let name = String(cString: node.pointee.name).lowercased()
            guard ["p", "pre", "td", "li", "div", "section", "font", "span"].contains(name),
                let t = text[node], t.all - t.links >= 20
            else { continue }
            // A div or section counts only for its own text, not its child blocks'.
            let own = name == "div" || name == "section" ? Self.ownText(node) : t.all - t.links
            guard own >= 20 else { continue }
            let clauses = Self.clauseMarks(node)
            let score = 1 + Double(clauses) + min(Double(own) / 100, 3)
            if let parent = node.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE {
                scores[parent, default: 0] += score
                if let grand = parent.pointee.parent, grand.pointee.type == XML_ELEMENT_NODE {
                    scores[grand, default: 0] += score / 2
                }
            }
        }
        func adjusted(_ node: UnsafeMutablePointer<xmlNode>) -> Double {
            guard let s = scores[node], let t = text[node], t.all > 0 else { return 0 }
            return s * (1 - Double(t.links) / Double(t.all))
        }
        guard let best = scores.keys.max(by: { adjusted($0) < adjusted($1) }), let t = text[best],
            t.all - t.links >= Self.minimumText
        else { return }
        // The whole page's body is no narrower than the page: nothing to leave out.
        let bestName = String(cString: best.pointee.name).lowercased()
        if bestName == "body" || bestName == "html" { return }
        nodes.insert(best)
        let threshold = max(10, adjusted(best) * 0.2)
        var sibling = best.pointee.parent?.pointee.children
        while let s = sibling {
            if s != best, s.pointee.type == XML_ELEMENT_NODE, let st = text[s], st.all > 0 {
                let density = Double(st.links) / Double(st.all)
                if adjusted(s) >= threshold || (st.all - st.links >= 80 && density < 0.25) { nodes.insert(s) }
            }
            sibling = s.pointee.next
        }
    }

    /// Characters of text directly in `node` and in its inline children (not in child blocks).
    static func ownText(_ node: UnsafeMutablePointer<xmlNode>) -> Int {
        var n = 0
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_TEXT_NODE {
                n += visibleCount(c.pointee.content)
            } else if c.pointee.type == XML_ELEMENT_NODE {
                let name = String(cString: c.pointee.name).lowercased()
                if !HTMLText.blocks.contains(name), !HTMLText.skipped.contains(name), name != "a" { n += ownText(c) }
            }
            child = c.pointee.next
        }
        return n
    }

    /// The clause marks (，。、；, and commas) in the text under `node`: prose has them, menus do not.
    static func clauseMarks(_ node: UnsafeMutablePointer<xmlNode>) -> Int {
        guard let content = xmlNodeGetContent(node) else { return 0 }
        defer { free(content) }
        var n = 0
        for u in String(cString: content).unicodeScalars where "，。、；,;".unicodeScalars.contains(u) { n += 1 }
        return min(n, 30)
    }

    /// The characters of a text node that are not white space.
    static func visibleCount(_ content: UnsafeMutablePointer<xmlChar>?) -> Int {
        guard let content else { return 0 }
        return String(cString: content).unicodeScalars.reduce(0) { $0 + ($1.properties.isWhitespace ? 0 : 1) }
    }

    /// Whether an element's class or id says it holds the title (`class="title"`, `id="article-title"`).
    static func saysTitle(_ node: UnsafeMutablePointer<xmlNode>) -> Bool {
        for attribute in ["class", "id"] {
            guard let v = xmlGetProp(node, attribute) else { continue }
            defer { free(v) }
            let words = String(cString: v).lowercased().split { $0 == " " || $0 == "-" || $0 == "_" }
            if words.contains(where: { $0 == "title" || $0 == "tit" || $0 == "articletitle" }) { return true }
        }
        return false
    }

    /// The keys that open a portal's metadata line (发布日期：…, 来源：…, 索引号：…).
    static let metadataKeys = [
        "索引号", "发布机构", "发文机关", "发布单位", "发布日期", "发布时间", "成文日期", "发文日期", "来源", "信息来源",
        "文章来源", "日期", "时间", "作者", "Published", "Source", "Date",
    ]

    /// Whether a line holds a portal metadata field: one of `metadataKeys` followed by a colon.
    static func isMetadataLine(_ line: String) -> Bool {
        metadataKeys.contains { key in
            line.contains(key + "：") || line.contains(key + ":") || line.contains(key + " :")
        }
    }
}
