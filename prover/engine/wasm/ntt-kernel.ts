// The number-theoretic transform over Fr in the generated module: radix-2, decimation in time
// (bit-reversed load, then log n stages of butterflies, each fused into one function body). A
// transform split over two threads starts instead with one stage of decimation in frequency
// (ntt_fold), which leaves two independent half transforms (see ntt.ts).
//
// Input and output are ffjavascript's FrVec (32-byte little-endian Montgomery words, x·2^256).
// Those words are read into limbs as they are: taken as a value of the kernels' Montgomery form
// (x·2^261) they stand for x·2^−5. The transform is linear, so its result stands for NTT(x)·2^−5,
// whose words are NTT(x)·2^256 again: no conversion multiplication on the way in or out.
import { I32, OP, type ModuleBuilder } from "./encoder.js";
import { ELEMENT_BYTES as E, type Field } from "./field.js";

export interface NttKernel {
  load: number;
  stages: number;
  store: number;
  fold: number;
  spread: number;
  powers: number;
}

export function buildNtt(mod: ModuleBuilder, fr: Field): NttKernel {
  const F = fr.inline;

  // ntt_load(dst, src, n, logn): dst[rev(i)] = src[i] (words → limbs), rev over logn bits; logn = 0
  // loads in order.
  const fLoad = mod.declare([I32, I32, I32, I32], [], "ntt_load");
  {
    const c = fLoad.code;
    const i = c.local(I32);
    const r = c.local(I32);
    const x = c.local(I32);
    const b = c.local(I32);
    c.forRange(
      i,
      () => c.i32(0),
      () => c.get(2),
      1,
      () => {
        c.i32(0).set(r);
        c.get(i).set(x);
        c.forRange(
          b,
          () => c.i32(0),
          () => c.get(3),
          1,
          () => {
            c.get(r).i32(1).op(OP.i32_shl).get(x).i32(1).op(OP.i32_and).op(OP.i32_or).set(r);
            c.get(x).i32(1).op(OP.i32_shr_u).set(x);
          },
        );
        c.get(0).get(r).get(i).get(3).op(OP.select).i32(E).op(OP.i32_mul).op(OP.i32_add);
        c.get(1).get(i).i32(5).op(OP.i32_shl).op(OP.i32_add);
        c.call(fr.fromWords);
      },
    );
  }

  // ntt_stages(a, logn, table, shift): the butterflies; table[j << shift] = ω^j for j < n/2.
  const fStages = mod.declare([I32, I32, I32, I32], [], "ntt_stages");
  {
    const c = fStages.code;
    const [a, logn, table, shift] = [0, 1, 2, 3];
    const n = c.local(I32);
    const half = c.local(I32);
    const step = c.local(I32); // twiddle index step, in table elements, for this stage
    const k = c.local(I32);
    const j = c.local(I32);
    const pu = c.local(I32);
    const pv = c.local(I32);
    const pw = c.local(I32);
    c.i32(1).get(logn).op(OP.i32_shl).set(n);
    // half = 1, 2, 4, …, n/2; step = (n/2)/half << shift.
    c.forRange(
      half,
      () => c.i32(1),
      () => c.get(n),
      0,
      () => {
        c.get(n).i32(1).op(OP.i32_shr_u).get(half).op(OP.i32_div_u).get(shift).op(OP.i32_shl).i32(E).op(OP.i32_mul).set(step);
        c.forRange(
          k,
          () => c.i32(0),
          () => c.get(n),
          0,
          () => {
            c.get(a).get(k).i32(E).op(OP.i32_mul).op(OP.i32_add).set(pu);
            c.get(table).set(pw);
            c.forRange(
              j,
              () => c.i32(0),
              () => c.get(half),
              1,
              () => {
                c.get(pu).get(half).i32(E).op(OP.i32_mul).op(OP.i32_add).set(pv);
                const u = F.load(c, pu);
                const t = F.mul(c, F.load(c, pv), F.load(c, pw));
                F.store(c, pu, F.add(c, u, t));
                F.store(c, pv, F.sub(c, u, t));
                c.get(pu).i32(E).op(OP.i32_add).set(pu);
                c.get(pw).get(step).op(OP.i32_add).set(pw);
              },
            );
            c.get(k).get(half).i32(1).op(OP.i32_shl).op(OP.i32_add).set(k);
          },
        );
        c.get(half).i32(1).op(OP.i32_shl).set(half);
      },
    );
  }

  // ntt_store(dst, src, n, scale, reverse, stride): dst + stride·i = words(reduce(src[j]·scale)),
  // j = i (reverse 0), −i mod n (1) or n − 1 − i (2); scale 0 for none.
  const fStore = mod.declare([I32, I32, I32, I32, I32, I32], [], "ntt_store");
  {
    const c = fStore.code;
    const [dst, src, n, scale, reverse, stride] = [0, 1, 2, 3, 4, 5];
    const i = c.local(I32);
    const p = c.local(I32);
    c.forRange(
      i,
      () => c.i32(0),
      () => c.get(n),
      1,
      () => {
        c.get(reverse);
        c.if(
          () => c.get(n).get(i).op(OP.i32_sub).get(reverse).i32(1).op(OP.i32_sub).op(OP.i32_sub).get(n).i32(1).op(OP.i32_sub).op(OP.i32_and).set(p),
          () => c.get(i).set(p),
        );
        c.get(src).get(p).i32(E).op(OP.i32_mul).op(OP.i32_add).set(p);
        let x = F.load(c, p);
        c.get(scale);
        c.if(() => {
          const y = F.mul(c, x, F.load(c, scale));
          y.forEach((l, q) => c.get(l).set(x[q]));
        });
        x = F.reduce(c, x);
        // Packed from the source slot (each is read once), canonical.
        F.store(c, p, x);
        c.get(dst).get(i).get(stride).op(OP.i32_mul).op(OP.i32_add).get(p).call(fr.toWords);
      },
    );
  }

  // ntt_fold(dst, src, h, logh, odd, table, shift, tmp): the first stage of a transform of n = 2h
  // words at src split by decimation in frequency, into limbs at dst in bit-reversed order (over
  // logh bits) for the half transform: dst[rev(i)] = src[i] + src[i + h] (odd 0, whose transform is
  // the even-indexed outputs) or (src[i] − src[i + h])·ω^i (odd 1: the odd-indexed outputs), ω the
  // n-th root, table[i << shift] = ω^i. tmp: 36 bytes of scratch.
  const fFold = mod.declare([I32, I32, I32, I32, I32, I32, I32, I32], [], "ntt_fold");
  {
    const c = fFold.code;
    const [dst, src, h, logh, odd, table, shift, tmp] = [0, 1, 2, 3, 4, 5, 6, 7];
    const i = c.local(I32);
    const r = c.local(I32);
    const x = c.local(I32);
    const b = c.local(I32);
    const pd = c.local(I32);
    const pw = c.local(I32);
    c.forRange(
      i,
      () => c.i32(0),
      () => c.get(h),
      1,
      () => {
        c.i32(0).set(r);
        c.get(i).set(x);
        c.forRange(
          b,
          () => c.i32(0),
          () => c.get(logh),
          1,
          () => {
            c.get(r).i32(1).op(OP.i32_shl).get(x).i32(1).op(OP.i32_and).op(OP.i32_or).set(r);
            c.get(x).i32(1).op(OP.i32_shr_u).set(x);
          },
        );
        c.get(dst).get(r).i32(E).op(OP.i32_mul).op(OP.i32_add).set(pd);
        c.get(pd).get(src).get(i).i32(5).op(OP.i32_shl).op(OP.i32_add).call(fr.fromWords);
        c.get(tmp).get(src).get(i).get(h).op(OP.i32_add).i32(5).op(OP.i32_shl).op(OP.i32_add).call(fr.fromWords);
        const u = F.load(c, pd);
        const v = F.load(c, tmp);
        c.get(odd);
        c.if(
          () => {
            c.get(table).get(i).get(shift).op(OP.i32_shl).i32(E).op(OP.i32_mul).op(OP.i32_add).set(pw);
            F.store(c, pd, F.mul(c, F.sub(c, u, v), F.load(c, pw)));
          },
          () => F.store(c, pd, F.add(c, u, v)),
        );
      },
    );
  }

  // ntt_spread(dst, src, n, stride): copies n 32-byte words from src to dst + stride·i.
  const fSpread = mod.declare([I32, I32, I32, I32], [], "ntt_spread");
  {
    const c = fSpread.code;
    const [dst, src, n, stride] = [0, 1, 2, 3];
    const i = c.local(I32);
    c.forRange(
      i,
      () => c.i32(0),
      () => c.get(n),
      1,
      () => {
        for (let w = 0; w < 4; w++) c.get(dst).get(src).load64(8 * w).store64(8 * w);
        c.get(src).i32(32).op(OP.i32_add).set(src);
        c.get(dst).get(stride).op(OP.i32_add).set(dst);
      },
    );
  }

  // fr_powers(out, base, count): out[j] = base^j (Montgomery form), out[0] = 1.
  const fPowers = mod.declare([I32, I32, I32], [], "fr_powers");
  {
    const c = fPowers.code;
    const j = c.local(I32);
    const p = c.local(I32);
    c.get(2).op(OP.i32_eqz);
    c.if(() => c.ret());
    c.get(0).i32(fr.one).call(fr.copy);
    c.get(0).set(p);
    c.forRange(
      j,
      () => c.i32(1),
      () => c.get(2),
      1,
      () => {
        c.get(p).i32(E).op(OP.i32_add).get(p).get(1).call(fr.mul);
        c.get(p).i32(E).op(OP.i32_add).set(p);
      },
    );
  }
  return { load: fLoad.index, stages: fStages.index, store: fStore.index, fold: fFold.index, spread: fSpread.index, powers: fPowers.index };
}
