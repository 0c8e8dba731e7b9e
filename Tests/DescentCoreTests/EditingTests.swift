import Testing

@testable import DescentCore

@Suite("Points added and removed by hand")
struct EditingTests {
  @Test func addingAndRemovingKeepTheOtherPoints() throws {
    let data = Dataset.generate(.moons, samples: 20, seed: 0)
    let grown = data.adding(x: 0.25, y: -0.5, label: 1)
    #expect(grown.count == 21 && grown.classes == 2)
    #expect(Array(grown.X.storage.prefix(40)) == data.X.storage && Array(grown.y.prefix(20)) == data.y)
    #expect(grown.X[20, 0] == 0.25 && grown.X[20, 1] == -0.5 && grown.y[20] == 1)
    #expect(grown.nearest(x: 0.26, y: -0.49) == 20)
    #expect(grown.removing(20) == data)
    #expect(data.adding(x: 0, y: 0, label: 2).classes == 3, "a new label makes a new class")
  }

  @Test func aTrainerCarriesOnOnEditedData() throws {
    let trainer = try RunSetup.post.makeTrainer()
    trainer.train(100)
    let next = trainer.continuing(on: trainer.data.adding(x: 0, y: 0, label: 0))
    #expect(next.iteration == 100 && next.network == trainer.network && next.data.count == 201)
    next.train(1)
    #expect(next.iteration == 101 && next.network != trainer.network)
  }
}
