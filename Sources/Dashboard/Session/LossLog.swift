/// Every loss of the session, one row per iteration, for `loss.csv`: the chart keeps a bounded
/// summary (`LossSeries`), this keeps the numbers. The trainer thread appends (a batch per
/// snapshot, not a lock per step); an export reads it on its own queue.
///
/// Iterations are the post's numbering within each run (`descent train`'s). When the session
/// outgrows `capacity` rows, the runs before the current one go; when the current run alone
/// does, its oldest rows go.
public final class LossLog: Sendable {
  public struct Row: Sendable, Equatable {
    public var run: Int
    public var iteration: Int
    public var loss: Double
  }

  struct Rows {
    var train: [Row] = []
    var test: [Row] = []
  }

  let capacity: Int
  private let rows = Locked(Rows())

  public init(capacity: Int = 500_000) { self.capacity = max(2, capacity) }

  /// Adds rows in order: training losses and test losses.
  func append(train: [Row], test: [Row]) {
    guard !train.isEmpty || !test.isEmpty else { return }
    rows.withLock { rows in
      rows.train += train
      rows.test += test
      guard rows.train.count > capacity, let current = rows.train.last?.run else { return }
      // The session is too large: only the current run, and of that the newest rows.
      let firstOfRun = rows.train.firstIndex { $0.run == current } ?? 0
      let drop = max(firstOfRun, rows.train.count - capacity)
      rows.train.removeFirst(drop)
      if let first = rows.train.first {
        rows.test.removeAll { $0.run < first.run || ($0.run == first.run && $0.iteration < first.iteration) }
      }
    }
  }

  /// The rows so far, copied under the lock. Not the log's own arrays shared: once a reader let
  /// go of them, the trainer's next append grows them in place, and the only order between the
  /// reader's last look and that write is the arrays' reference count, kept in the runtime,
  /// which the thread sanitizer does not see, so it reports a race.
  var contents: Rows {
    rows.withLock { rows in
      Rows(
        train: rows.train.withUnsafeBufferPointer { Array($0) }, test: rows.test.withUnsafeBufferPointer { Array($0) })
    }
  }

  /// `run,iteration,train_loss,test_loss`: one row per iteration with a loss, runs in order;
  /// the test loss is measured at most ten times a second, so most rows leave it empty.
  public var csv: String {
    let rows = contents
    var out = "run,iteration,train_loss,test_loss\n"
    var t = 0
    func testRow(_ row: Row) -> String { "\(row.run),\(row.iteration),,\(row.loss)\n" }
    for row in rows.train {
      while t < rows.test.count, (rows.test[t].run, rows.test[t].iteration) < (row.run, row.iteration) {
        out += testRow(rows.test[t])
        t += 1
      }
      var test = ""
      if t < rows.test.count, rows.test[t].run == row.run, rows.test[t].iteration == row.iteration {
        test = "\(rows.test[t].loss)"
        t += 1
      }
      out += "\(row.run),\(row.iteration),\(row.loss),\(test)\n"
    }
    while t < rows.test.count {
      out += testRow(rows.test[t])
      t += 1
    }
    return out
  }
}
