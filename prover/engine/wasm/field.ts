// Montgomery arithmetic over a prime m < 2^254 (BN254's p or r), generated as WebAssembly.
//
// Limbs: an element is 9 limbs of 29 bits (261 bits), least significant first, stored as 9 i32
// words (36 bytes) and computed on in i64 locals. A 29×29-bit product has 58 bits, so a
// multiplication adds all its partial products (at most 18 per column) into 64-bit accumulators
// with no carry handling in the inner loop; only the lowest column is carried once per round.
//
// Montgomery form with R = 2^261: x is held as x·R mod m. The product of two held values a, b
// is (a·b + q·m)/R for the q that clears the low 261 bits; since m < 2^254, that is below
// m·(a·b/(m·R) + 1) < 2m for any inputs below 8m, so products skip the final subtraction and
// values live in [0, 2m) ("lazily reduced"); `reduce` makes one canonical ([0, m)) where a unique
// representation is needed (comparison, output).

import { I32, I64, OP, type Code, type ModuleBuilder, type ValType } from "./encoder.js";

export const LIMBS = 9;
export const LIMB_BITS = 29;
export const MASK = (1 << LIMB_BITS) - 1;
/** Bytes per element in the kernels' memory. */
export const ELEMENT_BYTES = LIMBS * 4;
/** The Montgomery radix R = 2^261. */
export const MONT_BITS = LIMBS * LIMB_BITS;

/** The 29-bit limbs of x (x < 2^261). */
export function toLimbs(x: bigint): number[] {
  const out: number[] = [];
  for (let j = 0; j < LIMBS; j++) out.push(Number((x >> BigInt(j * LIMB_BITS)) & BigInt(MASK)));
  if (x >> BigInt(MONT_BITS) !== 0n) throw new RangeError("toLimbs: value exceeds 261 bits");
  return out;
}

/** x from its limbs (any limb sizes: they are added at their positions). */
export function fromLimbs(limbs: ArrayLike<number>): bigint {
  let x = 0n;
  for (let j = LIMBS - 1; j >= 0; j--) x = (x << BigInt(LIMB_BITS)) + BigInt(limbs[j]);
  return x;
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}

/** An address operand: a constant, or a local i32 pointer plus a constant offset. */
export type Ptr = number | readonly [local: number, offset: number];

/** Pushes the address `p` onto the stack. */
export function push(c: Code, p: Ptr): void {
  if (typeof p === "number") c.i32(p);
  else {
    c.get(p[0]);
    if (p[1] !== 0) c.i32(p[1]).op(OP.i32_add);
  }
}

/** Offset `p` by `bytes`. */
export function at(p: Ptr, bytes: number): Ptr {
  return typeof p === "number" ? p + bytes : [p[0], p[1] + bytes];
}

/** The generated functions of one field (indices into the module), and its constants. */
export interface Field {
  readonly m: bigint;
  /** R mod m: the Montgomery form of 1, stored at `one`. */
  readonly one: number;
  mul: number;
  add: number;
  sub: number;
  /** [0, 2m) → [0, m). */
  reduce: number;
  /** out = −a, in [0, 2m). */
  neg: number;
  copy: number;
  /** i32: 1 when a ≡ 0 (mod m), for a in [0, 2m). */
  isZero: number;
  /** out = a⁻¹ (a ≢ 0), by Fermat. */
  inv: number;
  /** Unpacks 32 bytes (4 little-endian u64) into limbs, no change of value. */
  fromWords: number;
  /** Packs a canonical element into 32 bytes. */
  toWords: number;
  /** Emits out = a·b, etc. as calls. */
  emitMul(c: Code, out: Ptr, a: Ptr, b: Ptr): void;
  emitAdd(c: Code, out: Ptr, a: Ptr, b: Ptr): void;
  emitSub(c: Code, out: Ptr, a: Ptr, b: Ptr): void;
  emitCopy(c: Code, out: Ptr, a: Ptr): void;
  /** Stores the Montgomery form of the constant x at `p` (x is a plain integer < m). */
  emitConst(c: Code, p: Ptr, x: bigint): void;
  /** The Montgomery form x·R mod m. */
  mont(x: bigint): bigint;
  /** Inline emitters on elements held in i64 locals (9 limbs each), for fused kernels. */
  inline: {
    load(c: Code, ptr: number, offset?: number): number[];
    store(c: Code, ptr: number, limbs: readonly number[], offset?: number): void;
    mul(c: Code, a: readonly number[], b: readonly number[]): number[];
    add(c: Code, a: readonly number[], b: readonly number[]): number[];
    sub(c: Code, a: readonly number[], b: readonly number[]): number[];
    /** [0, 2m) → [0, m). */
    reduce(c: Code, a: readonly number[]): number[];
  };
}

/**
 * Generates the functions of the field of modulus m into `mod`, exporting them as `${prefix}_…`.
 * `constants` is the address of 36 free bytes where `init` (emitted into `initCode`) stores R mod m.
 */
export function buildField(mod: ModuleBuilder, prefix: string, m: bigint, constants: number, initCode: Code): Field {
  const mLimbs = toLimbs(m);
  const m2Limbs = toLimbs(2n * m);
  // mu = −m⁻¹ mod 2^29, so that t + ((t·mu) mod 2^29)·m ≡ 0 (mod 2^29).
  const mu = Number((1n << 29n) - modPow(m, (1n << 28n) - 1n, 1n << 29n));
  if (((BigInt(mu) * m + 1n) & BigInt(MASK)) !== 0n) throw new Error("field: bad Montgomery constant");
  const R = 1n << BigInt(MONT_BITS);
  const mont = (x: bigint): bigint => (x * R) % m;
  const P3: ValType[] = [I32, I32, I32];

  const fMul = mod.declare(P3, [], `${prefix}_mul`);
  const fAdd = mod.declare(P3, [], `${prefix}_add`);
  const fSub = mod.declare(P3, [], `${prefix}_sub`);
  const fReduce = mod.declare([I32, I32], [], `${prefix}_reduce`);
  const fNeg = mod.declare([I32, I32], [], `${prefix}_neg`);
  const fCopy = mod.declare([I32, I32], [], `${prefix}_copy`);
  const fIsZero = mod.declare([I32], [I32], `${prefix}_isZero`);
  const fInv = mod.declare([I32, I32], [], `${prefix}_inv`);
  const fFromWords = mod.declare([I32, I32], [], `${prefix}_fromWords`);
  const fToWords = mod.declare([I32, I32], [], `${prefix}_toWords`);

  const loadLimbs = (c: Code, ptr: number, offset = 0): number[] =>
    Array.from({ length: LIMBS }, (_, j) => {
      const l = c.local(I64);
      c.get(ptr).load64u32(offset + 4 * j).set(l);
      return l;
    });
  const storeLimbs = (c: Code, ptr: number, limbs: readonly number[], offset = 0): void =>
    limbs.forEach((l, j) => c.get(ptr).get(l).store64as32(offset + 4 * j));

  /** Emits a·b/R (operand scanning, one Montgomery step per limb of a); returns its limbs' locals. */
  const mulInline = (c: Code, a: readonly number[], b: readonly number[]): number[] => {
    // t[k] holds column k of the current round; `zero` marks columns not yet written.
    let t = Array.from({ length: LIMBS }, () => c.local(I64));
    let zero = t.map(() => true);
    const q = c.local(I64);
    const accumulate = (k: number, product: () => void): void => {
      product();
      if (!zero[k]) c.get(t[k]).op(OP.i64_add);
      c.set(t[k]);
      zero[k] = false;
    };
    for (let i = 0; i < LIMBS; i++) {
      for (let j = 0; j < LIMBS; j++) accumulate(j, () => c.get(a[i]).get(b[j]).op(OP.i64_mul));
      c.get(t[0]).i64(mu).op(OP.i64_mul).i64(MASK).op(OP.i64_and).set(q);
      for (let j = 0; j < LIMBS; j++) {
        if (mLimbs[j] === 0) continue;
        accumulate(j, () => c.get(q).i64(mLimbs[j]).op(OP.i64_mul));
      }
      // Column 0 is now a multiple of 2^29: carry it into column 1 and drop it.
      c.get(t[1]).get(t[0]).i64(LIMB_BITS).op(OP.i64_shr_u).op(OP.i64_add).set(t[1]);
      t = [...t.slice(1), t[0]];
      zero = [...zero.slice(1), true];
    }
    // The top column is only carries (its local still holds the dropped column 0).
    c.i64(0).set(t[LIMBS - 1]);
    // Normalise the columns into 29-bit limbs (the last one keeps the rest: the value is < 2^261).
    for (let k = 0; k < LIMBS - 1; k++) {
      c.get(t[k + 1]).get(t[k]).i64(LIMB_BITS).op(OP.i64_shr_u).op(OP.i64_add).set(t[k + 1]);
      c.get(t[k]).i64(MASK).op(OP.i64_and).set(t[k]);
    }
    return t;
  };
  storeLimbs(fMul.code, 0, mulInline(fMul.code, loadLimbs(fMul.code, 1), loadLimbs(fMul.code, 2)));

  /**
   * Emits s = x + sign·k (limbwise, k constant limbs, sign an i64 local of 0 or −1 selecting k, or
   * undefined for "always"), carried into 29-bit limbs; the top limb keeps its sign. Returns s.
   */
  const addConst = (c: Code, x: readonly number[], k: readonly number[], negate: boolean, sign?: number): number[] => {
    const s = x.map(() => c.local(I64));
    for (let j = 0; j < LIMBS; j++) {
      c.get(x[j]);
      if (j > 0) c.get(s[j - 1]).i64(LIMB_BITS).op(OP.i64_shr_s).op(OP.i64_add);
      c.i64(k[j]);
      if (sign !== undefined) c.get(sign).op(OP.i64_and);
      c.op(negate ? OP.i64_sub : OP.i64_add).set(s[j]);
    }
    for (let j = 0; j < LIMBS - 1; j++) c.get(s[j]).i64(MASK).op(OP.i64_and).set(s[j]);
    return s;
  };
  /** s, carried: s[j] += carry of s[j−1]; the top limb keeps its sign. */
  const carry = (c: Code, s: readonly number[]): void => {
    for (let j = 0; j < LIMBS - 1; j++) {
      c.get(s[j + 1]).get(s[j]).i64(LIMB_BITS).op(OP.i64_shr_s).op(OP.i64_add).set(s[j + 1]);
      c.get(s[j]).i64(MASK).op(OP.i64_and).set(s[j]);
    }
  };
  /** The locals of x − k if that is ≥ 0, else of x (both normalised). */
  const minusIfGe = (c: Code, x: readonly number[], k: readonly number[]): number[] => {
    const d = addConst(c, x, k, true);
    const sign = c.local(I32);
    c.get(d[LIMBS - 1]).i64(63).op(OP.i64_shr_u).op(OP.i32_wrap_i64).set(sign);
    return x.map((_, j) => {
      const r = c.local(I64);
      c.get(x[j]).get(d[j]).get(sign).op(OP.select).set(r);
      return r;
    });
  };

  /** Emits a + b for a, b in [0, 2m) → [0, 2m). */
  const addInline = (c: Code, a: readonly number[], b: readonly number[]): number[] => {
    const s = a.map(() => c.local(I64));
    a.forEach((_, j) => c.get(a[j]).get(b[j]).op(OP.i64_add).set(s[j]));
    carry(c, s);
    return minusIfGe(c, s, m2Limbs);
  };
  /** Emits a − b (a = 0 when undefined), plus 2m when negative: [0, 2m). */
  const subInline = (c: Code, a: readonly number[] | undefined, b: readonly number[]): number[] => {
    const d = b.map(() => c.local(I64));
    b.forEach((_, j) => {
      if (a) c.get(a[j]);
      else c.i64(0);
      c.get(b[j]).op(OP.i64_sub).set(d[j]);
    });
    carry(c, d);
    const sign = c.local(I64);
    c.get(d[LIMBS - 1]).i64(63).op(OP.i64_shr_s).set(sign);
    return addConst(c, d, m2Limbs, false, sign);
  };
  storeLimbs(fAdd.code, 0, addInline(fAdd.code, loadLimbs(fAdd.code, 1), loadLimbs(fAdd.code, 2)));
  storeLimbs(fSub.code, 0, subInline(fSub.code, loadLimbs(fSub.code, 1), loadLimbs(fSub.code, 2)));
  storeLimbs(fNeg.code, 0, subInline(fNeg.code, undefined, loadLimbs(fNeg.code, 1)));
  // Reduce: [0, 2m) → [0, m).
  storeLimbs(fReduce.code, 0, minusIfGe(fReduce.code, loadLimbs(fReduce.code, 1), mLimbs));
  // Copy.
  for (let j = 0; j < LIMBS; j++) fCopy.code.get(0).get(1).load32(4 * j).store32(4 * j);
  // Zero test: a = 0 or a = m.
  {
    const c = fIsZero.code;
    const a = loadLimbs(c, 0);
    a.forEach((l, j) => {
      c.get(l);
      if (j > 0) c.op(OP.i64_or);
    });
    c.op(OP.i64_eqz);
    a.forEach((l, j) => {
      c.get(l).i64(mLimbs[j]).op(OP.i64_xor);
      if (j > 0) c.op(OP.i64_or);
    });
    c.op(OP.i64_eqz).op(OP.i32_or);
  }
  // Inverse: a^(m−2), left to right, the accumulator in `out` (a copied first: out may alias a).
  {
    const c = fInv.code;
    const base = constants + ELEMENT_BYTES;
    c.i32(base).get(1).call(fCopy.index);
    c.get(0).i32(constants).call(fCopy.index);
    const e = m - 2n;
    for (let bit = e.toString(2).length - 1; bit >= 0; bit--) {
      c.get(0).get(0).get(0).call(fMul.index);
      if ((e >> BigInt(bit)) & 1n) c.get(0).get(0).i32(base).call(fMul.index);
    }
  }
  // Words ⇄ limbs.
  {
    const c = fFromWords.code;
    for (let j = 0; j < LIMBS; j++) {
      const bit = j * LIMB_BITS;
      const w = bit >> 6;
      const sh = bit & 63;
      c.get(0);
      c.get(1).load64(8 * w).i64(sh).op(OP.i64_shr_u);
      if (sh + LIMB_BITS > 64 && w + 1 < 4) c.get(1).load64(8 * (w + 1)).i64(64 - sh).op(OP.i64_shl).op(OP.i64_or);
      c.i64(MASK).op(OP.i64_and).store64as32(4 * j);
    }
  }
  {
    const c = fToWords.code;
    for (let w = 0; w < 4; w++) {
      c.get(0);
      let first = true;
      for (let j = 0; j < LIMBS; j++) {
        const lo = j * LIMB_BITS - 64 * w;
        if (lo >= 64 || lo + LIMB_BITS <= 0) continue;
        c.get(1).load64u32(4 * j);
        if (lo > 0) c.i64(lo).op(OP.i64_shl);
        else if (lo < 0) c.i64(-lo).op(OP.i64_shr_u);
        if (!first) c.op(OP.i64_or);
        first = false;
      }
      c.store64(8 * w);
    }
  }

  const emitConst = (c: Code, p: Ptr, x: bigint): void => {
    toLimbs(mont(x)).forEach((l, j) => {
      push(c, at(p, 4 * j));
      c.i32(l).store32();
    });
  };
  emitConst(initCode, constants, 1n);

  const call3 = (f: number) => (c: Code, out: Ptr, a: Ptr, b: Ptr) => {
    push(c, out);
    push(c, a);
    push(c, b);
    c.call(f);
  };
  return {
    m,
    one: constants,
    mul: fMul.index,
    add: fAdd.index,
    sub: fSub.index,
    reduce: fReduce.index,
    neg: fNeg.index,
    copy: fCopy.index,
    isZero: fIsZero.index,
    inv: fInv.index,
    fromWords: fFromWords.index,
    toWords: fToWords.index,
    emitMul: call3(fMul.index),
    emitAdd: call3(fAdd.index),
    emitSub: call3(fSub.index),
    emitCopy(c, out, a) {
      push(c, out);
      push(c, a);
      c.call(fCopy.index);
    },
    emitConst,
    mont,
    inline: {
      load: loadLimbs,
      store: storeLimbs,
      mul: mulInline,
      add: addInline,
      sub: (c, a, b) => subInline(c, a, b),
      reduce: (c, a) => minusIfGe(c, a, mLimbs),
    },
  };
}
