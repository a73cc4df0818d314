import { describe, expect, it } from 'vitest';
import { escapeControlLines, escapeControls } from '../../src/cli/shared/terminal-text.js';
import { stderrText } from '../../src/cli/shared/tty.js';

describe('escapeControls', () => {
  it('shows C0 (tab and newline included), DEL and C1 as \\xNN; leaves other text alone', () => {
    expect(escapeControls('a\u001b]0;t\u0007b')).toBe('a\\x1b]0;t\\x07b');
    expect(escapeControls('\t\n\r\u0000\u007f')).toBe('\\x09\\x0a\\x0d\\x00\\x7f');
    expect(escapeControls('\u0085\u009b')).toBe('\\xc2\\x85\\xc2\\x9b');
    expect(escapeControls('héllo ünïcode ✓ \u00a0 \\x41')).toBe('héllo ünïcode ✓ \u00a0 \\x41');
  });

  it('escapeControlLines keeps our line breaks; stderrText escapes before anything else', () => {
    expect(escapeControlLines('one\u001b[2J\ntwo')).toBe('one\\x1b[2J\ntwo');
    expect(stderrText('Error: \u001b]52;c;aGk=\u0007')).toBe('Error: \\x1b]52;c;aGk=\\x07');
  });
});
