/**
 * Seeded PRNG (xoshiro128**, Blackman & Vigna 2018): fast, 32-bit state words, period 2^128 − 1.
 * Every random decision in llmops takes one of these so results are reproducible from a seed.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Raw 32-bit unsigned output. */
  nextUint32(): number;
  /** Fills `out` with raw 32-bit outputs (same sequence as repeated nextUint32; much faster in bulk). */
  fillUint32(out: Uint32Array): void;
}

/** splitmix32 step, used to spread a seed over the state words. */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Turns a string or number seed into a 32-bit integer (FNV-1a for strings). */
export function seedToInt(seed: string | number): number {
  if (typeof seed === 'number') return Number.isInteger(seed) ? seed >>> 0 : Math.floor(seed * 0x100000000) >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createRng(seed: string | number): Rng {
  const mix = splitmix32(seedToInt(seed));
  let a = mix(), b = mix(), c = mix(), d = mix();
  if ((a | b | c | d) === 0) a = 1;
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const fillUint32 = (out: Uint32Array): void => {
    // Same steps as nextUint32 on local copies of the state: V8 keeps them in registers.
    let s0 = a, s1 = b, s2 = c, s3 = d;
    for (let i = 0; i < out.length; i++) {
      const x = Math.imul(s1, 5);
      out[i] = Math.imul((x << 7) | (x >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    a = s0; b = s1; c = s2; d = s3;
  };
  return {
    nextUint32,
    fillUint32,
    next: () => nextUint32() / 0x100000000,
    // Multiply-shift (Lemire) without the rejection step: bias < n / 2^32, negligible for our n.
    int: (n: number) => Math.floor((nextUint32() / 0x100000000) * n),
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
