// mqtt-rr entry: argv → plan → payload → connect → subscribe to the response
// topic → publish the request → print the matching response(s) → disconnect.
// Exit statuses come from shared/exit-codes.ts via runTool; see man/mqtt-rr.1.
import type { MqttClient } from '../../client/client.js';
import type { OutgoingMessage, ReceivedMessage } from '../../client/types.js';
import type { Subscription } from '../../codec/types.js';
import { isToolError, MqttToolError } from '../../errors.js';
import { checkCredentials } from '../shared/client-options.js';
import { describeError } from '../shared/describe-error.js';
import { targetText, withTarget } from '../shared/connection-notes.js';
import { reasonName } from '../../codec/reason-codes.js';
import { EXIT } from '../shared/exit-codes.js';
import { resolvePassword } from '../shared/password.js';
import { loadPayload } from '../shared/payload-source.js';
import { invokedName, runTool, type Run } from '../shared/run.js';
import { parseOrAnswer } from '../shared/tool-requests.js';
import { stderrText, prepareColour } from '../shared/tty.js';
import type { Printer } from '../sub/printer.js';
import { outputPrinter } from '../sub/terminal-printer.js';
import { DISCONNECT_WITH_WILL, ReceivingRun } from '../sub/receiving-run.js';
import { MOSQUITTO_CONFIG, RR_OPTIONS, TOOL } from './command.js';
import { flag } from '../shared/args.js';
import { RR_CHECKS, toRequestPlan, type RequestPlan } from './options.js';
import { ResponseMatcher } from './responses.js';

/** The broker tried, named after a connection error on a terminal. */
let target: string | undefined;

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

class Requester extends ReceivingRun<RequestPlan> {
  private readonly matcher: ResponseMatcher;
  private readonly print: Printer;
  /** Settles when the broker has acknowledged the request (at once for QoS 0). */
  private published: Promise<void> | undefined;
  /** When the request went out (hrtime ns; `performance` would load perf_hooks on every run). */
  private sentAt = 0n;

  constructor(
    plan: RequestPlan,
    private readonly payload: Uint8Array,
    runState: Run,
  ) {
    super(plan, runState, TOOL);
    this.matcher = new ResponseMatcher(plan.correlation, plan.count);
    this.print = outputPrinter(this.writer, plan.output, (line) => this.stderr(line));
  }

  private debug(line: string): void {
    if (this.plan.connection.debug) this.debugLine(line);
  }

  protected interrupted(): void {
    if (this.ending) return;
    void this.end(undefined, DISCONNECT_WITH_WILL).then(() => this.fail(new MqttToolError('INTERRUPTED', 'Interrupted.')));
  }

  protected started(client: MqttClient): Promise<void> {
    client.onMessage((msg) => this.handle(msg));
    return this.request(client);
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

runTool({
  invokedAs: invokedName(process.argv[1], TOOL),
  name: TOOL,
  main,
  // Exit 0 means the response was written: a reader that went away did not get it.
  closedStdoutStatus: EXIT.USAGE,
  // describeError shows argv errors even under --quiet.
  describeError: (e, run) => stderrText(withTarget(describeError(e, run), e, target)),
});
