// --retry and --timeout, wired into the client: how a lost link is retried,
// how long a v5 session must outlive it, the first connection's retries, and
// the watchdog that gives up.
import type { MqttClient } from '../../client/client.js';
import { asToolError, isRetryable } from '../../client/client-errors.js';
import { MqttToolError } from '../../errors.js';
import type { PublishTracker } from './publish-tracker.js';
import type { PublishPlan } from './options.js';
import { startWatchdog } from './watchdog.js';

const BACKOFF = { initialDelayMs: 500, maxDelayMs: 5000 };
/** Session Expiry (v5, seconds) that covers the reconnect window when neither -x nor --timeout says. */
const DEFAULT_WINDOW_S = 300;

/**
 * Bounds connection attempts by --timeout, and turns on reconnecting as --retry (or -l) asks. Under MQTT 5 the session is
 * kept for the reconnect window, so a resumed link finishes QoS 1/2 flows
 * exactly instead of resending as new; the final DISCONNECT then ends it.
 */
export function applyDelivery(plan: PublishPlan): void {
  const conn = plan.connection;
  const c = conn.client;
  // No single connection attempt may outlast --timeout either.
  if (plan.timeoutMs !== undefined) c.connectTimeoutMs = Math.min(c.connectTimeoutMs ?? 30_000, plan.timeoutMs);
  if (plan.retry === 0) return;
  c.reconnect = { ...BACKOFF, maxAttempts: plan.retry };
  if (c.protocolVersion !== 5 || c.properties?.sessionExpiryInterval !== undefined) return;
  const window = plan.timeoutMs === undefined ? DEFAULT_WINDOW_S : Math.ceil(plan.timeoutMs / 1000) + 5;
  c.properties = { ...c.properties, sessionExpiryInterval: window };
  conn.disconnectProperties = { sessionExpiryInterval: 0, ...conn.disconnectProperties };
}

/** The first connection, retried --retry times (never past --timeout) when the failure may pass. */
export async function connectWithRetry(
  plan: PublishPlan,
  open: () => Promise<MqttClient>,
  sleep: (ms: number) => Promise<void>,
  now: () => number = Date.now,
  onRetry?: (attempt: number, delayMs: number, cause: Error) => void,
): Promise<MqttClient> {
  const deadline = plan.timeoutMs === undefined ? Infinity : now() + plan.timeoutMs;
  let delay = BACKOFF.initialDelayMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await open();
    } catch (e) {
      if (attempt >= plan.connectRetries || !isRetryable(asToolError(e)) || now() + delay > deadline) throw e;
      onRetry?.(attempt + 1, delay, e as Error);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, BACKOFF.maxDelayMs);
  }
}

/** Kept up to date by the client's reconnecting/reconnected events. */
export interface LinkState {
  down: boolean;
  restored: number;
}

/**
 * --timeout: when nothing was acknowledged (and no link restored) for that long
 * while messages wait or the link is down, close the client; the tracker then
 * counts what is left as unconfirmed, and says why.
 */
export function armTimeout(timeoutMs: number, client: MqttClient, tracker: PublishTracker, link: LinkState): void {
  const secs = timeoutMs / 1000;
  const probe = {
    progress: () => tracker.confirmed + tracker.rejected + link.restored,
    waiting: () => link.down || tracker.pending > 0,
  };
  const stop = startWatchdog(timeoutMs, probe, () => {
    tracker.unconfirmedWhy = `nothing acknowledged for ${secs} s`;
    client.destroy(new MqttToolError('CONNECTION_LOST', `Gave up: nothing acknowledged and no connection restored for ${secs} s.`));
  });
  void client.closed.then(stop);
}
