import Foundation
import FoundationXML

/// What an SVG file holds, read with a real XML parser: elements by name, and the children of
/// the groups with an id.
final class SVGCheck: NSObject, XMLParserDelegate {
  private(set) var elements: [String: Int] = [:]
  private(set) var inGroup: [String: Int] = [:]
  private(set) var texts: [String] = []
  private var groups: [String] = []
  private var text = ""

  /// Parses the file; nil if it is not well-formed XML with an `svg` root.
  static func read(_ path: String) -> SVGCheck? {
    guard let parser = XMLParser(contentsOf: URL(fileURLWithPath: path)) else { return nil }
    let check = SVGCheck()
    parser.delegate = check
    guard parser.parse(), check.elements["svg"] == 1 else { return nil }
    return check
  }

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    elements[name, default: 0] += 1
    if let group = groups.last, !group.isEmpty { inGroup[group, default: 0] += 1 }
    if name == "g" { groups.append(attributes["id"] ?? "") }
    text = ""
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

  func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
    if name == "g" { groups.removeLast() }
    if name == "text" { texts.append(text) }
  }
}
