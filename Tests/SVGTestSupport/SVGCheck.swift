import Foundation
import FoundationXML

/// What an SVG holds, read with a real XML parser: elements by name, ids, the children of the
/// groups with an id, and the texts. For the dashboard's and the CLI's tests.
public final class SVGCheck: NSObject, XMLParserDelegate {
  public private(set) var elements: [String: Int] = [:]
  public private(set) var inGroup: [String: Int] = [:]
  public private(set) var ids: Set<String> = []
  public private(set) var texts: [String] = []
  private var groups: [String] = []
  private var text = ""

  /// Parses a file; nil if it is not well-formed XML with one `svg` root.
  public static func read(_ path: String) -> SVGCheck? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return parse(data)
  }

  /// Parses SVG text; nil if it is not well-formed XML with one `svg` root.
  public static func parse(_ data: Data) -> SVGCheck? {
    let parser = XMLParser(data: data)
    let check = SVGCheck()
    parser.delegate = check
    guard parser.parse(), check.elements["svg"] == 1 else { return nil }
    return check
  }

  public func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    elements[name, default: 0] += 1
    if let id = attributes["id"] { ids.insert(id) }
    if let group = groups.last, !group.isEmpty { inGroup[group, default: 0] += 1 }
    if name == "g" { groups.append(attributes["id"] ?? "") }
    text = ""
  }

  public func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

  public func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
    if name == "g" { groups.removeLast() }
    if name == "text" { texts.append(text) }
  }
}
