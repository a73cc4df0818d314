// PBKDF2 for many passwords at once (-U on a big file), on every core.
// Worker threads and the main thread take items from one shared counter and
// write the 64-byte keys into one shared buffer, so there is no per-item
// message or allocation: at mosquitto's 101 iterations a hash takes ~60 µs and
// any per-item overhead (libuv's async pbkdf2 costs about as much again on the
// main thread) would eat the gain. The main thread hashes in short slices and
// yields between them, so the progress spinner keeps turning.
import { pbkdf2Sync } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const KEY_BYTES = 64;
const SALT_BYTES = 12;
/** Below this much work (items × iterations) a worker's start-up costs more than it saves. */
const MIN_WORK_FOR_WORKERS = 200_000;
const MAX_WORKERS = 7;
const SLICE_MS = 8;

// CommonJS, evaluated in each worker: the bundle needs no separate worker file.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { pbkdf2Sync } = require('node:crypto');
const { counters, passwords, offsets, salts, keys, iterations } = workerData;
const count = new Int32Array(counters);
const pw = Buffer.from(passwords), salt = Buffer.from(salts), out = Buffer.from(keys);
const n = offsets.length - 1;
for (;;) {
  const i = Atomics.add(count, 0, 1);
  if (i >= n) break;
  pbkdf2Sync(pw.subarray(offsets[i], offsets[i + 1]), salt.subarray(i * 12, i * 12 + 12), iterations, 64, 'sha512').copy(out, i * 64);
  Atomics.add(count, 1, 1);
}
parentPort.postMessage('done');
`;

interface Shared {
  count: Int32Array; // [next item, items done]
  passwords: Buffer;
  offsets: Int32Array;
  salts: Buffer;
  keys: Buffer;
}

function share(passwords: Buffer[], salts: Buffer): Shared {
  const total = passwords.reduce((sum, p) => sum + p.length, 0);
  const pw = Buffer.from(new SharedArrayBuffer(Math.max(1, total)));
  const offsets = new Int32Array(new SharedArrayBuffer(4 * (passwords.length + 1)));
  let at = 0;
  passwords.forEach((p, i) => {
    offsets[i] = at;
    at += p.copy(pw, at);
  });
  offsets[passwords.length] = at;
  const saltCopy = Buffer.from(new SharedArrayBuffer(salts.length));
  salts.copy(saltCopy);
  return {
    count: new Int32Array(new SharedArrayBuffer(8)),
    passwords: pw,
    offsets,
    salts: saltCopy,
    keys: Buffer.from(new SharedArrayBuffer(KEY_BYTES * passwords.length)),
  };
}

function startWorker(s: Shared, iterations: number): { done: Promise<void>; stop(): void } {
  const w = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { counters: s.count.buffer, passwords: s.passwords.buffer, offsets: s.offsets, salts: s.salts.buffer, keys: s.keys.buffer, iterations },
  });
  const done = new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
    w.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`hash worker exited with ${code}`))));
  });
  return { done, stop: () => void w.terminate() };
}

/** The main thread's share: items from the same counter, in slices, yielding between them. */
async function hashOnMainThread(s: Shared, iterations: number, onProgress: (done: number) => void): Promise<void> {
  const n = s.offsets.length - 1;
  for (;;) {
    const until = performance.now() + SLICE_MS;
    while (performance.now() < until) {
      const i = Atomics.add(s.count, 0, 1);
      if (i >= n) return;
      const pw = s.passwords.subarray(s.offsets[i], s.offsets[i + 1]);
      pbkdf2Sync(pw, s.salts.subarray(i * SALT_BYTES, (i + 1) * SALT_BYTES), iterations, KEY_BYTES, 'sha512').copy(s.keys, i * KEY_BYTES);
      Atomics.add(s.count, 1, 1);
    }
    onProgress(Atomics.load(s.count, 1));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * PBKDF2-HMAC-SHA512 of passwords[i] with the i-th 12-byte salt of `salts`;
 * returns the keys, 64 bytes each, concatenated in order.
 */
export async function pbkdf2Many(passwords: Buffer[], salts: Buffer, iterations: number, onProgress: (done: number) => void = () => {}): Promise<Buffer> {
  const s = share(passwords, salts);
  const n = passwords.length;
  const workers = n * iterations < MIN_WORK_FOR_WORKERS ? 0 : Math.min(MAX_WORKERS, availableParallelism() - 1, n - 1);
  const started = Array.from({ length: Math.max(0, workers) }, () => startWorker(s, iterations));
  const ticker = setInterval(() => onProgress(Atomics.load(s.count, 1)), 100);
  try {
    await hashOnMainThread(s, iterations, onProgress);
    await Promise.all(started.map((w) => w.done));
  } finally {
    clearInterval(ticker);
    for (const w of started) w.stop();
  }
  onProgress(n);
  return Buffer.from(s.keys);
}
