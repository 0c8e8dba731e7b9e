@preconcurrency import CNcurses
import Foundation

/// The terminal, and the only type that calls ncurses. Create, use and close it on one thread.
///
/// It copies a `CellBuffer` to the screen (only the cells that changed since the last frame),
/// reads keys and mouse events, and restores the terminal on `close()` and on a crash.
public final class Terminal {
  public private(set) var width: Int
  public private(set) var height: Int
  /// How many colours the terminal has (0 without colour).
  public let colors: Int
  /// Drawing in ASCII (`Glyphs`): the locale is not UTF-8, or `--ascii` asked for it.
  public let ascii: Bool
  private var screen: OpaquePointer?
  private var previous: CellBuffer?
  private var pairs: [PairKey: Int32] = [:]
  private var indices: [RGB: Int32] = [:]
  private var closed = false

  private struct PairKey: Hashable {
    var fg: Int32
    var bg: Int32
  }

  /// Takes over the terminal, or throws a one-line reason it cannot.
  public init(monochrome: Bool = false, ascii forceASCII: Bool = false) throws {
    guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
      throw TerminalError(
        "the dashboard needs a terminal, and standard input or output is not one; for a headless run use 'descent train'"
      )
    }
    let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
    guard !term.isEmpty, term != "dumb" else {
      throw TerminalError(
        "the dashboard needs a terminal that can move the cursor (TERM is '\(term)'); for a headless run use 'descent train'"
      )
    }
    setlocale(LC_ALL, "")
    ascii = forceASCII || descent_locale_is_utf8() == 0
    // ncurses learns of a resize from SIGWINCH: make sure a parent did not leave it blocked.
    var winch = sigset_t()
    sigemptyset(&winch)
    sigaddset(&winch, SIGWINCH)
    pthread_sigmask(SIG_UNBLOCK, &winch, nil)
    guard let screen = newterm(nil, stdout, stdin) else {
      throw TerminalError(
        "TERM '\(term)' is not a terminal type this system knows; try TERM=xterm-256color, or 'descent train' for a headless run"
      )
    }
    self.screen = screen
    descent_note_exit_clear()
    descent_capture_stderr()
    descent_install_crash_guard()
    descent_set_curses_active(1)
    cbreak()
    noecho()
    nonl()
    intrflush(descent_stdscr(), false)
    keypad(descent_stdscr(), true)
    curs_set(0)
    set_escdelay(25)
    if !monochrome && has_colors() {
      start_color()
      use_default_colors()
      colors = Int(descent_colors())
    } else {
      colors = 0
    }
    Self.trackMouse()
    mouseinterval(0)
    descent_watch_winch()  // after curses has set up its own handler, which it keeps
    width = Int(getmaxx(descent_stdscr()))
    height = Int(getmaxy(descent_stdscr()))
  }

  deinit { close() }

  /// Gives the terminal back: leaves curses mode, shows the cursor, stops mouse reporting.
  public func close() {
    guard !closed else { return }
    closed = true
    endwin()
    Self.stopSGRMouse()
    fflush(stdout)
    descent_exit_clear_screen()
    descent_set_curses_active(0)
    if let screen { delscreen(screen) }
    screen = nil
    descent_release_stderr()
  }

  /// Whether this process's group owns the terminal (not stopped and continued into the
  /// background); a background process must neither draw nor read keys.
  public var inForeground: Bool { tcgetpgrp(STDIN_FILENO) == getpgrp() }

  /// Puts the terminal back in the dashboard's modes and paints every cell on the next `draw`:
  /// after the process was stopped from outside, the shell has had the screen.
  public func repaint() {
    reset_prog_mode()
    curs_set(0)
    Self.trackMouse()
    previous = nil
    clearok(curscr, true)
  }

  /// Whether the window was resized since the last call, even back to the size it had: then the
  /// next `draw` paints every cell again, since the terminal may have cut or moved what was there.
  public func takeResize() -> Bool {
    guard descent_take_winch() != 0 else { return false }
    previous = nil
    clearok(curscr, true)
    return true
  }

  /// Waits up to `milliseconds` for a key (0 polls); nil if none came.
  public func read(timeout milliseconds: Int32) -> Key? {
    wtimeout(descent_stdscr(), milliseconds)
    var code: wint_t = 0
    let kind = wget_wch(descent_stdscr(), &code)
    if kind == ERR { return nil }
    if kind == descent_key_code_yes() {
      switch Int32(code) {
      case KEY_UP: return .up
      case KEY_DOWN: return .down
      case KEY_LEFT: return .left
      case KEY_RIGHT: return .right
      case KEY_SLEFT: return .shiftLeft
      case KEY_SRIGHT: return .shiftRight
      case KEY_BTAB: return .backTab
      case KEY_ENTER: return .enter
      case KEY_NPAGE: return .pageDown
      case KEY_PPAGE: return .pageUp
      case KEY_RESIZE:
        width = Int(getmaxx(descent_stdscr()))
        height = Int(getmaxy(descent_stdscr()))
        previous = nil
        // The terminal may have moved what was on it (tmux reflows on resize): repaint it all.
        clearok(curscr, true)
        return .resize
      case KEY_MOUSE:
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let state = event.bstate
        if descent_button3(state) != 0 {
          return .mouse(x: Int(event.x), y: Int(event.y), secondary: true, dragging: false)
        }
        if descent_button1_down(state) != 0 {
          let modified = descent_modified(state) != 0
          return .mouse(x: Int(event.x), y: Int(event.y), secondary: modified, dragging: false)
        }
        if descent_motion(state) != 0 {
          return .mouse(x: Int(event.x), y: Int(event.y), secondary: false, dragging: true)
        }
        return nil
      default:
        return nil
      }
    }
    switch code {
    case 9: return .tab
    case 10, 13: return .enter
    case 27:
      let outcome = MouseReport.afterEscape { milliseconds in
        wtimeout(descent_stdscr(), milliseconds)
        var next: wint_t = 0
        let kind = wget_wch(descent_stdscr(), &next)
        if kind == ERR { return nil }
        if kind == descent_key_code_yes() {
          ungetch(Int32(next))
          return nil
        }
        return UInt32(next)
      }
      // Read again in the order they came: each push goes in front of the last.
      for c in outcome.pushBack.reversed() { unget_wch(wchar_t(bitPattern: c)) }
      return outcome.key
    default:
      guard let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
      return .char(Character(scalar))
    }
  }

  /// Asks for mouse reports: curses sets the tracking modes (and clears them in `endwin`, also on a
  /// stop), but the reports are read by `MouseReport`, whose reads have a time limit. Where the
  /// terminal's reports start `ESC [ M` (tmux, screen), SGR's encoding is asked for too: X10's one
  /// character a coordinate is no UTF-8 character past column 95.
  private static func trackMouse() {
    mousemask(descent_mouse_mask(), nil)
    keyok(KEY_MOUSE, false)
    if descent_mouse_is_x10() != 0 { send("\u{1b}[?1006h") }
  }

  /// SGR's encoding off again (the crash guard's reset clears it too); curses has stopped the tracking.
  private static func stopSGRMouse() {
    if descent_mouse_is_x10() != 0 { send("\u{1b}[?1006l") }
  }

  /// Straight to the terminal: `putp` would leave it in stdio's buffer until the exit.
  private static func send(_ text: String) {
    _ = text.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
  }

  /// Copies the buffer to the screen, writing only the cells that changed since the last frame.
  public func draw(_ buffer: CellBuffer) {
    let stdscr = descent_stdscr()
    let full = previous == nil || previous!.width != buffer.width || previous!.height != buffer.height
    if full { werase(stdscr) }
    if ascii {
      drawASCII(buffer, full: full)
      return
    }
    var run: [wchar_t] = []
    for y in 0..<min(buffer.height, height) {
      var x = 0
      let limit = min(buffer.width, width)
      while x < limit {
        let cell = buffer[x, y]
        if !full && previous![x, y] == cell {
          x += 1
          continue
        }
        // A run of changed cells in one style, written in one call.
        let start = x
        run.removeAll(keepingCapacity: true)
        while x < limit, buffer[x, y].style == cell.style, full || previous![x, y] != buffer[x, y] {
          // One column a cell: a character the terminal draws wider or narrower (an emoji in a
          // user's theme) would shift the rest of the line and leave cells of the last frame.
          let char = wchar_t(bitPattern: buffer[x, y].char.value)
          run.append(descent_wcwidth(char) == 1 ? char : wchar_t(UInt8(ascii: "?")))
          x += 1
        }
        // The bottom-right cell too: there ncurses's add returns an error (the cursor cannot
        // move on) but keeps the character, and its refresh paints that cell without scrolling.
        apply(cell.style)
        run.withUnsafeBufferPointer { _ = mvwaddnwstr(stdscr, Int32(y), Int32(start), $0.baseAddress, Int32($0.count)) }
      }
    }
    wnoutrefresh(stdscr)
    doupdate()
    previous = buffer
  }

  /// The frame in ASCII, cell by cell (see `Glyphs`): without a UTF-8 locale ncurses cannot
  /// write other characters, and one it skips would leave a cell of the last frame.
  private func drawASCII(_ buffer: CellBuffer, full: Bool) {
    let stdscr = descent_stdscr()
    for y in 0..<min(buffer.height, height) {
      for x in 0..<min(buffer.width, width) where full || previous![x, y] != buffer[x, y] {
        let cell = buffer[x, y]
        apply(cell.style)
        let glyph: chtype
        switch Glyphs.ascii(cell.char) {
        case .char(let byte): glyph = chtype(byte)
        case .line(let line):
          switch line {
          case .horizontal: glyph = descent_acs_hline()
          case .vertical: glyph = descent_acs_vline()
          case .topLeft: glyph = descent_acs_ulcorner()
          case .topRight: glyph = descent_acs_urcorner()
          case .bottomLeft: glyph = descent_acs_llcorner()
          case .bottomRight: glyph = descent_acs_lrcorner()
          case .rightTee: glyph = descent_acs_rtee()
          }
        }
        mvwaddch(stdscr, Int32(y), Int32(x), glyph)
      }
    }
    wnoutrefresh(stdscr)
    doupdate()
    previous = buffer
  }

  private func apply(_ style: Style) {
    var attributes = descent_a_normal()
    if style.bold { attributes |= descent_a_bold() }
    if style.dim { attributes |= descent_a_dim() }
    if style.reverse { attributes |= descent_a_reverse() }
    var pair: Int32 = 0
    if colors > 0 {
      let key = PairKey(fg: index(style.fg), bg: index(style.bg))
      if let known = pairs[key] {
        pair = known
      } else {
        pair = max(0, alloc_pair(key.fg, key.bg))
        pairs[key] = pair
      }
    }
    wattr_set(descent_stdscr(), attributes, 0, &pair)
  }

  /// The palette index for a colour; -1 is the terminal's default.
  private func index(_ color: RGB?) -> Int32 {
    guard let color else { return -1 }
    // A direct-colour terminal (xterm-direct) takes the colour itself as its number.
    if colors >= 0x100_0000 { return Int32(color.r) << 16 | Int32(color.g) << 8 | Int32(color.b) }
    if let known = indices[color] { return known }
    let nearest = Int32(Palette.nearest(color, among: colors))
    indices[color] = nearest
    return nearest
  }
}

/// Why the terminal could not be used.
public struct TerminalError: Error, CustomStringConvertible {
  public var description: String
  init(_ description: String) { self.description = description }
}
