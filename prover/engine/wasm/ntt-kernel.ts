// The number-theoretic transform over Fr in the generated module: radix-2, decimation in time
// (bit-reversed load, then log n stages of butterflies, each fused into one function body).
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
  combine: number;
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

  // ntt_store(dst, src, n, scale, reverse): dst[i] = words(reduce(src[j]·scale)), j = i or −i mod n;
  // scale 0 for none.
  const fStore = mod.declare([I32, I32, I32, I32, I32], [], "ntt_store");
  {
    const c = fStore.code;
    const [dst, src, n, scale, reverse] = [0, 1, 2, 3, 4];
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
          () => c.get(n).get(i).op(OP.i32_sub).get(n).i32(1).op(OP.i32_sub).op(OP.i32_and).set(p),
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
        c.get(dst).get(i).i32(5).op(OP.i32_shl).op(OP.i32_add).get(p).call(fr.toWords);
      },
    );
  }

  // ntt_combine(dst, e, o, half, table, shift): the last stage of a transform whose even and odd
  // halves were transformed apart: dst[k] = e[k] + ω^k·o[k], dst[k + half] = e[k] − ω^k·o[k].
  const fCombine = mod.declare([I32, I32, I32, I32, I32, I32], [], "ntt_combine");
  {
    const c = fCombine.code;
    const [dst, e, o, half, table, shift] = [0, 1, 2, 3, 4, 5];
    const k = c.local(I32);
    const pe = c.local(I32);
    const po = c.local(I32);
    const pw = c.local(I32);
    const pd = c.local(I32);
    c.forRange(
      k,
      () => c.i32(0),
      () => c.get(half),
      1,
      () => {
        c.get(k).i32(E).op(OP.i32_mul).set(pd);
        c.get(e).get(pd).op(OP.i32_add).set(pe);
        c.get(o).get(pd).op(OP.i32_add).set(po);
        c.get(table).get(k).get(shift).op(OP.i32_shl).i32(E).op(OP.i32_mul).op(OP.i32_add).set(pw);
        c.get(dst).get(pd).op(OP.i32_add).set(pd);
        const u = F.load(c, pe);
        const t = F.mul(c, F.load(c, po), F.load(c, pw));
        F.store(c, pd, F.add(c, u, t));
        c.get(pd).get(half).i32(E).op(OP.i32_mul).op(OP.i32_add).set(pd);
        F.store(c, pd, F.sub(c, u, t));
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
  return { load: fLoad.index, stages: fStages.index, store: fStore.index, combine: fCombine.index, powers: fPowers.index };
}
