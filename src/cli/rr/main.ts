// mqtt-rr entry: argv → plan → payload → connect → subscribe to the response
// topic → publish the request → print the matching response(s) → disconnect.
// Exit statuses come from shared/exit-codes.ts via runTool; see man/mqtt-rr.1.
import { MqttClient } from '../../client/client.js';
import type { ClientOptions, OutgoingMessage, ReceivedMessage } from '../../client/types.js';
import type { Subscription } from '../../codec/types.js';
import { isToolError, MqttToolError } from '../../errors.js';
import { checkCredentials } from '../shared/client-options.js';
import { describeError } from '../shared/describe-error.js';
import { targetText, withTarget } from '../shared/connection-notes.js';
import { reasonName } from '../../codec/reason-codes.js';
import { setLongTimeout } from '../../long-timer.js';
import { EXIT } from '../shared/exit-codes.js';
import { resolvePassword } from '../shared/password.js';
import { loadPayload } from '../shared/payload-source.js';
import { invokedName, runTool, type Run } from '../shared/run.js';
import { parseOrAnswer } from '../shared/tool-requests.js';
import { connectingSpinner, stderrText, prepareColour } from '../shared/tty.js';
import { OutputWriter } from '../sub/output.js';
import type { Printer } from '../sub/printer.js';
import { outputPrinter } from '../sub/terminal-printer.js';
import { MOSQUITTO_CONFIG, RR_OPTIONS, TOOL } from './command.js';
import { flag } from '../shared/args.js';
import { RR_CHECKS, toRequestPlan, type RequestPlan } from './options.js';
import { ResponseMatcher } from './responses.js';

/** The broker tried, named after a connection error on a terminal. */
let target: string | undefined;

const DISCONNECT_WITH_WILL = 4;
/** Never settles: the client then never acknowledges the message. */
const NEVER = new Promise<void>(() => {});

async function main(argv: string[], run: Run): Promise<number> {
  const parsed = await parseOrAnswer(argv, TOOL, RR_OPTIONS, () => import('./help.js'), {
    configFallbacks: [MOSQUITTO_CONFIG],
    checks: RR_CHECKS,
  });
  if (typeof parsed === 'number') return parsed;
  const args = parsed;
  // Before the plan: --quiet hides its one error that is not an argument error (duplicateResponseTopic).
  run.quiet = flag(args, 'quiet');
  const plan = toRequestPlan(args, { pid: process.pid, newCorrelation });
  run.version = plan.connection.client.protocolVersion;
  target = targetText(plan.connection.client.transport, plan.connection.client.proxy);
  run.debug = plan.connection.debug;
  void prepareColour();
  const password = await resolvePassword(args, process.env);
  if (password !== undefined) {
    plan.connection.client.password = password;
    checkCredentials(plan.connection.client);
  }
  const payload = (await loadPayload(plan.source)) ?? Buffer.alloc(0);
  return new Requester(plan, payload, run).run();
}

/**
 * 32 random hex digits (128 bits), new on every run and readable in a responder's
 * log. Math.random, which V8 seeds from the OS at start-up: loading node:crypto
 * for randomBytes costs a few milliseconds of every call.
 */
function newCorrelation(): Buffer {
  let hex = '';
  for (let i = 0; i < 4; i++) hex += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  return Buffer.from(hex, 'latin1');
}

class Requester {
  private readonly writer = new OutputWriter(process.stdout);
  private readonly matcher: ResponseMatcher;
  private readonly print: Printer;
  private client: MqttClient | undefined;
  private finish!: (status: number) => void;
  private fail!: (err: Error) => void;
  private readonly done = new Promise<number>((resolve, reject) => {
    this.finish = resolve;
    this.fail = reject;
  });
  private ending = false;
  /** Settles when the broker has acknowledged the request (at once for QoS 0). */
  private published: Promise<void> | undefined;
  /** When the request went out (hrtime ns; `performance` would load perf_hooks on every run). */
  private sentAt = 0n;

  constructor(
    private readonly plan: RequestPlan,
    private readonly payload: Uint8Array,
    private readonly runState: Run,
  ) {
    this.matcher = new ResponseMatcher(plan.correlation, plan.count);
    this.print = outputPrinter(this.writer, plan.output, (line) => this.stderr(line));
  }

  private stderr(line: string): void {
    if (!this.plan.connection.quiet) process.stderr.write(`${stderrText(line)}\n`);
  }

  /** -d lines go to stdout, in order with the response (as mosquitto's do). */
  private debug(line: string): void {
    if (!this.plan.connection.debug) return;
    this.writer.utf8(`${line}\n`);
    void this.writer.endMessage();
  }

  private clientOptions(): ClientOptions {
    const opts: ClientOptions = { ...this.plan.connection.client };
    if (this.plan.connection.debug) opts.debug = (line) => this.debug(line);
    opts.warn = (line) => this.stderr(line);
    return opts;
  }

  async run(): Promise<number> {
    const stopTimer = this.startTimeout();
    const onSignal = (): void => {
      if (!this.client) this.runState.exitNow(EXIT.INTERRUPTED); // before CONNACK, as mqtt-sub
      if (this.ending) return;
      void this.end(undefined, DISCONNECT_WITH_WILL).then(() => this.fail(new MqttToolError('INTERRUPTED', 'Interrupted.')));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const spinner = connectingSpinner('Connecting…');
      let client: MqttClient;
      try {
        // -W may expire while connecting: `done` then rejects with the timeout.
        client = await Promise.race([MqttClient.connect(this.clientOptions()), this.done.then(unreachable)]);
      } finally {
        spinner.stop();
      }
      this.client = client;
      void client.closed.then((err) => {
        if (!this.ending) this.fail(err ?? new MqttToolError('CONNECTION_LOST', 'The connection was lost.'));
      });
      client.onMessage((msg) => this.handle(msg));
      void this.request(client).catch((e: unknown) => {
        if (!this.ending) this.fail(e as Error);
      });
      return await this.done;
    } finally {
      stopTimer();
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  }

  /** -W: the clock starts before connecting, as mosquitto's does; 27 even when some of -C N came. */
  private startTimeout(): () => void {
    const ms = this.plan.timeoutMs;
    if (ms === undefined) return () => {};
    const timer = setLongTimeout(() => {
      void this.end(undefined, DISCONNECT_WITH_WILL).then(() => this.fail(new MqttToolError('TIMEOUT', 'Timed out')));
    }, ms);
    return () => timer.clear();
  }

  /** Subscribe first, so that no answer can come before we listen; then send the request. */
  private async request(client: MqttClient): Promise<void> {
    const plan = this.plan;
    const subscription: Subscription = { topicFilter: plan.responseTopic, qos: plan.qos, ...(plan.noLocal ? { noLocal: true } : {}) };
    const sub = await client.subscribe([subscription], plan.connection.subscribeProperties);
    const code = sub.reasonCodes[0] ?? 0x80;
    if (code >= 0x80) {
      throw new MqttToolError('SUBSCRIBE_REJECTED', `The broker refused the subscription to the response topic: ${reasonName(code)}.`, {
        reasonCode: code,
      });
    }
    const msg: OutgoingMessage = { topic: plan.topic, payload: this.payload, qos: plan.qos, retain: plan.retain };
    if (plan.properties) msg.properties = plan.properties;
    this.sentAt = process.hrtime.bigint();
    this.published = client.publish(msg).then((r) => {
      if (r.reasonCode === 0x10) this.debug('The broker says no one subscribes to the request topic (No matching subscribers).');
    }, rejected);
    await this.published;
  }

  private handle(msg: ReceivedMessage): Promise<void> | undefined {
    if (this.ending) return NEVER; // as mqtt-sub: nothing more is printed or acknowledged
    const verdict = this.matcher.judge(msg);
    if (!verdict.accept) {
      this.debug(`Ignoring a message on '${msg.topic}': ${verdict.why}.`);
      return undefined;
    }
    if (this.matcher.received === 1 && this.plan.connection.debug && process.stdout.isTTY) {
      this.debug(`Round trip: ${(Number(process.hrtime.bigint() - this.sentAt) / 1e6).toFixed(1)} ms from request to response.`);
    }
    this.print(msg);
    const backedUp = this.writer.endMessage();
    if (verdict.last) void this.complete();
    return msg.qos > 0 ? this.writer.written() : backedUp;
  }

  /** Every awaited response is in: once the request's own acknowledgement is too, end with 0. */
  private async complete(): Promise<void> {
    try {
      await this.published;
    } catch {
      return; // request() reports it
    }
    await this.end(0);
  }

  /**
   * Ends the run: output written, then DISCONNECT (reason 4 sends the Will, as
   * mosquitto does on -W). `status` undefined: the caller settles.
   */
  private async end(status: number | undefined, reasonCode = 0): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    this.writer.flush();
    await this.writer.written();
    // Let the client send the acknowledgement of the last response first.
    await new Promise((r) => setImmediate(r));
    const client = this.client;
    if (client) {
      const opts: { reasonCode?: number; properties?: NonNullable<RequestPlan['connection']['disconnectProperties']> } = {};
      if (reasonCode) opts.reasonCode = reasonCode;
      if (this.plan.connection.disconnectProperties) opts.properties = this.plan.connection.disconnectProperties;
      await client.disconnect(opts).catch(() => client.destroy());
      // The -d line for the DISCONNECT.
      this.writer.flush();
      await this.writer.written();
    }
    if (status !== undefined) this.finish(status);
  }
}

/** A PUBACK/PUBREC refusal of the request, in one line with the broker's reason. */
function rejected(e: unknown): never {
  if (isToolError(e) && e.code === 'PUBLISH_REJECTED') {
    const why = e.reasonString ? ` (${e.reasonString})` : '';
    throw new MqttToolError('PUBLISH_REJECTED', `The broker rejected the request: ${reasonName(e.reasonCode ?? 0x80)}${why}.`, {
      ...(e.reasonCode !== undefined ? { reasonCode: e.reasonCode } : {}),
      cause: e,
    });
  }
  throw e;
}

/** `done` only resolves once connected (every ending before that rejects or exits). */
function unreachable(): never {
  throw new Error('mqtt-rr ended before connecting');
}

runTool({
  invokedAs: invokedName(process.argv[1], TOOL),
  name: TOOL,
  main,
  // Exit 0 means the response was written: a reader that went away did not get it.
  closedStdoutStatus: EXIT.USAGE,
  // describeError shows argv errors even under --quiet.
  describeError: (e, run) => stderrText(withTarget(describeError(e, run), e, target)),
});
