// mqtt-sub entry: argv → plan → connect → subscribe → print until -C, -W,
// --retained-only, -E or a signal ends the run. Exit statuses come from
// shared/exit-codes.ts via runTool; see man/mqtt-sub.1.
import type { MqttClient } from '../../client/client.js';
import type { ClientEvents, ReceivedMessage } from '../../client/types.js';
import { isToolError } from '../../errors.js';
import { isRetryable } from '../../client/client-errors.js';
import { describeError } from '../shared/describe-error.js';
import { resolvePassword } from '../shared/password.js';
import { checkCredentials } from '../shared/client-options.js';
import { flag } from '../shared/args.js';
import { invokedName, runTool, type Run } from '../shared/run.js';
import { parseOrAnswer } from '../shared/tool-requests.js';
import { tierForLongRun } from '../shared/v8-tiering.js';
import { stderrText, prepareColour } from '../shared/tty.js';
import { SUB_OPTIONS, TOOL, MOSQUITTO_CONFIG } from './command.js';
import { MessageFlow } from './message-flow.js';
import { SUB_CHECKS, toSubscribePlan, type SubscribePlan } from './options.js';
import { noteSink, retryLine, targetText, withTarget } from '../shared/connection-notes.js';
import { StatsView } from './stats-view.js';
import { watchHeader, watchPrinter } from './watch.js';
import { outputPrinter } from './terminal-printer.js';
import { DISCONNECT_WITH_WILL, ReceivingRun } from './receiving-run.js';

/** mosquitto_sub reconnects forever, 1 s apart, and says nothing. */
const RECONNECT = { initialDelayMs: 1000, maxDelayMs: 1000, maxAttempts: Infinity };
/** The broker tried, for connection errors on a terminal (connection-notes.ts). */
let target: string | undefined;

/**
 * What only a terminal needs (--stats), set up only then. The terminal printer and
 * this are bundled, not import()ed: a lazy import made esbuild wrap every module it
 * shares with the start-up path, ~4 ms per run (measured); unused, never compiled.
 */
interface Extras {
  stats?: StatsView;
}

function loadExtras(plan: SubscribePlan): Extras {
  const extras: Extras = {};
  if (plan.stats && process.stderr.isTTY === true) extras.stats = new StatsView(process.stderr);
  return extras;
}

async function main(argv: string[], run: Run): Promise<number> {
  const parsed = await parseOrAnswer(argv, TOOL, SUB_OPTIONS, () => import('./help.js'), {
    configFallbacks: [MOSQUITTO_CONFIG],
    checks: SUB_CHECKS,
  });
  if (typeof parsed === 'number') return parsed;
  const args = parsed;
  // Before the plan: its last check (the -D lists) is one --quiet hides, as mosquitto's err_printf does.
  run.quiet = flag(args, 'quiet');
  const plan = toSubscribePlan(args, { pid: process.pid });
  run.version = plan.connection.client.protocolVersion;
  run.debug = plan.connection.debug;
  target = targetText(plan.connection.client.transport, plan.connection.client.proxy);
  void prepareColour();
  const extras = loadExtras(plan);
  const password = await resolvePassword(args, process.env);
  if (password !== undefined) {
    plan.connection.client.password = password;
    checkCredentials(plan.connection.client);
  }
  return new Subscriber(plan, run, extras).run();
}

class Subscriber extends ReceivingRun<SubscribePlan> {
  private flow: MessageFlow | undefined;
  /** Resolves at the next successful reconnect (set while a subscribe waits for one). */
  private onReconnected: (() => void) | undefined;

  constructor(
    plan: SubscribePlan,
    runState: Run,
    private readonly extras: Extras = {},
  ) {
    super(plan, runState, TOOL);
  }

  /** A lost link and each retry (connection-notes.ts). */
  private readonly note = noteSink(
    (line) => this.stderr(line),
    this.plan.connection.debug ? (line) => this.debugLine(line) : undefined,
  );

  protected override connectHooks(): { reconnect: typeof RECONNECT; events: ClientEvents } {
    return {
      reconnect: RECONNECT,
      events: {
        reconnecting: (attempt, _cause, delayMs) => this.note(retryLine(RECONNECT, attempt, delayMs)),
        reconnected: () => {
          this.note(`reconnected (${target})`);
          this.onReconnected?.();
        },
      },
    };
  }

  override async run(): Promise<number> {
    if (this.plan.watch) {
      const t = this.plan.connection.client.transport;
      watchHeader(this.writer, 'host' in t ? t.host : 'localhost');
      this.writer.flush();
    }
    return super.run();
  }

  protected interrupted(): void {
    void this.end(0, DISCONNECT_WITH_WILL);
  }

  protected override halting(): void {
    // As mosquitto_sub: once ending, later messages are neither printed nor acknowledged.
    this.flow?.halt();
    this.extras.stats?.stop();
  }

  protected started(client: MqttClient): Promise<void> {
    this.startFlow(client);
    // Connected: the run now lasts until -C, -W or a signal (v8-tiering.ts). Not sooner,
    // so the code cache written just before holds the connect path too.
    tierForLongRun();
    // With a stored session, queued messages can reach -C N before the SUBACK:
    // a subscribe cut short by our own ending is not a failure (the base checks `ending`).
    return this.subscribe(client);
  }

  private startFlow(client: MqttClient): void {
    const { stats } = this.extras;
    const printer = outputPrinter(this.writer, this.plan.output, (line) => this.stderr(line), this.plan.timestamp);
    // Messages on the same screen as the --stats view: wipe it first, it is drawn again below them.
    const shown = this.plan.watch ? watchPrinter(this.writer, printer) : printer;
    const print = stats && process.stdout.isTTY ? (m: ReceivedMessage) => (stats.clear(), shown(m)) : shown;
    stats?.start();
    const flow = new MessageFlow(this.plan, {
      print,
      endMessage: () => this.writer.endMessage(),
      written: () => this.writer.written(),
      clearRetained: (topic) =>
        client.publish({ topic, payload: Buffer.alloc(0), qos: 1, retain: true }).then(
          () => undefined,
          (e: unknown) => this.stderr(`Error: could not clear the retained message on ${topic}: ${(e as Error).message}`),
        ),
      stop: () => void flow.settled().then(() => this.end(0)),
    });
    client.onMessage((msg: ReceivedMessage) => {
      stats?.count(msg.topic, msg.payload.length);
      return flow.handle(msg);
    });
    this.flow = flow;
  }

  /**
   * A link lost before the SUBACK is re-established like any other (the man page
   * promises it, and mosquitto_sub does it): subscribe again once reconnected.
   */
  private async subscribe(client: MqttClient): Promise<void> {
    for (;;) {
      const reconnected = new Promise<void>((r) => (this.onReconnected = r));
      try {
        return await this.subscribeOnce(client);
      } catch (e) {
        if (this.ending || !isToolError(e) || !isRetryable(e)) throw e;
      }
      await reconnected;
    }
  }

  private async subscribeOnce(client: MqttClient): Promise<void> {
    const plan = this.plan;
    const subscribing = client.subscribe(plan.subscriptions, plan.subscribeProperties);
    // mosquitto sends its UNSUBSCRIBEs straight after the SUBSCRIBE, one per -U.
    const unsubscribing = plan.unsubscribe.map((f) =>
      client.unsubscribe([f], plan.connection.unsubscribeProperties),
    );
    const result = await subscribing;
    if (plan.connection.debug && !plan.connection.quiet) this.debugLine(`Subscribed (mid: 1): ${result.reasonCodes.join(', ')}`);
    if (result.reasonCodes.every((c) => c >= 0x80)) {
      this.stderr('All subscription requests were denied.');
      return this.end(0);
    }
    await Promise.all(unsubscribing);
    if (plan.exitAfterSubscribe) return this.end(0);
  }
}

runTool({
  invokedAs: invokedName(process.argv[1], TOOL),
  name: TOOL,
  main,
  // describeError shows argv errors even under --quiet.
  describeError: (e, run) => stderrText(withTarget(describeError(e, run), e, target)),
});
