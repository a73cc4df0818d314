// Canonical form of a packet for deep comparison in codec tests. Two packets are the
// same when they say the same thing on the wire: Buffer vs Uint8Array does not matter,
// absent vs empty properties does not, and v5 subscription options false/0 equal absent.
export function canonicalPacket(p: unknown): unknown {
  return canon(p, '');
}

const DEFAULT_SUBSCRIPTION_OPTIONS: Record<string, unknown> = {
  noLocal: false,
  retainAsPublished: false,
  retainHandling: 0,
};

function canon(v: unknown, key: string): unknown {
  if (v instanceof Uint8Array) return `bytes:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  if (Array.isArray(v)) return v.map((x) => canon(x, key));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === undefined) continue;
    if (key === 'subscriptions' && DEFAULT_SUBSCRIPTION_OPTIONS[k] === x) continue;
    const c = canon(x, k);
    if ((k === 'userProperties' || k === 'subscriptionIdentifiers') && Array.isArray(c) && c.length === 0) continue;
    if (k === 'properties' && c !== null && typeof c === 'object' && Object.keys(c).length === 0) continue;
    out[k] = c;
  }
  return out;
}

/** Hex of any byte array, for readable equality failures. */
export function hexOf(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
