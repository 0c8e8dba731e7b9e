/// Something drawn into a rectangle of a cell buffer, as ratatui's `Widget`: it knows nothing of
/// terminals, so every widget is tested by comparing the buffer with the text it should show.
protocol Widget {
  func render(into buffer: inout CellBuffer, _ rect: Rect)
}
