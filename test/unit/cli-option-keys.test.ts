// Option keys are typed by the tables that declare them: `npm run typecheck`
// (which covers this file) fails if a @ts-expect-error line below stops being
// an error, i.e. if an undeclared or misspelt key were accepted.
import { describe, expect, it } from 'vitest';
import { flag, latest, list, str, type ParsedArgs } from '../../src/cli/shared/args.js';
import type { ConnectionKey } from '../../src/cli/shared/connection-options.js';
import { PUB_OPTIONS, type PubKey } from '../../src/cli/pub/command.js';
import { SUB_OPTIONS, type SubKey } from '../../src/cli/sub/command.js';
import { parseToolArgs } from '../../src/cli/shared/tool-args.js';

const pub: ParsedArgs<PubKey> = parseToolArgs(['-t', 'a', '-L', 'mqtt://h/t'], { tool: 'mqtt-pub', specs: PUB_OPTIONS, noConfigFile: true });
const sub: ParsedArgs<SubKey> = parseToolArgs(['-t', 'a'], { tool: 'mqtt-sub', specs: SUB_OPTIONS, noConfigFile: true });

describe('typed option keys', () => {
  it('accept declared keys and reject undeclared ones at compile time', () => {
    expect(str(pub, 'topic')).toBe('a');
    expect(latest(pub, 'topic', 'url')).toBe('url');
    expect(list(sub, 'topic')).toEqual(['a']);
    // @ts-expect-error -- misspelt key
    str(pub, 'cafle');
    // @ts-expect-error -- the keys -L once wrote outside the tables
    str(pub, 'websocket');
    // @ts-expect-error -- mqtt-sub's key, not mqtt-pub's
    flag(pub, 'verbose');
    // @ts-expect-error -- mqtt-pub's key, not mqtt-sub's
    flag(sub, 'retain');
    // @ts-expect-error -- undeclared key in latest()
    latest(pub, 'topic', 'urlTopic');
  });

  it('a tool table is a superset of the connection keys the shared mapper reads', () => {
    const shared: ParsedArgs<ConnectionKey> = pub;
    expect(str(shared, 'url')).toBe('mqtt://h/t');
  });
});
