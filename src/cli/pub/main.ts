// mqtt-pub entry: argv → plan → payload → connect → publish → disconnect.
// Exit statuses come from shared/exit-codes.ts via runTool; see man/mqtt-pub.1.
import { MqttClient } from '../../client/client.js';
import type { ClientEvents } from '../../client/types.js';
import { isToolError, MqttToolError } from '../../errors.js';
import { sleep } from '../../long-timer.js';
import { readFileBounded, type BoundedRead } from '../../bounded-read.js';
import { checkCredentials } from '../shared/client-options.js';
import { describeError } from '../shared/describe-error.js';
import { noteSink, retryLine, targetText, withTarget } from '../shared/connection-notes.js';
import { loadPayload } from '../shared/payload-source.js';
import { resolvePassword } from '../shared/password.js';
import { EXIT } from '../shared/exit-codes.js';
import { flag } from '../shared/args.js';
import { invokedName, runTool, type Run } from '../shared/run.js';
import { parseOrAnswer } from '../shared/tool-requests.js';
import { connectingSpinner, stderrText, prepareColour } from '../shared/tty.js';
import { escapeControls } from '../shared/terminal-text.js';
import { MOSQUITTO_CONFIG, PUB_OPTIONS, TOOL } from './command.js';
import { PUB_CHECKS } from '../shared/parse-checks.js';
import { decodeInput } from './input-encoding.js';
import { applyDelivery, armTimeout, connectWithRetry, type LinkState } from './delivery.js';
import { stdinChunks } from './stdin-chunks.js';
import { message, publishLines, publishRepeated, StopRequest, type PublishIo, type Publisher } from './modes.js';
import { PublishTracker } from './publish-tracker.js';
import { MissingTopicOrMessage, toPublishPlan, type PublishPlan } from './options.js';

/** The broker tried, named after a connection error on a terminal. */
let target: string | undefined;

const SIGNAL_GRACE_MS = 5000;

function interrupted(): MqttToolError {
  return new MqttToolError('INTERRUPTED', 'Interrupted.');
}

async function main(argv: string[], run: Run): Promise<number> {
  const parsed = await parseOrAnswer(argv, TOOL, PUB_OPTIONS, () => import('./help.js'), {
    configFallbacks: [MOSQUITTO_CONFIG],
    checks: PUB_CHECKS,
  });
  if (typeof parsed === 'number') return parsed;
  const args = parsed;
  // Before the plan: its last check (the -D lists) is one --quiet hides, as mosquitto's err_printf does.
  run.quiet = flag(args, 'quiet');
  let plan: PublishPlan;
  try {
    plan = toPublishPlan(args, { pid: process.pid });
  } catch (e) {
    if (e instanceof MissingTopicOrMessage) process.stdout.write(await (await import('./help.js')).usageText());
    throw e;
  }
  run.version = plan.connection.client.protocolVersion;
  run.debug = plan.connection.debug;
  target = targetText(plan.connection.client.transport, plan.connection.client.proxy);
  await prepareColour(); // only loads chalk when colour is on (a terminal, or FORCE_COLOR)
  const password = await resolvePassword(args, process.env);
  if (password !== undefined) {
    plan.connection.client.password = password;
    checkCredentials(plan.connection.client);
  }
  let payload = await loadPayload(plan.source);
  // -m was decoded with the other arguments; -f and -s are decoded once read.
  if (payload !== undefined && plan.input !== 'raw' && (plan.source.kind === 'file' || plan.source.kind === 'stdin')) {
    const text = Buffer.from(payload.buffer, payload.byteOffset, payload.length); // a view, not a copy
    payload = decodeInput(text, plan.input, plan.source.kind === 'file' ? `File "${plan.source.path}"` : 'Standard input');
  }
  return publishAll(plan, payload, run);
}

async function publishAll(plan: PublishPlan, payload: Uint8Array | undefined, run: Run): Promise<number> {
  const conn = plan.connection;
  const io: PublishIo = {
    warn: (line) => {
      if (!conn.quiet) process.stderr.write(`${stderrText(line)}\n`);
    },
    sleep,
  };
  // Debug lines quote the broker (Assigned Client Identifier, topics): escaped.
  if (conn.debug) conn.client.debug = (line) => process.stdout.write(`${escapeControls(line)}\n`);
  // -l keeps going across a lost link, as mosquitto_pub -l does (2.0.11+), and so
  // does any mode with --retry: reconnect and resend what was not acknowledged.
  applyDelivery(plan);
  conn.client.warn = io.warn;
  const link: LinkState = { down: false, restored: 0 };
  const note = noteSink(io.warn, conn.debug ? (line) => process.stdout.write(`${line}\n`) : undefined);
  const events = {
    reconnecting: (attempt: number, _cause: Error, delayMs: number) => {
      link.down = true;
      if (conn.client.reconnect) note(retryLine(conn.client.reconnect, attempt, delayMs));
    },
    reconnected: () => {
      link.down = false;
      link.restored++;
      note(`reconnected (${target})`);
    },
  };
  // The spool is taken before connecting: a busy or unusable one fails fast. This
  // run's message is journalled before the first attempt, so a failed one keeps it.
  const spool = plan.spool === undefined ? undefined : (await import('./spool.js')).Spool.open(plan.spool);
  const reserved = spool && payload !== undefined ? spool.reserve(message(plan, payload), plan.repeat) : [];
  const signals = handleSignals(run);
  let client: MqttClient;
  try {
    client = await connect(plan, events, io, note);
  } catch (e) {
    if (spool) reportKept(spool.close(), plan.spool!, io);
    throw e;
  }
  // A resumed session (-c -i ID) may hold messages for us: acknowledge and drop them,
  // as mosquitto_pub does; unhandled, they would pile up until reading stops.
  client.onMessage(() => {});
  const tracker = new PublishTracker(io);
  let publisher: Publisher = client;
  if (spool) {
    const spooling = new (await import('./spool-publisher.js')).SpoolingPublisher(client, spool, reserved);
    // What an earlier run left unacknowledged goes first, in its order.
    for (const m of spool.leftover) void tracker.track(spooling.resend(m));
    publisher = spooling;
  }
  const stop = new StopRequest();
  signals.connected(client, stop);
  if (plan.timeoutMs !== undefined) armTimeout(plan.timeoutMs, client, tracker, link);
  // A link lost while we wait for room or acks ends the wait; the tracker counts the rest.
  const lost = client.closed.then((err: Error | undefined) => {
    if (err) tracker.fatal ??= err;
  });
  const work =
    payload === undefined
      ? publishLines(publisher, plan, stdinChunks(), tracker, stop)
      : publishRepeated(publisher, plan, payload, tracker, io, stop);
  // writable() rejects once the client is closed; the tracker already holds why.
  const settled = work.catch((e: unknown) => {
    tracker.fatal ??= e instanceof Error ? e : new Error(String(e));
  });
  // With a spool, input goes on being read (and kept) after the link is lost for good.
  await Promise.race([settled, spool ? settled : lost.then(() => tracker.drained())]);
  // A local failure (bad --input line, spool I/O) leaves the link sound: end it
  // properly, so the broker does not publish the will.
  const local = isToolError(tracker.fatal) && (tracker.fatal.code === 'IO_ERROR' || tracker.fatal.code === 'INVALID_INPUT');
  if (!tracker.fatal || local) {
    const opts = conn.disconnectProperties ? { properties: conn.disconnectProperties } : {};
    await client.disconnect(opts).catch(() => client.destroy());
  } else client.destroy();
  if (spool) reportKept(spool.close(), plan.spool!, io);
  tracker.verdict();
  return 0;
}

function reportKept(kept: number, dir: string, io: PublishIo): void {
  if (kept > 0) io.warn(`${kept} message${kept === 1 ? '' : 's'} kept in spool ${dir}; the next run with --spool ${dir} sends ${kept === 1 ? 'it' : 'them'} first.`);
}

/** Connects with a spinner on a terminal. */
async function connect(plan: PublishPlan, events: ClientEvents, io: PublishIo, note: (line: string) => void): Promise<MqttClient> {
  const spinner = connectingSpinner('Connecting…');
  // --retry on the first connection: the spinner says so, or a note does where there is none.
  const onRetry = (attempt: number, delayMs: number, cause: Error): void => {
    const why = (cause.message.split('\n', 1)[0] ?? '').replace(/\.$/, '');
    const line = retryLine({ maxAttempts: plan.connectRetries }, attempt, delayMs, why);
    if (!spinner.setText(`Connecting… ${line}`)) note(line);
  };
  try {
    return await connectWithRetry(plan, () => MqttClient.connect(plan.connection.client, events), io.sleep, Date.now, onRetry);
  } finally {
    spinner.stop();
  }
}

/**
 * SIGINT/SIGTERM before CONNACK end the run at once with 255 (as mosquitto_sub).
 * Once connected, the first one stops reading input and gives in-flight messages
 * a grace period; a second one (or the end of the grace) closes the client, and
 * whatever was still unacknowledged is reported as unconfirmed (41). One listener
 * for the whole run: Node sets a signal up anew each time its first listener is added.
 */
function handleSignals(run: Run): { connected(client: MqttClient, stop: StopRequest): void } {
  let onSignal = (): void => run.exitNow(EXIT.INTERRUPTED);
  const listener = (): void => onSignal();
  process.on('SIGINT', listener).on('SIGTERM', listener);
  return {
    connected(client, stop) {
      onSignal = () => {
        if (stop.requested) return client.destroy(interrupted());
        stop.request();
        setTimeout(() => client.destroy(interrupted()), SIGNAL_GRACE_MS).unref();
      };
    },
  };
}

runTool({
  invokedAs: invokedName(process.argv[1], TOOL),
  name: TOOL,
  main,
  // Only -d lines go to stdout: a reader that stops reading them must not stop the publishing.
  stdout: 'diagnostics',
  // describeError shows argv errors even under --quiet.
  describeError: (e, run) => stderrText(withTarget(describeError(e, run), e, target)),
});
