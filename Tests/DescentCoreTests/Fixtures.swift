import DescentCore
import Foundation

/// The numpy / scikit-learn reference values written by `scripts/make_fixtures.py`.
enum Fixtures {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func json(_ name: String) -> [String: Any] {
    let data = try! Data(contentsOf: folder.appendingPathComponent(name + ".json"))
    return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
  }

  static func text(_ name: String) -> String {
    try! String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
  }

  /// Doubles stored as repr() strings, parsed exactly.
  static func doubles(_ value: Any?) -> [Double] { (value as! [String]).map { Double($0)! } }
  static func ints(_ value: Any?) -> [Int] { (value as! [NSNumber]).map(\.intValue) }

  static var rng: [String: Any] { json("rng") }
  static var datasets: [String: Any] { json("datasets") }

  static func dataset(_ name: String) -> (X: [Double], y: [Int]) {
    let entry = datasets[name] as! [String: Any]
    return (doubles(entry["X"]), ints(entry["y"]))
  }
}
