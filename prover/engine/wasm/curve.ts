// BN254 G1 (y² = x³ + 3 over Fp) in the generated module: affine points for the buckets of the
// MSM, added in batches that share one field inversion, and XYZZ coordinates for running sums.
//
// Affine point: x ‖ y, 72 bytes, each lazily reduced (field.ts). The point at infinity is marked
// by y ≡ 0, which no finite point of G1 has (its order is odd, so it has no point of order 2).
// XYZZ point (X, Y, ZZ, ZZZ) stands for (X/ZZ, Y/ZZZ) with ZZ³ = ZZZ², 144 bytes; infinity is
// ZZ ≡ 0. Formulas: the "xyzz" ones of the Explicit-Formulas Database (Bernstein–Lange,
// add-2008-s, madd-2008-s, dbl-2008-s-1, mdbl-2008-s-1), for a = 0.

import { I32, OP, type Code, type ModuleBuilder } from "./encoder.js";
import { at, ELEMENT_BYTES as E, MONT_BITS, push, toLimbs, type Field, type Ptr } from "./field.js";
import { glvConstants } from "./glv.js";

export const AFFINE_BYTES = 2 * E;
export const XYZZ_BYTES = 4 * E;
/** Bytes per point of the ffjavascript / .ptau form: x ‖ y, 32 bytes each (LE Montgomery, 2^256). */
export const LEM_BYTES = 64;

export interface Curve {
  /** (out, in): a 64-byte LEM point → affine, canonical coordinates. */
  fromLem: number;
  /** (out, in, n): n points. */
  fromLemMany: number;
  /** (out, acc): an XYZZ point → 64-byte LEM affine (zeros for infinity). */
  xyzzToLem: number;
  /** (acc, affine): acc += P. */
  xyzzAddAffine: number;
  /** (acc, q): acc += Q. */
  xyzzAdd: number;
  /** (acc): acc = 2·acc. */
  xyzzDouble: number;
  /** (acc): acc = ∞. */
  xyzzZero: number;
  /** (out, in, n): n affine points → their images under the GLV endomorphism φ(x, y) = (β·x, y). */
  endoMany: number;
}

/**
 * Generates the curve functions. `constants` has 3·36 free bytes (the plain conversion factors, β),
 * `temps` 16·36 bytes of scratch that these functions (never reentered) share.
 */
export function buildCurve(mod: ModuleBuilder, fp: Field, constants: number, temps: number, initCode: Code): Curve {
  const p = fp.m;
  // A LEM coordinate holds x·2^256; ours x·2^261. mul(a, b) = a·b/2^261, so multiplying by the
  // plain integer 2^266 mod p converts in, and by 2^256 mod p converts out.
  const K_IN = constants;
  const K_OUT = constants + E;
  const storeRaw = (addr: number, x: bigint): void =>
    toLimbs(x).forEach((l, j) => {
      initCode.i32(addr + 4 * j).i32(l).store32();
    });
  storeRaw(K_IN, (1n << 266n) % p);
  storeRaw(K_OUT, (1n << 256n) % p);
  // β in our Montgomery form, so that mul(x, BETA) = β·x.
  const BETA = constants + 2 * E;
  storeRaw(BETA, (glvConstants().beta << BigInt(MONT_BITS)) % p);
  const T = (i: number): number => temps + i * E;

  const fFromLem = mod.declare([I32, I32], [], "g1_fromLem");
  const fFromLemMany = mod.declare([I32, I32, I32], [], "g1_fromLemMany");
  const fToLem = mod.declare([I32, I32], [], "g1_xyzzToLem");
  const fMadd = mod.declare([I32, I32], [], "g1_xyzzAddAffine");
  const fAdd = mod.declare([I32, I32], [], "g1_xyzzAdd");
  const fDbl = mod.declare([I32], [], "g1_xyzzDouble");
  const fZero = mod.declare([I32], [], "g1_xyzzZero");
  const fEndo = mod.declare([I32, I32], [], "g1_endo");
  const fEndoMany = mod.declare([I32, I32, I32], [], "g1_endoMany");

  const mul = (c: Code, o: Ptr, a: Ptr, b: Ptr): void => fp.emitMul(c, o, a, b);
  const add = (c: Code, o: Ptr, a: Ptr, b: Ptr): void => fp.emitAdd(c, o, a, b);
  const sub = (c: Code, o: Ptr, a: Ptr, b: Ptr): void => fp.emitSub(c, o, a, b);
  const copy = (c: Code, o: Ptr, a: Ptr): void => fp.emitCopy(c, o, a);
  const unary = (c: Code, f: number, o: Ptr, a: Ptr): void => {
    push(c, o);
    push(c, a);
    c.call(f);
  };
  const isZero = (c: Code, a: Ptr): void => {
    push(c, a);
    c.call(fp.isZero);
  };
  const zero = (c: Code, o: Ptr): void => {
    for (let j = 0; j < 9; j++) {
      push(c, at(o, 4 * j));
      c.i32(0).store32();
    }
  };

  /** acc = ∞ (ZZ = ZZZ = 0). */
  const setInfinity = (c: Code, ZZ: Ptr, ZZZ: Ptr): void => {
    zero(c, ZZ);
    zero(c, ZZZ);
  };
  /**
   * The exceptional case of an addition, P = U2 − U1 ≡ 0 (same x): `double()` when R = S2 − S1 ≡ 0
   * too (equal points), else acc = ∞ (opposite points); then return.
   */
  const equalX = (c: Code, P: Ptr, R: Ptr, ZZ: Ptr, ZZZ: Ptr, double: () => void): void => {
    isZero(c, P);
    c.if(() => {
      isZero(c, R);
      c.if(double, () => setInfinity(c, ZZ, ZZZ));
      c.ret();
    });
  };
  /**
   * The shared tail of the xyzz additions: X3 = R² − PPP − 2Q, Y3 = R·(Q − X3) − S·PPP, stored over
   * (X1, Y1). Uses X3 and tmp as scratch (tmp may be S); Q is overwritten.
   */
  const addTail = (c: Code, o: { X1: Ptr; Y1: Ptr; R: Ptr; PPP: Ptr; Q: Ptr; S: Ptr; X3: Ptr; tmp: Ptr }): void => {
    mul(c, o.X3, o.R, o.R);
    sub(c, o.X3, o.X3, o.PPP);
    sub(c, o.X3, o.X3, o.Q);
    sub(c, o.X3, o.X3, o.Q);
    sub(c, o.Q, o.Q, o.X3);
    mul(c, o.Q, o.R, o.Q);
    mul(c, o.tmp, o.S, o.PPP);
    sub(c, o.Y1, o.Q, o.tmp);
    copy(c, o.X1, o.X3);
  };

  // LEM → affine.
  {
    const c = fFromLem.code;
    for (const [o, i] of [
      [0, 0],
      [E, 32],
    ] as const) {
      unary(c, fp.fromWords, [0, o], [1, i]);
      mul(c, [0, o], [0, o], K_IN);
      unary(c, fp.reduce, [0, o], [0, o]);
    }
  }
  /** (out, in, n) → f(out + i·outBytes, in + i·inBytes) for i < n. */
  const many = (c: Code, f: number, outBytes: number, inBytes: number): void => {
    const i = c.local(I32);
    c.forRange(
      i,
      () => c.i32(0),
      () => c.get(2),
      1,
      () => {
        c.get(0).get(i).i32(outBytes).op(OP.i32_mul).op(OP.i32_add);
        c.get(1).get(i).i32(inBytes).op(OP.i32_mul).op(OP.i32_add);
        c.call(f);
      },
    );
  };
  many(fFromLemMany.code, fFromLem.index, AFFINE_BYTES, LEM_BYTES);

  // φ(x, y) = (β·x, y); infinity (y ≡ 0) stays infinity.
  {
    const c = fEndo.code;
    mul(c, [0, 0], [1, 0], BETA);
    unary(c, fp.reduce, [0, 0], [0, 0]);
    copy(c, [0, E], [1, E]);
  }
  many(fEndoMany.code, fEndo.index, AFFINE_BYTES, AFFINE_BYTES);

  // XYZZ → LEM.
  {
    const c = fToLem.code;
    const [X, Y, ZZ, ZZZ] = [0, E, 2 * E, 3 * E].map((o) => [1, o] as const);
    isZero(c, ZZ);
    c.if(() => {
      for (let k = 0; k < 8; k++) c.get(0).i64(0).store64(8 * k);
      c.ret();
    });
    unary(c, fp.inv, T(0), ZZ);
    mul(c, T(1), X, T(0));
    unary(c, fp.inv, T(0), ZZZ);
    mul(c, T(2), Y, T(0));
    for (const [t, o] of [
      [T(1), 0],
      [T(2), 32],
    ] as const) {
      mul(c, t, t, K_OUT);
      unary(c, fp.reduce, t, t);
      unary(c, fp.toWords, [0, o], t);
    }
  }

  {
    setInfinity(fZero.code, [0, 2 * E], [0, 3 * E]);
  }

  // acc += affine P.
  {
    const c = fMadd.code;
    const acc: Ptr = [0, 0];
    const [x2, y2]: Ptr[] = [
      [1, 0],
      [1, E],
    ];
    const [X1, Y1, ZZ1, ZZZ1] = [0, E, 2 * E, 3 * E].map((o) => at(acc, o));
    isZero(c, y2);
    c.if(() => c.ret());
    isZero(c, ZZ1);
    c.if(() => {
      copy(c, X1, x2);
      copy(c, Y1, y2);
      copy(c, ZZ1, fp.one);
      copy(c, ZZZ1, fp.one);
      c.ret();
    });
    const [U2, S2, P, R, PP, PPP, Q] = [T(0), T(1), T(2), T(3), T(4), T(5), T(6)];
    mul(c, U2, x2, ZZ1);
    mul(c, S2, y2, ZZZ1);
    sub(c, P, U2, X1);
    sub(c, R, S2, Y1);
    equalX(c, P, R, ZZ1, ZZZ1, () => {
      // acc = P2: double the affine point.
      copy(c, X1, x2);
      copy(c, Y1, y2);
      copy(c, ZZ1, fp.one);
      copy(c, ZZZ1, fp.one);
      c.get(0).call(fDbl.index);
    });
    mul(c, PP, P, P);
    mul(c, PPP, P, PP);
    mul(c, Q, X1, PP);
    addTail(c, { X1, Y1, R, PPP, Q, S: Y1, X3: T(7), tmp: T(8) });
    mul(c, ZZ1, ZZ1, PP);
    mul(c, ZZZ1, ZZZ1, PPP);
  }

  // acc = 2·acc.
  {
    const c = fDbl.code;
    const [X1, Y1, ZZ1, ZZZ1]: Ptr[] = [0, E, 2 * E, 3 * E].map((o) => [0, o] as const);
    const [U, V, W, S, M, X3] = [T(10), T(11), T(12), T(13), T(14), T(15)];
    add(c, U, Y1, Y1);
    mul(c, V, U, U);
    mul(c, W, U, V);
    mul(c, S, X1, V);
    // M = 3·X1²
    mul(c, M, X1, X1);
    add(c, X3, M, M);
    add(c, M, X3, M);
    // X3 = M² − 2S
    mul(c, X3, M, M);
    sub(c, X3, X3, S);
    sub(c, X3, X3, S);
    // Y3 = M·(S − X3) − W·Y1
    sub(c, S, S, X3);
    mul(c, S, M, S);
    mul(c, U, W, Y1);
    sub(c, Y1, S, U);
    copy(c, X1, X3);
    mul(c, ZZ1, V, ZZ1);
    mul(c, ZZZ1, W, ZZZ1);
  }

  // acc += Q.
  {
    const c = fAdd.code;
    const [X1, Y1, ZZ1, ZZZ1]: Ptr[] = [0, E, 2 * E, 3 * E].map((o) => [0, o] as const);
    const [X2, Y2, ZZ2, ZZZ2]: Ptr[] = [0, E, 2 * E, 3 * E].map((o) => [1, o] as const);
    isZero(c, ZZ2);
    c.if(() => c.ret());
    isZero(c, ZZ1);
    c.if(() => {
      for (const [o, i] of [
        [X1, X2],
        [Y1, Y2],
        [ZZ1, ZZ2],
        [ZZZ1, ZZZ2],
      ])
        copy(c, o, i);
      c.ret();
    });
    const [U1, U2, S1, S2, P, R, PP, PPP] = [T(0), T(1), T(2), T(3), T(4), T(5), T(6), T(7)];
    mul(c, U1, X1, ZZ2);
    mul(c, U2, X2, ZZ1);
    mul(c, S1, Y1, ZZZ2);
    mul(c, S2, Y2, ZZZ1);
    sub(c, P, U2, U1);
    sub(c, R, S2, S1);
    equalX(c, P, R, ZZ1, ZZZ1, () => c.get(0).call(fDbl.index));
    mul(c, PP, P, P);
    mul(c, PPP, P, PP);
    const Q = U2; // U2 is no longer needed
    mul(c, Q, U1, PP);
    addTail(c, { X1, Y1, R, PPP, Q, S: S1, X3: T(8), tmp: S1 });
    mul(c, ZZ1, ZZ1, ZZ2);
    mul(c, ZZ1, ZZ1, PP);
    mul(c, ZZZ1, ZZZ1, ZZZ2);
    mul(c, ZZZ1, ZZZ1, PPP);
  }

  return {
    fromLem: fFromLem.index,
    fromLemMany: fFromLemMany.index,
    xyzzToLem: fToLem.index,
    xyzzAddAffine: fMadd.index,
    xyzzAdd: fAdd.index,
    xyzzDouble: fDbl.index,
    xyzzZero: fZero.index,
    endoMany: fEndoMany.index,
  };
}
