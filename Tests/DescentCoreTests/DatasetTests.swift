import DescentCore
import Testing

@Suite("Data sets")
struct DatasetTests {
  static let generated: [(String, DatasetKind, Int, Double, Int, UInt32)] = [
    ("moons_200_0.2_seed0", .moons, 200, 0.2, 2, 0),
    ("moons_137_0.35_seed5", .moons, 137, 0.35, 2, 5),
    ("circles_150_0.1_seed3", .circles, 150, 0.1, 2, 3),
    ("circles_51_0.05_seed11", .circles, 51, 0.05, 2, 11),
    ("blobs_100_4_1.0_seed2", .blobs, 100, 1.0, 4, 2),
    ("blobs_75_3_0.5_seed8", .blobs, 75, 0.5, 3, 8),
  ]

  @Test(arguments: generated)
  func bitIdenticalToScikitLearn(_ c: (String, DatasetKind, Int, Double, Int, UInt32)) {
    let data = Dataset.generate(c.1, samples: c.2, noise: c.3, classes: c.4, seed: c.5)
    let expected = Fixtures.dataset(c.0)
    #expect(data.X.storage == expected.X)
    #expect(data.y == expected.y)
  }

  @Test func spiralHasOneArmPerClass() {
    let data = Dataset.generate(.spiral, samples: 300, classes: 3, seed: 0)
    #expect(data.count == 300 && data.classes == 3)
    #expect((0..<3).map { k in data.y.filter { $0 == k }.count } == [100, 100, 100])
    // The first point of every arm sits at radius 0 (CS231n's linspace(0, 1)).
    #expect(data.X[0, 0] == 0 && data.X[100, 1] == 0)
  }

  @Test func xorLabelsFollowTheQuadrantBeforeNoise() {
    let clean = Dataset.generate(.xor, samples: 400, noise: 0, seed: 3)
    for r in 0..<clean.count {
      #expect(clean.y[r] == ((clean.X[r, 0] >= 0) == (clean.X[r, 1] >= 0) ? 0 : 1))
    }
  }

  @Test func splitMatchesTrainTestSplit() {
    let data = Dataset.generate(.moons, samples: 10, seed: 0)
    let (train, test) = data.split(testFraction: 0.25, seed: 0)
    // ceil(0.25 * 10) = 3 test points: the first three of RandomState(0).permutation(10).
    var rng = RandomState(seed: 0)
    let order = rng.permutation(10)
    #expect(test == data.subset(Array(order[..<3])))
    #expect(train == data.subset(Array(order[3...])))
  }

  /// Any sizes of the two sets (a training set edited by hand): one file that the split parts again.
  @Test func joiningIsUndoneBySplitting() throws {
    let data = Dataset.generate(.sine, samples: 300, seed: 2)
    for (trainCount, testCount, seed) in [(160, 40, UInt32(0)), (157, 40, 3), (1, 1, 7), (200, 99, 1), (13, 97, 5)] {
      let (train, test) = (data.subset(Array(0..<trainCount)), data.subset(Array(trainCount..<trainCount + testCount)))
      let (all, fraction) = try #require(Dataset.joining(train: train, test: test, seed: seed))
      let (again, heldOut) = all.split(testFraction: fraction, seed: seed)
      #expect(again == train && heldOut == test, "\(trainCount) and \(testCount)")
    }
    // More than nine in ten held out is more than --test-fraction takes; a set with no points, or
    // of another shape, is not joined.
    let moons = Dataset.generate(.moons, samples: 20, seed: 0)
    #expect(Dataset.joining(train: data.subset([0]), test: data.subset(Array(1..<11)), seed: 0) == nil)
    #expect(Dataset.joining(train: data.subset([0]), test: data.subset([]), seed: 0) == nil)
    #expect(Dataset.joining(train: moons, test: data.subset([1]), seed: 0) == nil)
  }

  @Test func csvRoundTripsExactly() throws {
    let data = Dataset.generate(.blobs, samples: 30, classes: 3, seed: 4)
    #expect(try Dataset.parseCSV(data.csv()) == data)
  }

  @Test func csvWithoutHeaderAndWithBlankLinesAndCRLF() throws {
    let data = try Dataset.parseCSV("1, 2, 0\r\n\r\n3,4.5,1\r\n-1e-3,0x1p2,2\n")
    #expect(data.X.storage == [1, 2, 3, 4.5, -0.001, 4])
    #expect(data.y == [0, 1, 2] && data.classes == 3 && data.features == 2)
  }

  static let badCSV: [(String, String)] = [
    ("", "f.csv: has no data rows; expected rows of feature columns then an integer class label"),
    ("x,y,label\n", "f.csv: has no data rows; expected rows of feature columns then an integer class label"),
    ("1,2,0\n3,1\n", "f.csv: line 2 has 2 columns, but line 1 has 3"),
    ("1,2,0\n3,abc,1\n", "f.csv: line 2, column 2: 'abc' is not a number"),
    ("1,nan,0\n3,4,1\n", "f.csv: line 1, column 2: 'nan' is not a finite number"),
    ("1,2,0\n3,4,0\n", "f.csv: every point has class 0; at least two classes are needed"),
    ("1,2,0\n3,4,1.5\n", "f.csv: line 2, column 3: class label '1.5' is not a whole number from 0 to 99"),
    ("1,2,-1\n3,4,1\n", "f.csv: line 1, column 3: class label '-1' is not a whole number from 0 to 99"),
    ("5\n6\n", "f.csv: line 1 has 1 column; expected at least one feature column, then a class label"),
  ]

  @Test(arguments: badCSV)
  func badCSVNamesLineAndProblem(_ c: (String, String)) {
    #expect(throws: InputError(c.1)) { try Dataset.parseCSV(c.0, name: "f.csv") }
  }

  @Test func csvWithTooManyColumns() {
    let line = Array(repeating: "1", count: 5000).joined(separator: ",")
    #expect(throws: InputError("f.csv: line 1 has 5000 columns; at most 1000 features and a label are read")) {
      try Dataset.parseCSV(line + "\n", name: "f.csv")
    }
  }
}
