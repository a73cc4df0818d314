// The run shared by mqtt-sub and mqtt-rr: connect (spinner on a terminal), hand
// the client to the tool, and end on -W, a signal, a lost link or the tool's own
// word, always writing what was printed before the DISCONNECT goes out. Output
// goes through one OutputWriter, so -d lines stay in order with the messages.
import { MqttClient } from '../../client/client.js';
import type { ClientEvents, ClientOptions } from '../../client/types.js';
import { MqttToolError } from '../../errors.js';
import { setLongTimeout } from '../../long-timer.js';
import type { ConnectionPlan } from '../shared/client-options.js';
import { EXIT } from '../shared/exit-codes.js';
import type { Run } from '../shared/run.js';
import { escapeControls } from '../shared/terminal-text.js';
import { connectingSpinner, stderrText } from '../shared/tty.js';
import { OutputWriter } from './output.js';

/** DISCONNECT reason 4: the broker sends the Will, as mosquitto's clients ask on -W and signals. */
export const DISCONNECT_WITH_WILL = 4;

export interface ReceivingPlan {
  connection: ConnectionPlan;
  /** -W */
  timeoutMs?: number;
}

export abstract class ReceivingRun<P extends ReceivingPlan> {
  protected readonly writer = new OutputWriter(process.stdout);
  protected client: MqttClient | undefined;
  protected ending = false;
  private finish!: (status: number) => void;
  protected fail!: (err: Error) => void;
  private readonly done = new Promise<number>((resolve, reject) => {
    this.finish = resolve;
    this.fail = reject;
  });

  constructor(
    protected readonly plan: P,
    private readonly runState: Run,
    private readonly toolName: string,
  ) {}

  /** Connected: subscribe, publish, start handling messages. Its failures end the run (unless already ending). */
  protected abstract started(client: MqttClient): Promise<void>;

  /** SIGINT/SIGTERM once connected. */
  protected abstract interrupted(): void;

  /** Reconnect policy and events (mqtt-sub reconnects; mqtt-rr does not). */
  protected connectHooks(): { reconnect?: ClientOptions['reconnect']; events?: ClientEvents } {
    return {};
  }

  /** Called as the run starts to end, before output is flushed (stop printing, stop views). */
  protected halting(): void {}

  protected stderr(line: string): void {
    if (!this.plan.connection.quiet) process.stderr.write(`${stderrText(line)}\n`);
  }

  /** A line among the -d lines, on stdout in order with the messages (as mosquitto's are); escaped, as it may quote the broker. */
  protected debugLine(line: string): void {
    this.writer.utf8(`${escapeControls(line)}\n`);
    void this.writer.endMessage();
  }

  async run(): Promise<number> {
    const stopTimer = this.startTimeout();
    const onSignal = (): void => {
      if (!this.client) this.runState.exitNow(EXIT.INTERRUPTED); // before CONNACK, as mosquitto_sub (255)
      this.interrupted();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      this.client = await this.connect();
      void this.client.closed.then((err) => {
        if (!this.ending) this.fail(err ?? new MqttToolError('CONNECTION_LOST', 'The connection was lost.'));
      });
      void this.started(this.client).catch((e: unknown) => {
        if (!this.ending) this.fail(e as Error);
      });
      return await this.done;
    } finally {
      stopTimer();
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  }

  private async connect(): Promise<MqttClient> {
    const { reconnect, events } = this.connectHooks();
    const opts: ClientOptions = { ...this.plan.connection.client, ...(reconnect ? { reconnect } : {}) };
    if (this.plan.connection.debug) opts.debug = (line) => this.debugLine(line);
    opts.warn = (line) => this.stderr(line);
    const spinner = connectingSpinner('Connecting…');
    try {
      // -W may expire while connecting: `done` then rejects with the timeout.
      return await Promise.race([MqttClient.connect(opts, events), this.done.then(() => this.unreachable())]);
    } finally {
      spinner.stop();
    }
  }

  /** `done` only resolves once connected (every ending before that rejects or exits). */
  private unreachable(): never {
    throw new Error(`${this.toolName} ended before connecting`);
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

  /**
   * Ends the run: output written, then DISCONNECT (reason 4 sends the Will).
   * `status` undefined: the caller settles.
   */
  protected async end(status: number | undefined, reasonCode = 0): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    this.halting();
    this.writer.flush();
    await this.writer.written();
    // Let the client send the acknowledgement of the last message first.
    await new Promise((r) => setImmediate(r));
    const client = this.client;
    if (client) {
      const disconnect = this.plan.connection.disconnectProperties;
      await client
        .disconnect({ ...(reasonCode ? { reasonCode } : {}), ...(disconnect ? { properties: disconnect } : {}) })
        .catch(() => client.destroy());
      // -d prints "sending DISCONNECT", as mosquitto's clients do: write it before exiting.
      this.writer.flush();
      await this.writer.written();
    }
    if (status !== undefined) this.finish(status);
  }
}
