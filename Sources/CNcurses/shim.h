// ncursesw for Swift. SwiftPM drops the -D flags of ncursesw.pc, so they are set here, before
// <ncursesw/curses.h>: without them the wide-character API (get_wch, mvaddnwstr) is missing.
#ifndef DESCENT_CNCURSES_SHIM_H
#define DESCENT_CNCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Macros and globals Swift cannot import, as functions.
static inline attr_t descent_a_bold(void) { return A_BOLD; }
static inline attr_t descent_a_dim(void) { return A_DIM; }
static inline attr_t descent_a_reverse(void) { return A_REVERSE; }
static inline attr_t descent_a_underline(void) { return A_UNDERLINE; }
static inline attr_t descent_a_normal(void) { return A_NORMAL; }
static inline WINDOW *descent_stdscr(void) { return stdscr; }
static inline int descent_colors(void) { return COLORS; }
static inline int descent_color_pairs(void) { return COLOR_PAIRS; }
static inline int descent_lines(void) { return LINES; }
static inline int descent_cols(void) { return COLS; }
static inline int descent_key_code_yes(void) { return KEY_CODE_YES; }
// The line-drawing characters of the alternate character set (+ - | where terminfo has none).
static inline chtype descent_acs_hline(void) { return ACS_HLINE; }
static inline chtype descent_acs_vline(void) { return ACS_VLINE; }
static inline chtype descent_acs_ulcorner(void) { return ACS_ULCORNER; }
static inline chtype descent_acs_urcorner(void) { return ACS_URCORNER; }
static inline chtype descent_acs_llcorner(void) { return ACS_LLCORNER; }
static inline chtype descent_acs_lrcorner(void) { return ACS_LRCORNER; }
static inline chtype descent_acs_rtee(void) { return ACS_RTEE; }
// Whether the locale's character set is UTF-8 (after setlocale).
#include <langinfo.h>
static inline int descent_locale_is_utf8(void) { return strcmp(nl_langinfo(CODESET), "UTF-8") == 0; }
// Columns a character takes on the terminal (glibc declares it only under _XOPEN_SOURCE).
extern int wcwidth(wchar_t c);
static inline int descent_wcwidth(wchar_t c) { return wcwidth(c); }
static inline mmask_t descent_mouse_mask(void) {
  return BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED | BUTTON3_PRESSED | BUTTON3_CLICKED |
         BUTTON4_PRESSED | REPORT_MOUSE_POSITION;
}
// Whether the terminal's mouse reports start with X10's ESC [ M (terminfo's kmous).
static inline int descent_mouse_is_x10(void) {
  const char *kmous = tigetstr("kmous");
  return kmous != 0 && kmous != (char *)-1 && strcmp(kmous, "\033[M") == 0;
}
static inline int descent_button1_down(mmask_t m) { return (m & (BUTTON1_PRESSED | BUTTON1_CLICKED)) != 0; }
static inline int descent_button1_up(mmask_t m) { return (m & BUTTON1_RELEASED) != 0; }
static inline int descent_button3(mmask_t m) { return (m & (BUTTON3_PRESSED | BUTTON3_CLICKED)) != 0; }
static inline int descent_motion(mmask_t m) { return (m & REPORT_MOUSE_POSITION) != 0; }
static inline int descent_modified(mmask_t m) { return (m & (BUTTON_SHIFT | BUTTON_CTRL)) != 0; }

// Every SIGWINCH, also one that ends at the size curses already knows (a window shrunk and grown
// back between two reads: curses then reports no KEY_RESIZE, but the terminal has cut the lines
// and the screen must be painted again). The handler notes it and passes the signal on to
// curses' own handler.
static volatile sig_atomic_t descent_winch_seen = 0;
// The handler that was there before (curses'): one of the two forms, as plain pointers.
static void (*descent_winch_next)(int) = 0;
static void (*descent_winch_next_info)(int, siginfo_t *, void *) = 0;

static inline void descent_winch_handler(int number, siginfo_t *info, void *context) {
  descent_winch_seen = 1;
  if (descent_winch_next_info) descent_winch_next_info(number, info, context);
  else if (descent_winch_next) descent_winch_next(number);
}

static inline void descent_watch_winch(void) {
  struct sigaction action, previous;
  memset(&action, 0, sizeof action);
  memset(&previous, 0, sizeof previous);
  action.sa_sigaction = descent_winch_handler;
  action.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGWINCH, &action, &previous) != 0) return;
  if (previous.sa_flags & SA_SIGINFO) {
    descent_winch_next_info = previous.sa_sigaction;
  } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
    descent_winch_next = previous.sa_handler;
  }
}

// Whether a SIGWINCH came since the last call.
static inline int descent_take_winch(void) {
  int seen = descent_winch_seen;
  descent_winch_seen = 0;
  return seen;
}

// A crash (a Swift runtime trap, a segfault) must not leave the terminal in raw mode: restore it,
// then let the signal take its default course so the runtime's report and exit status stand.
// As htop's CRT_handleSIGSEGV does.
static volatile sig_atomic_t descent_curses_active = 0;

// While curses owns the screen, anything written to stderr (a warning, the Swift runtime's
// report of a crash) would land on the dashboard and vanish with it. It goes to a scratch file
// instead, and is written out to the real stderr once the terminal is restored.
static int descent_saved_stderr = -1;
static int descent_stderr_file = -1;

static inline void descent_capture_stderr(void) {
  char path[] = "/tmp/descent-stderr-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return;
  unlink(path);
  descent_saved_stderr = dup(STDERR_FILENO);
  if (descent_saved_stderr < 0) { close(fd); return; }
  dup2(fd, STDERR_FILENO);
  descent_stderr_file = fd;
}

// Async-signal-safe: only dup2, lseek, read, write and close.
static inline void descent_release_stderr(void) {
  if (descent_saved_stderr < 0) return;
  dup2(descent_saved_stderr, STDERR_FILENO);
  close(descent_saved_stderr);
  descent_saved_stderr = -1;
  lseek(descent_stderr_file, 0, SEEK_SET);
  char buffer[4096];
  ssize_t n;
  while ((n = read(descent_stderr_file, buffer, sizeof buffer)) > 0) {
    ssize_t ignored = write(STDERR_FILENO, buffer, (size_t)n);
    (void)ignored;
  }
  close(descent_stderr_file);
  descent_stderr_file = -1;
}

// A terminal without an alternate screen (TERM=linux, vt100) keeps the last frame after endwin:
// its clear-screen sequence, noted at start, wipes it on the way out so the prompt starts clean.
// Written with write(2), not tputs, so its terminfo padding ("$<50>" in vt100's) is left out:
// the terminal would print it.
static char descent_exit_clear[64] = "";

static inline void descent_note_exit_clear(void) {
  const char *alternate = tigetstr("smcup");
  const char *clear = tigetstr("clear");
  descent_exit_clear[0] = 0;
  if (alternate != 0 && alternate != (char *)-1) return;
  if (clear == 0 || clear == (char *)-1 || strlen(clear) >= sizeof descent_exit_clear) return;
  size_t n = 0;
  for (const char *c = clear; *c != 0; c++) {
    const char *end = c[0] == '$' && c[1] == '<' ? strchr(c, '>') : 0;
    if (end != 0) {
      c = end;
      continue;
    }
    descent_exit_clear[n++] = *c;
  }
  descent_exit_clear[n] = 0;
}

// Async-signal-safe: one write.
static inline void descent_exit_clear_screen(void) {
  size_t n = strlen(descent_exit_clear);
  if (n == 0) return;
  ssize_t ignored = write(STDOUT_FILENO, descent_exit_clear, n);
  (void)ignored;
}

static inline void descent_crash_handler(int sig) {
  if (descent_curses_active) {
    descent_curses_active = 0;
    endwin();
    descent_exit_clear_screen();
    // Leave the mouse-tracking and alternate-screen modes even if endwin could not.
    const char reset[] = "\033[?1000l\033[?1002l\033[?1003l\033[?1006l\033[?25h";
    ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1);
    (void)ignored;
  }
  descent_release_stderr();
  signal(sig, SIG_DFL);
  raise(sig);
}

static inline void descent_install_crash_guard(void) {
  int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT};
  for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = descent_crash_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigaction(signals[i], &action, NULL);
  }
}

static inline void descent_set_curses_active(int active) { descent_curses_active = active; }

#endif
