import { describe, expect, it } from 'vitest';
import { colourEnabled, stderrText, prepareColour } from '../../src/cli/shared/tty.js';

const tty = { isTTY: true }
const pipe = { isTTY: false }

describe('terminal niceties', () => {
  it('colour only on a terminal, NO_COLOR wins, FORCE_COLOR forces', () => {
    expect(colourEnabled({}, tty)).toBe(true);
    expect(colourEnabled({}, pipe)).toBe(false);
    expect(colourEnabled({ NO_COLOR: '1' }, tty)).toBe(false);
    expect(colourEnabled({ NO_COLOR: '1', FORCE_COLOR: '1' }, tty)).toBe(false);
    expect(colourEnabled({ FORCE_COLOR: '1' }, pipe)).toBe(true);
    expect(colourEnabled({ FORCE_COLOR: '0' }, tty)).toBe(true);
    expect(colourEnabled({ FORCE_COLOR: '0' }, pipe)).toBe(false);
    expect(colourEnabled({ TERM: 'dumb' }, tty)).toBe(false);
  });

  it('paints nothing until chalk is loaded, and only when colour is on', async () => {
    expect(stderrText('Error: x')).toBe('Error: x');
    await prepareColour({ NO_COLOR: '1' });
    expect(stderrText('Error: x')).toBe('Error: x');
    await prepareColour({ FORCE_COLOR: '1' });
    expect(stderrText('Error: x')).toBe('\u001b[31mError: x\u001b[39m');
    expect(stderrText('')).toBe('');
  });
});
