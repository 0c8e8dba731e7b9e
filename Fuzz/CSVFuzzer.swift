// libFuzzer harness: the CSV reader must return points or throw an InputError, never crash.
// Built and run by scripts/fuzz.sh.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Data(bytes: data, count: size)
  guard !bytes.contains(0), let text = String(data: bytes, encoding: .utf8) else { return 0 }
  if let points = try? Dataset.parseCSV(text, name: "fuzz") {
    precondition(points.count > 0 && points.X.rows == points.y.count && points.classes >= 2)
    precondition(points.X.storage.allSatisfy(\.isFinite))
  }
  return 0
}
