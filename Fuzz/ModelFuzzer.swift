// libFuzzer harness: the model reader must return a network or throw an InputError, never crash;
// a model it reads must write and read back to the same network.
// Built and run by scripts/fuzz.sh.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Data(bytes: data, count: size)
  guard let text = String(data: bytes, encoding: .utf8) else { return 0 }
  if let network = try? Network.parseModel(text, name: "fuzz") {
    precondition(network.isFinite && network.classes >= 2)
    precondition((try? Network.parseModel(network.modelJSON(), name: "again")) == network)
  }
  return 0
}
