// What became of each publish of a run, and the exit verdict drawn from it: a
// PUBACK/PUBREC failure is "rejected" (status 40), a message left without its
// ack when the link went is "unconfirmed" (41). mosquitto_pub exits 0 in both
// cases; scripts can tell them apart here.
import { MqttToolError, isToolError } from '../../errors.js';
import type { PublishResult } from '../../client/types.js';
import { reasonName } from '../../codec/reason-codes.js';
import { escapeControls } from '../shared/terminal-text.js';

/** Error codes that mean the link went before the message's ack could come. */
export const LINK_LOSS: ReadonlySet<string> = new Set(['PUBLISH_UNCONFIRMED', 'CONNECTION_LOST', 'CLIENT_CLOSED', 'SERVER_DISCONNECT', 'KEEPALIVE_TIMEOUT']);

/** Counts outstanding publishes and how they ended. */
export class PublishTracker {
  issued = 0;
  /** How many messages were asked for (--repeat); those never handed to the client after a failure count as unconfirmed too. */
  requested = 0;
  confirmed = 0;
  rejected = 0;
  unconfirmed = 0;
  /** Of the unconfirmed: QoS 2 messages the broker accepted whose completion was lost. */
  incomplete = 0;
  /** The first error that was neither a rejection nor a lost confirmation. */
  fatal: Error | undefined;
  /** Why unconfirmed messages stayed so, for the count line on stderr. */
  unconfirmedWhy = 'connection lost';
  private outstanding = 0;
  private idle: (() => void) | undefined;

  /** `io.warn`: a warning line for stderr (suppressed by --quiet). */
  constructor(private readonly io: { warn(line: string): void }) {}

  /**
   * Starts tracking a publish; resolves once that message has settled. `numbered`
   * keeps the message's number for a rejection warning (QoS 1/2; a QoS 0 publish
   * is never rejected by the broker, so -l at QoS 0 skips a closure per line).
   */
  track(p: Promise<PublishResult>, numbered = true): Promise<void> {
    const n = ++this.issued;
    this.outstanding++;
    return p.then(this.onOk, numbered ? (err: unknown) => this.onFail(err, n) : this.onFailUnnumbered);
  }

  private readonly onOk = (r: PublishResult): void => {
    // QoS 2 accepted (PUBREC) but its session, and so the PUBCOMP, lost in a reconnect:
    // the broker has it, but completion was never confirmed (test plan F3). Say so.
    if (r.completionUnconfirmed) {
      this.unconfirmed++;
      this.incomplete++;
    } else this.confirmed++;
    this.settle();
  };

  private readonly onFail = (err: unknown, n: number): void => {
    this.fail(n, err);
    this.settle();
  };

  private readonly onFailUnnumbered = (err: unknown): void => this.onFail(err, 0);

  /** Publishes not yet settled. */
  get pending(): number {
    return this.outstanding;
  }

  /** Resolves when nothing is outstanding. */
  drained(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.idle = resolve;
    });
  }

  /** Throws the error the exit status should come from, if anything went wrong. */
  verdict(): void {
    const err = deliveryVerdict(this);
    if (err) throw err;
  }

  private fail(n: number, err: unknown): void {
    const code = isToolError(err) ? err.code : undefined;
    if (code === 'PUBLISH_REJECTED' && isToolError(err)) {
      this.rejected++;
      const why = reasonName(err.reasonCode ?? 0x80);
      this.io.warn(`Warning: Publish ${n} failed: ${why}.${err.reasonString ? `\n${escapeControls(err.reasonString)}` : ''}`);
    } else if (code !== undefined && LINK_LOSS.has(code)) {
      this.unconfirmed++;
      // A link the broker broke by breaking the protocol: that is what the status reports.
      const cause = (err as Error).cause;
      this.fatal ??= isProtocolBreak(cause) ? cause : (err as Error);
    } else {
      this.fatal ??= err instanceof Error ? err : new Error(String(err));
    }
  }

  private settle(): void {
    if (--this.outstanding === 0 && this.idle) {
      const idle = this.idle;
      this.idle = undefined;
      idle();
    }
  }
}

/**
 * The exit verdict of a run: any message left unconfirmed (link lost before its
 * ack) → PUBLISH_UNCONFIRMED (41); else the first other failure; else any
 * message the broker rejected → PUBLISH_REJECTED (40); else none (0).
 */
export function deliveryVerdict(
  t: Readonly<Pick<PublishTracker, 'issued' | 'requested' | 'rejected' | 'unconfirmed' | 'incomplete' | 'fatal' | 'unconfirmedWhy'>>,
): Error | undefined {
  if (isProtocolBreak(t.fatal)) return t.fatal; // status 2 at once, as mosquitto_pub
  // After a failure, what was asked for but never sent counts as unconfirmed too.
  const unsent = t.fatal ? Math.max(0, t.requested - t.issued) : 0;
  const total = t.issued + unsent;
  const unconfirmed = t.unconfirmed + unsent;
  const of = (n: number): string => `${n} of ${total} message${total === 1 ? '' : 's'}`;
  if (unconfirmed > 0 && (t.unconfirmed > 0 || (isToolError(t.fatal) && LINK_LOSS.has(t.fatal.code)))) {
    // A broker that said why it disconnected (reason code and string) is quoted, not summarised.
    const why = isToolError(t.fatal) && t.fatal.code === 'SERVER_DISCONNECT' ? t.fatal.message : t.unconfirmedWhy;
    return new MqttToolError(
      'PUBLISH_UNCONFIRMED',
      `${of(unconfirmed)} not confirmed by the broker (${why}).` +
        (unsent > 0 ? ` ${unsent} of them ${unsent === 1 ? 'was' : 'were'} never sent.` : '') +
        (t.incomplete > 0 ? ` ${t.incomplete} of them reached PUBREC but their session was lost before PUBCOMP.` : ''),
      { count: unconfirmed },
    );
  }
  if (t.fatal) return t.fatal;
  if (t.rejected > 0) return new MqttToolError('PUBLISH_REJECTED', `${of(t.rejected)} rejected by the broker.`, { count: t.rejected });
  return undefined;
}

function isProtocolBreak(e: unknown): e is MqttToolError {
  return isToolError(e) && (e.code === 'PROTOCOL_ERROR' || e.code === 'MALFORMED_PACKET');
}
