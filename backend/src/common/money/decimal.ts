/** Money as exact decimal strings (numeric(18,4) columns): never through a float. */

/** numeric(18,4) sums as PostgreSQL prints them ("12.5000"), without trailing zeros. */
export function trimDecimal(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** Exact sum of two decimal strings with at most 4 decimals (PostgreSQL already summed each group). */
export function addDecimal(a: string, b: string): string {
  const scaled = (t: string) => {
    const [int, frac = ''] = t.split('.');
    const sign = int.startsWith('-') ? -1n : 1n;
    return sign * (BigInt(int.replace('-', '')) * 10_000n + BigInt((frac + '0000').slice(0, 4)));
  };
  const sum = scaled(a) + scaled(b);
  const abs = sum < 0n ? -sum : sum;
  return trimDecimal(`${sum < 0n ? '-' : ''}${abs / 10_000n}.${(abs % 10_000n).toString().padStart(4, '0')}`);
}
