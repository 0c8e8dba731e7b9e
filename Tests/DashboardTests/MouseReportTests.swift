import Testing

@testable import Dashboard

@Suite("Mouse reports read after ESC")
struct MouseReportTests {
  /// The characters after an ESC as they come, then nothing (a time-out); the waits asked for.
  final class Source {
    var rest: [UInt32]
    var waits: [Int32] = []
    init(_ text: String) { rest = text.unicodeScalars.map(\.value) }
    func next(_ milliseconds: Int32) -> UInt32? {
      waits.append(milliseconds)
      return rest.isEmpty ? nil : rest.removeFirst()
    }
  }

  func read(_ text: String) -> (MouseReport.Outcome, Source) {
    let source = Source(text)
    return (MouseReport.afterEscape(source.next), source)
  }

  @Test func sgrAndX10ReportsBecomeClicksAndDrags() {
    #expect(read("[<0;12;5M").0 == .init(key: .mouse(x: 11, y: 4, secondary: false, dragging: false)))
    #expect(read("[<2;160;48M").0 == .init(key: .mouse(x: 159, y: 47, secondary: true, dragging: false)))
    #expect(read("[<16;3;3M").0 == .init(key: .mouse(x: 2, y: 2, secondary: true, dragging: false)))  // ctrl
    #expect(read("[<32;7;9M").0 == .init(key: .mouse(x: 6, y: 8, secondary: false, dragging: true)))
    #expect(read("[<0;12;5m").0 == .init(key: nil))  // a release
    #expect(read("[<64;12;5M").0 == .init(key: nil))  // the wheel
    // X10: each value plus 32, coordinates from 1.
    #expect(read("[M !!").0 == .init(key: .mouse(x: 0, y: 0, secondary: false, dragging: false)))
    #expect(read("[M\"zc").0 == .init(key: .mouse(x: 89, y: 66, secondary: true, dragging: false)))
    #expect(read("[M#!!").0 == .init(key: nil))  // X10's release
    // Nothing is left over: the next key is the next character.
    let (_, source) = read("[<0;1;1Mq")
    #expect(source.rest == [UInt32(("q" as Unicode.Scalar).value)])
  }

  /// ncurses's decoder waited without end for the rest of a report; here each character has a
  /// time limit, and a report cut short is dropped.
  @Test func aReportCutShortIsDroppedAfterAShortWait() {
    for cut in ["[M", "[M !", "[<", "[<0;12", "[<0;12;5"] {
      let (outcome, source) = read(cut)
      #expect(outcome == .init(key: nil), "\(cut)")
      #expect(source.waits.dropFirst().allSatisfy { $0 == MouseReport.patience }, "\(cut)")
      #expect(source.waits.count <= cut.count + 1)
    }
    // A report that runs into the next ESC gives that ESC back, to start the next report.
    #expect(read("[<0;5\u{1b}[<0;1;1M").0 == .init(key: nil, pushBack: [27]))
    // An endless run of digits ends too.
    #expect(read("[<" + String(repeating: "1", count: 100)).0 == .init(key: nil))
  }

  @Test func anythingElseIsEscapeThenItsCharacters() {
    #expect(read("").0 == .init(key: .escape))
    #expect(read("").1.waits == [0])  // a lone ESC has waited curses' escape delay already
    #expect(read("x").0 == .init(key: .escape, pushBack: [120]))  // Alt-x
    #expect(read("[").0 == .init(key: .escape, pushBack: [91]))  // Alt-[
    #expect(read("[A").0 == .init(key: .escape, pushBack: [91, 65]))
  }
}
