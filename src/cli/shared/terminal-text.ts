// Text that did not come from us (a broker's reason string, an Assigned Client
// Identifier, a topic in a -d line, an argument echoed in an error) must not
// be able to drive the terminal it reaches: ESC and OSC sequences can retitle
// the window, write the clipboard (OSC 52) or clear the screen. The rule is the
// one mqtt-sub applies to payloads on a terminal (sub/terminal-safety.ts):
// C0 controls, DEL and C1 controls are shown as \xNN, C1 as its two UTF-8
// bytes. Diagnostics are lines, so here tab and newline are escaped too.

const UNSAFE = /[\u0000-\u001f\u007f-\u009f]/g;

const hex = (n: number): string => `\\x${n.toString(16).padStart(2, '0')}`;

function escapeChar(c: string): string {
  const n = c.charCodeAt(0);
  return n < 0x80 ? hex(n) : hex(0xc2) + hex(n); // U+0080..U+009F are C2 80..C2 9F in UTF-8
}

/** One line with every control character (tab and newline included) shown as \xNN. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** Several lines (ours, joined by \n): each escaped, the line breaks kept. */
export function escapeControlLines(text: string): string {
  return text.split('\n').map(escapeControls).join('\n');
}
