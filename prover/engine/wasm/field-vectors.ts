// Elementwise kernels over vectors of Fr in the kernels' limb form (36 bytes an element, lazily
// reduced), for the prover's gate evaluation (plonkish/vector-eval.ts): one call per vector, not
// one per element, and the field arithmetic of field.ts inlined in the loop.
//
// Vectors come in as ffjavascript's FrVec words (x·2^256) and go out the same way. `frv_load`
// converts nothing: read as limbs of the kernels' form (x·2^261) the words stand for x·2^−5, and
// the caller keeps track of such constant factors (it folds them into the scalars it multiplies
// by anyway). `frv_store` multiplies by a constant on the way out, which the caller chooses so
// that the words come out right: 2^256 mod r (a plain integer) for a value held in true form.
import { I32, I64, OP, type Code, type ModuleBuilder } from "./encoder.js";
import { ELEMENT_BYTES as E, LIMBS, toLimbs, type Field } from "./field.js";

/** Bytes of a word-form (ffjavascript) element. */
const WORD_BYTES = 32;

export function buildFieldVectors(mod: ModuleBuilder, fr: Field): void {
  const F = fr.inline;

  /**
   * A loop over i < n (parameter `count`), with pointers that advance by their strides each step;
   * `body` gets the pointers' locals. A stride of a local parameter index makes it variable.
   */
  const each = (c: Code, count: number, pointers: { start: number; stride: number | { param: number } }[], body: (p: number[]) => void): void => {
    const i = c.local(I32);
    const ps = pointers.map(({ start }) => {
      const p = c.local(I32);
      c.get(start).set(p);
      return p;
    });
    c.forRange(
      i,
      () => c.i32(0),
      () => c.get(count),
      1,
      () => {
        body(ps);
        pointers.forEach(({ stride }, j) => {
          c.get(ps[j]);
          if (typeof stride === "number") c.i32(stride);
          else c.get(stride.param);
          c.op(OP.i32_add).set(ps[j]);
        });
      },
    );
  };

  // frv_mul, frv_add, frv_sub(out, a, b, n, bStride): out[i] = a[i]·b[i] (a[i] + b[i], a[i] − b[i])
  // over n elements; b advances by bStride bytes (36 for a vector, 0 for one scalar). out may be
  // a or b.
  for (const [name, op] of [
    ["frv_mul", F.mul],
    ["frv_add", F.add],
    ["frv_sub", F.sub],
  ] as const) {
    const f = mod.declare([I32, I32, I32, I32, I32], [], name);
    const c = f.code;
    each(c, 3, [{ start: 0, stride: E }, { start: 1, stride: E }, { start: 2, stride: { param: 4 } }], ([out, a, b]) => {
      F.store(c, out, op(c, F.load(c, a), F.load(c, b)));
    });
  }

  // frv_axpy(out, a, b, k, n): out[i] = a[i] + k·b[i], k one element. out may be a or b.
  {
    const f = mod.declare([I32, I32, I32, I32, I32], [], "frv_axpy");
    const c = f.code;
    const k = F.load(c, 3);
    each(c, 4, [{ start: 0, stride: E }, { start: 1, stride: E }, { start: 2, stride: E }], ([out, a, b]) => {
      F.store(c, out, F.add(c, F.load(c, a), F.mul(c, F.load(c, b), k)));
    });
  }

  // frv_batchInverse(out, src, n, tmp): out[i] = 1/src[i] for n nonzero elements (Montgomery's
  // trick: the prefix products forward, one inversion, then back), tmp one element of scratch;
  // out must not be src. A zero src[i] zeroes every output (the caller checks for zeros first).
  {
    const f = mod.declare([I32, I32, I32, I32], [], "frv_batchInverse");
    const c = f.code;
    const [out, src, n, tmp] = [0, 1, 2, 3];
    const acc = toLimbs(fr.mont(1n)).map((limb) => {
      const l = c.local(I64);
      c.i64(limb).set(l);
      return l;
    });
    // Forward: out[i] = src[0]·…·src[i−1].
    each(c, n, [{ start: out, stride: E }, { start: src, stride: E }], ([o, a]) => {
      F.store(c, o, acc);
      F.mul(c, acc, F.load(c, a)).forEach((l, j) => c.get(l).set(acc[j]));
    });
    F.store(c, tmp, acc);
    c.get(tmp).get(tmp).call(fr.inv);
    const inv = F.load(c, tmp);
    // Back: with inv = 1/(src[0]·…·src[i]), out[i] = out[i]·inv, then inv = inv·src[i].
    const [o, a, i] = [c.local(I32), c.local(I32), c.local(I32)];
    c.get(n).i32(1).op(OP.i32_sub).i32(E).op(OP.i32_mul).set(i);
    c.get(out).get(i).op(OP.i32_add).set(o);
    c.get(src).get(i).op(OP.i32_add).set(a);
    c.forRange(
      i,
      () => c.i32(0),
      () => c.get(n),
      1,
      () => {
        F.store(c, o, F.mul(c, F.load(c, o), inv));
        F.mul(c, inv, F.load(c, a)).forEach((l, j) => c.get(l).set(inv[j]));
        c.get(o).i32(E).op(OP.i32_sub).set(o);
        c.get(a).i32(E).op(OP.i32_sub).set(a);
      },
    );
  }

  // frv_load(dst, src, n): dst[i] = the words of src[i] as limbs, no change of value.
  {
    const f = mod.declare([I32, I32, I32], [], "frv_load");
    const c = f.code;
    each(c, 2, [{ start: 0, stride: E }, { start: 1, stride: WORD_BYTES }], ([dst, src]) => {
      c.get(dst).get(src).call(fr.fromWords);
    });
  }

  // frv_horner(out, src, n, z): out = Σ_i words(src[i])·z^i over n words, by Horner from the top
  // (the words taken as limbs unconverted, like frv_load's).
  {
    const f = mod.declare([I32, I32, I32, I32], [], "frv_horner");
    const c = f.code;
    const [out, src, n, zp] = [0, 1, 2, 3];
    const z = F.load(c, zp);
    const h = Array.from({ length: LIMBS }, () => c.local(I64));
    const i = c.local(I32);
    const p = c.local(I32);
    c.get(src).get(n).i32(5).op(OP.i32_shl).op(OP.i32_add).set(p);
    c.forRange(
      i,
      () => c.i32(0),
      () => c.get(n),
      1,
      () => {
        c.get(p).i32(WORD_BYTES).op(OP.i32_sub).set(p);
        c.get(out).get(p).call(fr.fromWords);
        F.add(c, F.mul(c, h, z), F.load(c, out)).forEach((l, j) => c.get(l).set(h[j]));
      },
    );
    F.store(c, out, h);
  }

  // frv_scalePowers(dst, src, n, g, tmp): dst[j] = src[j]·g^j, words to words (canonical), g held,
  // tmp one element of scratch; dst may be src. For coset transforms: the words' factor 2^−5 (see
  // frv_load) passes through a product with a held value unchanged.
  {
    const f = mod.declare([I32, I32, I32, I32, I32], [], "frv_scalePowers");
    const c = f.code;
    const g = F.load(c, 3);
    // g^j, starting from the held 1.
    const power = toLimbs(fr.mont(1n)).map((limb) => {
      const l = c.local(I64);
      c.i64(limb).set(l);
      return l;
    });
    const slot = 4;
    each(c, 2, [{ start: 0, stride: WORD_BYTES }, { start: 1, stride: WORD_BYTES }], ([dst, src]) => {
      c.get(slot).get(src).call(fr.fromWords);
      F.store(c, slot, F.reduce(c, F.mul(c, F.load(c, slot), power)));
      c.get(dst).get(slot).call(fr.toWords);
      F.mul(c, power, g).forEach((l, j) => c.get(l).set(power[j]));
    });
  }

  // frv_store(dst, src, n, k): words(reduce(src[i]·k)) to dst[i], canonical; src is overwritten.
  {
    const f = mod.declare([I32, I32, I32, I32], [], "frv_store");
    const c = f.code;
    const k = F.load(c, 3);
    each(c, 2, [{ start: 0, stride: WORD_BYTES }, { start: 1, stride: E }], ([dst, src]) => {
      F.store(c, src, F.reduce(c, F.mul(c, F.load(c, src), k)));
      c.get(dst).get(src).call(fr.toWords);
    });
  }
}
