/**
 * Deterministic uniform values in [0, 1) from a seed, a key and a facet. Outcomes depend only
 * on (seed, recipient, facet), never on arrival order, so concurrent sends stay reproducible.
 * The key is hashed once; each facet then costs a couple of integer multiplications.
 */
export function seededHash(seed: string, key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Separator so ("ab","c") and ("a","bc") hash differently.
  h ^= 0xff;
  h = Math.imul(h, 0x01000193);
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Murmur3 finaliser over (hash, facet): well-mixed low and high bits. */
export function facetUnit(hash: number, facet: number): number {
  let h = (hash ^ Math.imul(facet + 1, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x100000000;
}

export function seededUnit(seed: string, key: string): number {
  return facetUnit(seededHash(seed, key), 0);
}
