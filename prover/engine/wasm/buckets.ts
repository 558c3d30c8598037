// The MSM's bucket work in the generated module: gathering points into bucket order, adding pairs
// of affine points in batches that share one inversion (Montgomery's trick), and the running sum
// Σ_b (b+1)·B_b over a window's buckets.

import { I32, I64, OP, type Code, type ModuleBuilder } from "./encoder.js";
import { ELEMENT_BYTES as E, push, type Field, type Ptr } from "./field.js";
import { AFFINE_BYTES, type Curve } from "./curve.js";

// What a pair needs, decided in the first pass of batchAdd.
const ADD = 0;
/** P is ∞: P becomes Q. */
const TAKE = 1;
/** Q is ∞: P stays. */
const KEEP = 2;
/** Q = −P: P becomes ∞. */
const CANCEL = 3;
/** Q = P: P becomes 2P. */
const DOUBLE = 4;

export interface Buckets {
  gather: number;
  batchAdd: number;
  bucketSum: number;
}

/** `temps` has 10·36 free bytes; none of the curve's temps are among them. */
export function buildBuckets(mod: ModuleBuilder, fp: Field, curve: Curve, temps: number): Buckets {
  const T = (i: number): number => temps + i * E;
  const mul = (c: Code, o: Ptr, a: Ptr, b: Ptr): void => fp.emitMul(c, o, a, b);
  const add = (c: Code, o: Ptr, a: Ptr, b: Ptr): void => fp.emitAdd(c, o, a, b);
  const sub = (c: Code, o: Ptr, a: Ptr, b: Ptr): void => fp.emitSub(c, o, a, b);
  const copy = (c: Code, o: Ptr, a: Ptr): void => fp.emitCopy(c, o, a);
  const isZero = (c: Code, a: Ptr): void => {
    push(c, a);
    c.call(fp.isZero);
  };

  // gather(dst, src, order, count): dst[k] = ±src[order[k] & 0x7fffffff], negated when bit 31 is set.
  const fGather = mod.declare([I32, I32, I32, I32], [], "msm_gather");
  {
    const c = fGather.code;
    const k = c.local(I32);
    const e = c.local(I32);
    const s = c.local(I32);
    const d = c.local(I32);
    c.forRange(
      k,
      () => c.i32(0),
      () => c.get(3),
      1,
      () => {
        c.get(2).get(k).i32(2).op(OP.i32_shl).op(OP.i32_add).load32().set(e);
        c.get(1).get(e).i32(0x7fffffff).op(OP.i32_and).i32(AFFINE_BYTES).op(OP.i32_mul).op(OP.i32_add).set(s);
        c.get(0).get(k).i32(AFFINE_BYTES).op(OP.i32_mul).op(OP.i32_add).set(d);
        copy(c, [d, 0], [s, 0]);
        c.get(e).i32(0).op(OP.i32_lt_s);
        c.if(
          () => {
            push(c, [d, E]);
            push(c, [s, E]);
            c.call(fp.neg);
          },
          () => copy(c, [d, E], [s, E]),
        );
      },
    );
  }

  // batchAdd(pairs, m, scratch): for each j < m, P_j += Q_j where pairs holds the addresses
  // (P_j, Q_j) as i32 pairs; all P_j distinct. scratch: 2·36·m + m bytes.
  const fBatch = mod.declare([I32, I32, I32], [], "msm_batchAdd");
  {
    const c = fBatch.code;
    const [pairs, m, scratch] = [0, 1, 2];
    const j = c.local(I32);
    const pa = c.local(I32);
    const pb = c.local(I32);
    const d = c.local(I32);
    const pp = c.local(I32);
    const kinds = c.local(I32);
    const kind = c.local(I32);
    const xb = c.local(I32);
    const [INV, N, TMP] = [T(0), T(2), T(5)];
    const F = fp.inline;
    const acc = Array.from({ length: 9 }, () => c.local(I64));
    const inv = Array.from({ length: 9 }, () => c.local(I64));
    const inverse = Array.from({ length: 9 }, () => c.local(I64));
    // Absolute addresses (the temps) are loaded as offsets from a zero pointer; ppPrev = pp − 36.
    const zero = c.local(I32);
    const ppPrev = c.local(I32);
    c.get(m).i32(2 * E).op(OP.i32_mul).get(scratch).op(OP.i32_add).set(kinds);
    const locate = (): void => {
      c.get(pairs).get(j).i32(3).op(OP.i32_shl).op(OP.i32_add).tee(pa).load32(4).set(pb);
      c.get(pa).load32().set(pa);
      c.get(scratch).get(j).i32(E).op(OP.i32_mul).op(OP.i32_add).tee(d);
      c.get(m).i32(E).op(OP.i32_mul).op(OP.i32_add).set(pp);
    };
    const setKind = (k: number): void => {
      c.i32(k).set(kind);
    };
    c.forRange(
      j,
      () => c.i32(0),
      () => c.get(m),
      1,
      () => {
        locate();
        setKind(ADD);
        isZero(c, [pa, E]);
        c.if(
          () => setKind(TAKE),
          () => {
            isZero(c, [pb, E]);
            c.if(
              () => setKind(KEEP),
              () => {
                sub(c, [d, 0], [pb, 0], [pa, 0]);
                isZero(c, [d, 0]);
                c.if(() => {
                  add(c, TMP, [pa, E], [pb, E]);
                  isZero(c, TMP);
                  c.if(
                    () => setKind(CANCEL),
                    () => {
                      setKind(DOUBLE);
                      add(c, [d, 0], [pa, E], [pa, E]);
                    },
                  );
                });
              },
            );
          },
        );
        c.get(kind).i32(TAKE).op(OP.i32_eq).get(kind).i32(KEEP).op(OP.i32_eq).op(OP.i32_or).get(kind).i32(CANCEL).op(OP.i32_eq).op(OP.i32_or);
        c.if(() => copy(c, [d, 0], fp.one));
        c.get(kinds).get(j).op(OP.i32_add).get(kind).store8();
        // acc = d_0 ⋯ d_j, kept in locals and stored as PP_j.
        c.get(j).op(OP.i32_eqz);
        c.if(
          () => F.load(c, d).forEach((l, q) => c.get(l).set(acc[q])),
          () => F.mul(c, acc, F.load(c, d)).forEach((l, q) => c.get(l).set(acc[q])),
        );
        F.store(c, pp, acc);
      },
    );
    c.get(m).op(OP.i32_eqz);
    c.if(() => c.ret());
    // INV = 1/(d_0 ⋯ d_(m−1)); pp points at the last prefix product.
    push(c, INV);
    c.get(pp);
    c.call(fp.inv);
    F.load(c, zero, INV).forEach((l, q) => c.get(l).set(inv[q]));
    c.get(m).i32(1).op(OP.i32_sub).set(j);
    c.block(() =>
      c.loop(() => {
        locate();
        c.get(kinds).get(j).op(OP.i32_add).load8u().set(kind);
        // inverse = 1/d_j = inv·PP_(j−1); then inv = 1/(d_0 ⋯ d_(j−1)).
        c.get(j).op(OP.i32_eqz);
        c.if(
          () => inv.forEach((l, q) => c.get(l).set(inverse[q])),
          () => {
            c.get(pp).i32(E).op(OP.i32_sub).set(ppPrev);
            F.mul(c, inv, F.load(c, ppPrev)).forEach((l, q) => c.get(l).set(inverse[q]));
            F.mul(c, inv, F.load(c, d)).forEach((l, q) => c.get(l).set(inv[q]));
          },
        );
        c.get(kind).i32(ADD).op(OP.i32_eq);
        c.if(() => {
          sub(c, N, [pb, E], [pa, E]);
          c.get(pb).set(xb);
        });
        c.get(kind).i32(DOUBLE).op(OP.i32_eq);
        c.if(() => {
          mul(c, N, [pa, 0], [pa, 0]);
          add(c, TMP, N, N);
          add(c, N, TMP, N);
          c.get(pa).set(xb);
        });
        c.get(kind).i32(ADD).op(OP.i32_eq).get(kind).i32(DOUBLE).op(OP.i32_eq).op(OP.i32_or);
        c.if(() => {
          // λ = N/d, x3 = λ² − xa − xb, y3 = λ·(xa − x3) − ya, in locals.
          const xa = F.load(c, pa);
          const lambda = F.mul(c, F.load(c, zero, N), inverse);
          const x3 = F.sub(c, F.sub(c, F.mul(c, lambda, lambda), xa), F.load(c, xb));
          const y3 = F.sub(c, F.mul(c, lambda, F.sub(c, xa, x3)), F.load(c, pa, E));
          F.store(c, pa, x3);
          F.store(c, pa, y3, E);
        });
        c.get(kind).i32(TAKE).op(OP.i32_eq);
        c.if(() => {
          copy(c, [pa, 0], [pb, 0]);
          copy(c, [pa, E], [pb, E]);
        });
        c.get(kind).i32(CANCEL).op(OP.i32_eq);
        c.if(() => {
          for (let w = 0; w < 9; w++) c.get(pa).i32(0).store32(E + 4 * w);
        });
        c.get(j).op(OP.i32_eqz).brIf(1);
        c.get(j).i32(1).op(OP.i32_sub).set(j).br(0);
      }),
    );
  }

  // bucketSum(idx, B, out): out = Σ_b (b+1)·P_b over B buckets, idx[b] the address of bucket b's
  // affine point or 0 for an empty bucket, by running sums from the top: S += P_b, out += S.
  const fSum = mod.declare([I32, I32, I32], [], "msm_bucketSum");
  {
    const c = fSum.code;
    const S = T(6); // 4 temps
    const b = c.local(I32);
    const a = c.local(I32);
    push(c, S);
    c.call(curve.xyzzZero);
    c.get(2).call(curve.xyzzZero);
    c.get(1).i32(1).op(OP.i32_sub).set(b);
    c.block(() =>
      c.loop(() => {
        c.get(b).i32(0).op(OP.i32_lt_s).brIf(1);
        c.get(0).get(b).i32(2).op(OP.i32_shl).op(OP.i32_add).load32().tee(a);
        c.if(() => {
          push(c, S);
          c.get(a).call(curve.xyzzAddAffine);
        });
        c.get(2);
        push(c, S);
        c.call(curve.xyzzAdd);
        c.get(b).i32(1).op(OP.i32_sub).set(b).br(0);
      }),
    );
  }
  return { gather: fGather.index, batchAdd: fBatch.index, bucketSum: fSum.index };
}
