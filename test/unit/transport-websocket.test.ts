import { describe, expect, it } from 'vitest';
import { webSocketUrl } from '../../src/client/transports/websocket.js';

describe('webSocketUrl', () => {
  it('defaults the path to /mqtt and keeps a given one', () => {
    expect(webSocketUrl({ kind: 'ws', host: 'h', port: 8080 })).toBe('ws://h:8080/mqtt');
    expect(webSocketUrl({ kind: 'ws', host: 'h', port: 8080, path: '' })).toBe('ws://h:8080/mqtt');
    expect(webSocketUrl({ kind: 'wss', host: 'h', port: 443, path: '/ws' })).toBe('wss://h:443/ws');
    expect(webSocketUrl({ kind: 'ws', host: 'h', port: 1, path: 'x/y?z=1' })).toBe('ws://h:1/x/y?z=1');
  });
  it('brackets IPv6 literals', () => {
    expect(webSocketUrl({ kind: 'ws', host: '::1', port: 9001 })).toBe('ws://[::1]:9001/mqtt');
  });
});
