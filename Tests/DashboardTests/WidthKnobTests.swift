import DescentCore
import Testing

@testable import Dashboard

@Suite("A width per layer on the knobs")
struct WidthKnobTests {
  @Test func chooseALayerThenChangeItsWidthAlone() {
    var setup = RunSetup.post
    setup.widths = [6, 4]
    let settings = Settings(setup: setup)
    #expect(Knob.layer.applies(to: settings) && Knob.width.text(settings) == "6")
    // The layer knob only chooses: no new run, nothing on the command line.
    let second = Knob.layer.stepped(settings, by: 1)
    #expect(Knob.layer.text(second) == "2" && Knob.width.text(second) == "4")
    #expect(SettingsChange(from: settings, to: second).restart == nil && second.commandLine == settings.commandLine)
    // The width knob changes that layer: a new run, marked with the layer and its width.
    let wider = Knob.width.stepped(second, by: 1)
    #expect(wider.setup.hiddenWidths == [6, 5] && wider.setup.widths == [6, 5])
    #expect(SettingsChange(from: second, to: wider).restart == "layer 2 width 5")
    #expect(wider.commandLine == "descent --hidden 6,5")
    // The same width everywhere is written as one number again.
    let even = Knob.width.stepped(wider, by: 1)
    #expect(even.setup.widths == nil && even.setup.hidden == 6 && even.setup.layers == 2)
    #expect(even.commandLine == "descent --hidden 6 --layers 2")
  }

  @Test func withOneLayerTheLayerKnobDoesNotApply() {
    let settings = Settings()
    #expect(!Knob.layer.applies(to: settings) && Knob.layer.stepped(settings, by: 1) == settings)
    let wider = Knob.width.stepped(settings, by: 1)
    #expect(wider.setup.hiddenWidths == [4] && wider.setup.widths == nil)
  }

  /// Fewer layers than the chosen one: the knob reads the last layer.
  @Test func theChoiceStaysWithinTheLayers() {
    var setup = RunSetup.post
    setup.widths = [6, 4, 3]
    var settings = Knob.layer.stepped(Knob.layer.stepped(Settings(setup: setup), by: 1), by: 1)
    #expect(Knob.width.text(settings) == "3")
    settings = Knob.layers.stepped(settings, by: -1)
    #expect(Knob.layer.text(settings) == "2" && Knob.width.text(settings) == "6")
  }
}
