// mqtt-sub entry: argv → plan → connect → subscribe → print until -C, -W,
// --retained-only, -E or a signal ends the run. Exit statuses come from
// shared/exit-codes.ts via runTool; see man/mqtt-sub.1.
import { MqttClient } from '../../client/client.js';
import type { ClientOptions, ReceivedMessage } from '../../client/types.js';
import { isToolError, MqttToolError } from '../../errors.js';
import { setLongTimeout } from '../../long-timer.js';
import { isRetryable } from '../../client/client-errors.js';
import { describeError } from '../shared/describe-error.js';
import { EXIT } from '../shared/exit-codes.js';
import { resolvePassword } from '../shared/password.js';
import { checkCredentials } from '../shared/client-options.js';
import { invokedName, runTool, type Run } from '../shared/run.js';
import { parseOrAnswer } from '../shared/tool-requests.js';
import { tierForLongRun } from '../shared/v8-tiering.js';
import { connectingSpinner, stderrText, prepareColour } from '../shared/tty.js';
import { escapeControls } from '../shared/terminal-text.js';
import { SUB_OPTIONS, TOOL, MOSQUITTO_CONFIG } from './command.js';
import { MessageFlow } from './message-flow.js';
import { SUB_CHECKS, toSubscribePlan, type SubscribePlan } from './options.js';
import { OutputWriter } from './output.js';
import { retryLine, targetText, withTarget } from '../shared/connection-notes.js';
import { StatsView } from './stats-view.js';
import { watchHeader, watchPrinter } from './watch.js';
import { outputPrinter } from './terminal-printer.js';

/** mosquitto_sub reconnects forever, 1 s apart, and says nothing. */
const RECONNECT = { initialDelayMs: 1000, maxDelayMs: 1000, maxAttempts: Infinity };
const DISCONNECT_WITH_WILL = 4;
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
  const plan = toSubscribePlan(args, { pid: process.pid });
  run.quiet = plan.connection.quiet;
  run.version = plan.connection.client.protocolVersion;
  run.debug = plan.connection.debug;
  target = targetText(plan.connection.client.transport);
  void prepareColour();
  const extras = loadExtras(plan);
  const password = await resolvePassword(args, process.env);
  if (password !== undefined) {
    plan.connection.client.password = password;
    checkCredentials(plan.connection.client);
  }
  return new Subscriber(plan, run, extras).run();
}

class Subscriber {
  private readonly writer = new OutputWriter(process.stdout);
  private client: MqttClient | undefined;
  private finish!: (status: number) => void;
  private fail!: (err: Error) => void;
  private readonly done = new Promise<number>((resolve, reject) => {
    this.finish = resolve;
    this.fail = reject;
  });
  private ending = false;
  private flow: MessageFlow | undefined;

  constructor(
    private readonly plan: SubscribePlan,
    private readonly runState: Run,
    private readonly extras: Extras = {},
  ) {}

  /** A lost link and each retry: on stderr when it is a terminal, else among the -d lines (stdout). */
  private note(line: string): void {
    if (process.stderr.isTTY === true) this.stderr(line);
    else if (this.plan.connection.debug) {
      this.writer.utf8(`${line}\n`);
      void this.writer.endMessage();
    }
  }

  private stderr(line: string): void {
    if (!this.plan.connection.quiet) process.stderr.write(`${stderrText(line)}\n`);
  }

  /** Resolves at the next successful reconnect (set while a subscribe waits for one). */
  private onReconnected: (() => void) | undefined;

  private clientOptions(): ClientOptions {
    const opts: ClientOptions = { ...this.plan.connection.client, reconnect: RECONNECT };
    // mosquitto prints its debug log on stdout: keep it in order with the messages.
    if (this.plan.connection.debug) {
      opts.debug = (line) => {
        // Debug lines quote the broker (Assigned Client Identifier, topics): escaped.
        this.writer.utf8(`${escapeControls(line)}\n`);
        void this.writer.endMessage();
      };
    }
    opts.warn = (line) => this.stderr(line);
    return opts;
  }

  async run(): Promise<number> {
    const stopTimer = this.startTimeout();
    const onSignal = (): void => {
      if (!this.client) this.runState.exitNow(EXIT.INTERRUPTED); // before CONNACK, as mosquitto_sub (255)
      void this.end(0, DISCONNECT_WITH_WILL);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      if (this.plan.watch) {
        const t = this.plan.connection.client.transport;
        watchHeader(this.writer, 'host' in t ? t.host : 'localhost');
        this.writer.flush();
      }
      const spinner = connectingSpinner('Connecting…');
      let client: MqttClient;
      try {
        // -W may expire while connecting: `done` then rejects with the timeout.
        const events = {
          reconnecting: (attempt: number, _cause: Error, delayMs: number) => this.note(retryLine(RECONNECT, attempt, delayMs)),
          reconnected: () => {
            this.note(`reconnected (${target})`);
            this.onReconnected?.();
          },
        };
        client = await Promise.race([MqttClient.connect(this.clientOptions(), events), this.done.then(unreachable)]);
      } finally {
        spinner.stop();
      }
      this.client = client;
      void client.closed.then((err) => {
        if (!this.ending) this.fail(err ?? new MqttToolError('CONNECTION_LOST', 'The connection was lost.'));
      });
      this.startFlow(client);
      // Connected: the run now lasts until -C, -W or a signal (v8-tiering.ts). Not sooner,
      // so the code cache written just before holds the connect path too.
      tierForLongRun();
      // With a stored session, queued messages can reach -C N before the SUBACK:
      // a subscribe cut short by our own ending is not a failure.
      void this.subscribe(client).catch((e: unknown) => {
        if (!this.ending) this.fail(e as Error);
      });
      return await this.done;
    } finally {
      stopTimer();
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  }

  /** -W: the clock starts before connecting, as mosquitto's does. */
  private startTimeout(): () => void {
    const ms = this.plan.timeoutMs;
    if (ms === undefined) return () => {};
    const timer = setLongTimeout(() => {
      void this.end(undefined, DISCONNECT_WITH_WILL).then(() =>
        this.fail(new MqttToolError('TIMEOUT', 'Timed out')),
      );
    }, ms);
    return () => timer.clear();
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
    if (plan.connection.debug && !plan.connection.quiet) {
      this.writer.utf8(`Subscribed (mid: 1): ${result.reasonCodes.join(', ')}\n`);
      void this.writer.endMessage();
    }
    if (result.reasonCodes.every((c) => c >= 0x80)) {
      this.stderr('All subscription requests were denied.');
      return this.end(0);
    }
    await Promise.all(unsubscribing);
    if (plan.exitAfterSubscribe) return this.end(0);
  }

  /**
   * Ends the run: output written, then DISCONNECT (reason 4 sends the Will, as
   * mosquitto does on -W and signals). `status` undefined: the caller settles.
   */
  private async end(status: number | undefined, reasonCode = 0): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    // As mosquitto_sub: once ending, later messages are neither printed nor acknowledged.
    this.flow?.halt();
    this.extras.stats?.stop();
    this.writer.flush();
    await this.writer.written();
    // Let the client send the acknowledgement of the last message first.
    await new Promise((r) => setImmediate(r));
    const client = this.client;
    if (client) {
      const opts: { reasonCode?: number; properties?: NonNullable<SubscribePlan['connection']['disconnectProperties']> } = {};
      if (reasonCode) opts.reasonCode = reasonCode;
      if (this.plan.connection.disconnectProperties) opts.properties = this.plan.connection.disconnectProperties;
      await client.disconnect(opts).catch(() => client.destroy());
      // -d prints "sending DISCONNECT", as mosquitto_sub does: write it before exiting.
      this.writer.flush();
      await this.writer.written();
    }
    if (status !== undefined) this.finish(status);
  }
}

/** `done` only resolves once connected (every ending before that rejects or exits). */
function unreachable(): never {
  throw new Error('mqtt-sub ended before connecting');
}

runTool({
  invokedAs: invokedName(process.argv[1], TOOL),
  name: TOOL,
  main,
  // describeError shows argv errors even under --quiet.
  describeError: (e, run) => stderrText(withTarget(describeError(e, run), e, target)),
});
