// Turns the errors Node raises while opening a byte stream into MqttToolErrors
// with one-line messages in mosquitto's words ('Connection refused',
// 'Lookup error.', 'A TLS error occurred: ...'). The raw error stays as `cause`
// for --debug.
import { MqttToolError } from '../../errors.js';
import { errnoName } from '../../strerror.js';
import type { CancelSignal } from '../cancel.js';

type Phase = 'connect' | 'tls';

// getaddrinfo failures: mosquitto reports all of them as 'Lookup error.'
const LOOKUP_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'EAI_SERVICE']);

// X.509 verification codes Node copies from OpenSSL (err.code); their messages
// are OpenSSL's own verify strings, e.g. 'self-signed certificate in certificate chain'.
const VERIFY_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'OUT_OF_MEM',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
]);

interface NodeError extends Error {
  code?: string;
  reason?: string;
}

function codeOf(err: unknown): string | undefined {
  return err instanceof Error ? (err as NodeError).code : undefined;
}

/** One-line text for an errno-style failure, or undefined when it is not one. */
export function errnoText(err: unknown): string | undefined {
  const code = codeOf(err);
  if (code === undefined) return undefined;
  if (LOOKUP_CODES.has(code)) return 'Lookup error.';
  return errnoName(code);
}

/** True for failures that happen inside the TLS layer (handshake, certificates). */
export function isTlsFailure(err: unknown): boolean {
  const code = codeOf(err) ?? '';
  return VERIFY_CODES.has(code) || code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.startsWith('ERR_OSSL_');
}

/** The reason text after 'A TLS error occurred: '. */
export function tlsReason(err: unknown): string {
  const e = err as NodeError;
  const code = e.code ?? '';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `hostname verification failed: ${e.reason ?? e.message}`;
  if (VERIFY_CODES.has(code)) return `certificate verify failed: ${e.message}`;
  // OpenSSL errors: keep its reason string ('tlsv13 alert certificate required', ...) when Node gives one.
  if ((code.startsWith('ERR_SSL_') || code.startsWith('ERR_OSSL_')) && typeof e.reason === 'string') return e.reason;
  // EPROTO: Node's message quotes OpenSSL's whole error line; its reason is the part after 'SSL routines:<func>:'.
  const openssl = /SSL routines:[^:]*:([^:]+)/.exec(e.message ?? '');
  if (code === 'EPROTO' && openssl) return openssl[1]!;
  // The server hung up mid-handshake (e.g. a plain MQTT port): say so in strerror words.
  const errno = errnoText(err);
  if (errno !== undefined) return `${errno} during the TLS handshake`;
  return firstLine(e.message ?? String(err));
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0]?.trim() ?? '';
}

/**
 * Maps an error raised while opening a transport. `phase` says what was being
 * done: 'tls' makes every failure a TLS_ERROR (a reset during the handshake is
 * a TLS failure as far as the user is concerned).
 */
export function transportError(err: unknown, phase: Phase, where?: string): MqttToolError {
  if (err instanceof MqttToolError) return err;
  const suffix = where ? ` (${where})` : '';
  if (phase === 'tls' || isTlsFailure(err)) {
    return new MqttToolError('TLS_ERROR', `A TLS error occurred: ${tlsReason(err)}${suffix}`, { cause: err });
  }
  const code = codeOf(err);
  const text = errnoText(err) ?? (firstLine(err instanceof Error ? err.message : String(err)) || code || 'Unknown error');
  return new MqttToolError('CONNECT_FAILED', `${text}${suffix}`, { cause: err });
}

/** The error an aborted open rejects with: the abort reason when it is ours, else CONNECT_FAILED. */
export function abortError(signal: CancelSignal): MqttToolError {
  const reason: unknown = signal.reason;
  if (reason instanceof MqttToolError) return reason;
  return new MqttToolError('CONNECT_FAILED', 'Connection attempt aborted.', { cause: reason });
}

/** Formats host:port with brackets around IPv6 literals. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
