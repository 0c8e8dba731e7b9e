import Foundation
import NIOConcurrencyHelpers

/// Failed login attempts per client address: each failure is answered only after a delay that
/// doubles with the address's recent failures (0.5 s, 1 s, 2 s, ... at most 8 s), which makes
/// guessing a password slow without locking a class out. An address's count is forgotten after
/// ten quiet minutes.
final class FailedLogins: Sendable {
  private struct Record {
    var count: Int
    var last: Date
  }
  private let records = NIOLockedValueBox<[String: Record]>([:])
  static let forgetAfter: TimeInterval = 600

  /// Counts a failure from `address`; returns the delay before answering it, and the count.
  func fail(_ address: String, now: Date = Date()) -> (delay: TimeInterval, count: Int) {
    records.withLockedValue { records in
      // Keep the table small: old records go whenever a failure arrives.
      if records.count > 1000 { records = records.filter { now.timeIntervalSince($0.value.last) < Self.forgetAfter } }
      var record = records[address] ?? Record(count: 0, last: now)
      if now.timeIntervalSince(record.last) >= Self.forgetAfter { record.count = 0 }
      record.count += 1
      record.last = now
      records[address] = record
      return (min(0.5 * pow(2, Double(min(record.count - 1, 10))), 8), record.count)
    }
  }

  /// Failures from `address` in its current run.
  func count(_ address: String) -> Int { records.withLockedValue { $0[address]?.count ?? 0 } }
}
