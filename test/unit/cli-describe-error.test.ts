import { describe, expect, it } from 'vitest';
import { describeError } from '../../src/cli/shared/describe-error.js';
import { ArgvError } from '../../src/cli/shared/argv-error.js';
import { MqttToolError } from '../../src/errors.js';

const d = (e: Error, quiet = false, version = 4) => describeError(e, { tool: 'mqtt-pub', quiet, version });

describe('error lines', () => {
  it('argument errors carry the --help hint and ignore --quiet', () => {
    expect(d(new ArgvError('Invalid QoS given: 3'), true)).toBe("Error: Invalid QoS given: 3\n\nUse 'mqtt-pub --help' to see usage.");
  });

  it('CONNACK refusals in mosquitto\'s words', () => {
    expect(d(new MqttToolError('CONNECTION_REFUSED', 'x', { reasonCode: 5 }))).toBe('Connection error: Connection Refused: not authorised.');
    expect(d(new MqttToolError('CONNECTION_REFUSED', 'x', { reasonCode: 135 }), false, 5)).toBe('Connection error: Not authorized');
    expect(d(new MqttToolError('CONNECTION_REFUSED', 'x', { reasonCode: 132 }), false, 5)).toMatch(/Try connecting to an MQTT v5 broker/);
    expect(d(new MqttToolError('CONNECTION_REFUSED', 'x', { reasonCode: 0x86, reasonString: 'bad pw' }), false, 5)).toBe(
      'Connection error: Bad User Name or Password\nbad pw',
    );
  });

  it('a broker DISCONNECT names its reason code in mosquitto_reason_string\'s words', () => {
    expect(d(new MqttToolError('SERVER_DISCONNECT', 'x', { reasonCode: 0x8b, reasonString: 'bye' }), false, 5)).toBe(
      'Error: The broker disconnected: Server shutting down.\nbye',
    );
    expect(d(new MqttToolError('SERVER_DISCONNECT', 'x', { reasonCode: 0x8e }), false, 5)).toBe(
      'Error: The broker disconnected: Session taken over.',
    );
    expect(d(new MqttToolError('CONNECTION_REFUSED', 'x', { reasonCode: 9 }))).toBe('Connection error: Connection Refused: unknown reason.');
  });

  it('socket failures', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(d(new MqttToolError('CONNECT_FAILED', 'x', { cause: refused }))).toBe('Error: Connection refused');
    const dns = Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' });
    expect(d(new MqttToolError('CONNECT_FAILED', 'x', { cause: dns }))).toBe('Unable to connect (Lookup error.).');
    expect(d(new MqttToolError('CONNECTION_LOST', 'x'))).toBe('Error: The connection was lost.');
  });

  it('--quiet hides runtime errors', () => {
    expect(d(new MqttToolError('CONNECTION_LOST', 'x'), true)).toBe('');
  });
});
