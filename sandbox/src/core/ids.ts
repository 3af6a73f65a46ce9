import { randomBytes } from 'node:crypto';

// A random per-process prefix plus a counter keeps ids unique without paying for
// crypto randomness on every request (the sandbox must sustain thousands of creates/s).
const processSalt = randomBytes(12).toString('hex');
let counter = 0;

function nextHex(width: number): string {
  counter = (counter + 1) >>> 0;
  const c = counter.toString(16).padStart(8, '0');
  const base = processSalt + c;
  if (base.length >= width) return base.slice(base.length - width);
  return base.padStart(width, '0');
}

/** Twilio-style SID: two-letter prefix + 32 lowercase hex chars. */
export function twilioSid(prefix: string): string {
  return prefix + nextHex(32);
}

export function hexId(width: number): string {
  return nextHex(width);
}

export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

let seq = 0;
/** Sandbox-internal ids are short and ordered so logs read naturally. */
export function sequenceId(prefix: string): string {
  seq += 1;
  return `${prefix}_${seq}`;
}
