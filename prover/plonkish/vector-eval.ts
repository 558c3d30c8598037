// Prover-side evaluation of gate expressions over whole vectors of evaluations (on H or on the
// extended coset), with the engine's WebAssembly field operations.
import { getEngine, R } from "../engine/bn254.js";
import { FR_BYTES, withScratch, type FrVec, type Scratch } from "../engine/fr.js";
import { leafValue, type Expr, type Leaf, type Leaves } from "./expression.js";

/** Vectors (all of one length) the expression's leaves stand for. */
export interface VectorEnv extends Leaves<FrVec> {
  size: number;
}

/**
 * Rows per chunk. Every value of a chunk (a leaf's slice, an intermediate result) lives in a
 * register of this many elements in the engine's memory, 32 KiB each, so that the registers stay
 * in cache and no intermediate vector is ever allocated: a fresh 4 MiB array cost more (zeroed
 * pages) than the additions written into it.
 */
const EVAL_CHUNK = 1024;

/** A register: the address of a chunk-sized vector in scratch memory; temporary ones may be overwritten. */
interface Register {
  at: number;
  temp: boolean;
}

type Value = bigint | Register;

const leafKey = (e: Leaf): string => {
  switch (e.kind) {
    case "col":
      return `col ${e.col} ${e.rot}`;
    case "const":
      return `const ${e.value}`;
    case "challenge":
      return `challenge ${e.name}`;
    default:
      return e.kind;
  }
};

/**
 * Σ_g y^g·G_g over the env's domain (Horner from the last expression), times `factor`
 * elementwise when one is given, chunk by chunk (see EVAL_CHUNK). Scalars fold as in the
 * expressions (a product with a zero scalar is 0 without its vectors); the result is exact, so
 * any evaluation order gives the same vector.
 */
async function evaluateChunked(exprs: readonly Expr[], y: bigint, env: VectorEnv, factor?: FrVec): Promise<FrVec> {
  const size = env.size;
  const out = new Uint8Array(size * FR_BYTES);
  if (size === 0) return out;
  // Each distinct leaf once: a scalar, or its vector over the whole env.
  const leaves = new Map<string, FrVec | bigint>();
  let internal = 0;
  // Each node's structure as a string, to compute a subexpression that occurs twice (the lookup
  // keys, for one) once per chunk.
  const keys = new Map<Expr, string>();
  const occurrences = new Map<string, number>();
  const collect = (e: Expr): string => {
    if (e.kind === "add" || e.kind === "mul") {
      internal++;
      const key = `${e.kind}(${(e.kind === "add" ? e.terms : e.factors).map(collect).join(",")})`;
      keys.set(e, key);
      occurrences.set(key, (occurrences.get(key) ?? 0) + 1);
      return key;
    }
    const key = leafKey(e);
    if (leaves.has(key)) return key;
    const v = leafValue(e, env);
    if (typeof v !== "bigint" && v.length !== size * FR_BYTES) throw new Error(`vector-eval: ${key} has ${v.length / FR_BYTES} elements, the domain ${size}`);
    leaves.set(key, v);
    return key;
  };
  exprs.forEach(collect);
  const repeated = new Set([...occurrences].filter(([, count]) => count > 1).map(([key]) => key));
  if (factor && factor.length !== size * FR_BYTES) throw new Error(`vector-eval: the factor has ${factor.length / FR_BYTES} elements, the domain ${size}`);
  const vectorLeaves = [...leaves.values()].filter((v) => typeof v !== "bigint").length;
  const chunk = Math.min(size, EVAL_CHUNK);
  const bytes = chunk * FR_BYTES;
  // Live at once: the chunk's leaves and factor, its repeated subexpressions, one temporary per
  // open node, Horner's accumulator.
  const registers = vectorLeaves + 1 + repeated.size + internal + 2;
  // Distinct scalars written to memory: one folded scalar per node, one per Horner step, the
  // result (the same in every chunk), with room to spare.
  const scalars = leaves.size + internal + exprs.length + 2;
  withScratch(await getEngine(), registers * bytes + scalars * FR_BYTES, (s) => {
    const free: number[] = Array.from({ length: registers }, () => s.alloc(bytes));
    const scalarAt = new Map<bigint, number>();
    const scalar = (x: bigint): number => {
      let at = scalarAt.get(x);
      if (at === undefined) scalarAt.set(x, (at = s.scalar(x)));
      return at;
    };
    const fresh = (): Register => {
      const at = free.pop();
      if (at === undefined) throw new Error("vector-eval: out of registers");
      return { at, temp: true };
    };
    const release = (r: Register): void => {
      if (r.temp) free.push(r.at);
    };
    const { frm_add: fAdd, frm_mul: fMul } = s.ex;
    for (let start = 0; start < size; start += chunk) {
      const m = Math.min(chunk, size - start);
      const loaded = new Map<string, Register>();
      const load = (key: string, v: FrVec): Register => {
        let r = loaded.get(key);
        if (!r) {
          r = { at: fresh().at, temp: false };
          s.mem.set(v.subarray(start * FR_BYTES, (start + m) * FR_BYTES), r.at);
          loaded.set(key, r);
        }
        return r;
      };
      // a ∘ b (∘ commutative) into a temporary: a's or b's own when one is, written as its first
      // operand (the only aliasing the engine's kernels are used with elsewhere).
      const both = (f: typeof fAdd, a: Register, b: Register): Register => {
        const [x, z] = !a.temp && b.temp ? [b, a] : [a, b];
        const d = x.temp ? x : fresh();
        for (let i = 0, o = 0; i < m; i++, o += FR_BYTES) f(x.at + o, z.at + o, d.at + o);
        release(z);
        return d;
      };
      const withScalar = (f: typeof fAdd, a: Register, k: bigint): Register => {
        const d = a.temp ? a : fresh();
        const p = scalar(k);
        for (let i = 0, o = 0; i < m; i++, o += FR_BYTES) f(a.at + o, p, d.at + o);
        return d;
      };
      // A repeated subexpression's value, computed once per chunk and then read-only.
      const kept = new Map<string, Value>();
      const pinned: Register[] = [];
      const node = (e: Expr): Value => {
        const key = keys.get(e);
        if (key === undefined || !repeated.has(key)) return compute(e);
        let v = kept.get(key);
        if (v === undefined) {
          v = compute(e);
          if (typeof v !== "bigint" && v.temp) {
            v.temp = false;
            pinned.push(v);
          }
          kept.set(key, v);
        }
        return v;
      };
      const compute = (e: Expr): Value => {
        if (e.kind === "add") {
          let k = 0n;
          let acc: Register | undefined;
          for (const t of e.terms) {
            const v = node(t);
            if (typeof v === "bigint") k = (k + v) % R;
            else acc = acc ? both(fAdd, acc, v) : v;
          }
          if (!acc) return k;
          return k === 0n ? acc : withScalar(fAdd, acc, k);
        }
        if (e.kind === "mul") {
          let k = 1n;
          let acc: Register | undefined;
          for (const f of e.factors) {
            const v = node(f);
            if (typeof v === "bigint") k = (k * v) % R;
            else acc = acc ? both(fMul, acc, v) : v;
            if (k === 0n) {
              if (acc) release(acc);
              return 0n;
            }
          }
          if (!acc) return k;
          return k === 1n ? acc : withScalar(fMul, acc, k);
        }
        const key = leafKey(e);
        const v = leaves.get(key)!;
        return typeof v === "bigint" ? v : load(key, v);
      };
      let acc: Value | undefined;
      for (let g = exprs.length - 1; g >= 0; g--) {
        const v = node(exprs[g]);
        if (acc === undefined) acc = v;
        else if (typeof acc === "bigint") acc = typeof v === "bigint" ? (acc * y + v) % R : withScalar(fAdd, v, (acc * y) % R);
        else {
          const scaled = withScalar(fMul, acc, y);
          acc = typeof v === "bigint" ? withScalar(fAdd, scaled, v) : both(fAdd, scaled, v);
        }
      }
      let result = acc!;
      if (factor) {
        const f = load("factor", factor);
        result = typeof result === "bigint" ? withScalar(fMul, f, result) : both(fMul, result, f);
      }
      writeChunk(s, out, start, m, result, scalar);
      if (typeof result !== "bigint") release(result);
      for (const r of [...loaded.values(), ...pinned]) free.push(r.at);
    }
  });
  return out;
}

/** Copies a chunk's result (a register, or a scalar broadcast) to elements start … start + m − 1 of `out`. */
function writeChunk(s: Scratch, out: Uint8Array, start: number, m: number, result: Value, scalar: (x: bigint) => number): void {
  if (typeof result === "bigint") {
    const p = scalar(result);
    for (let i = 0; i < m; i++) out.set(s.mem.subarray(p, p + FR_BYTES), (start + i) * FR_BYTES);
    return;
  }
  out.set(s.mem.subarray(result.at, result.at + m * FR_BYTES), start * FR_BYTES);
}

/** The expression's value at every point of the env's domain, as a fresh vector. */
export async function evaluateVector(e: Expr, env: VectorEnv): Promise<FrVec> {
  return evaluateChunked([e], 0n, env);
}

/**
 * Σ_g y^g·G_g over the env's domain, for the expressions G_0, G_1, … in order (Horner from the
 * last), multiplied elementwise by `factor` when one is given: the quotient's numerator, or with
 * factor = 1/Z_H the quotient itself on the coset.
 */
export async function combineVector(exprs: readonly Expr[], y: bigint, env: VectorEnv, factor?: FrVec): Promise<FrVec> {
  return evaluateChunked(exprs, y, env, factor);
}

/**
 * Elements start, start + 1, …, end − 1 of `v`, indices taken mod its length (0 ≤ end − start ≤
 * length). A view into `v` when the range does not wrap around, a fresh copy when it does.
 */
export function cyclicSlice(v: FrVec, start: number, end: number): FrVec {
  const n = v.length / FR_BYTES;
  if (end - start > n || end < start) throw new RangeError(`cyclicSlice: [${start}, ${end}) is not within one period of ${n}`);
  if (n === 0) return v;
  const lo = (((start % n) + n) % n) * FR_BYTES;
  const bytes = (end - start) * FR_BYTES;
  if (lo + bytes <= v.length) return v.subarray(lo, lo + bytes);
  const out = new Uint8Array(bytes);
  out.set(v.subarray(lo), 0);
  out.set(v.subarray(0, bytes - (v.length - lo)), v.length - lo);
  return out;
}

/** `v` rotated so that element i is the old element (i + shift) mod length. */
export function rotate(v: FrVec, shift: number): FrVec {
  const n = v.length / FR_BYTES;
  if (n === 0 || shift % n === 0) return v;
  return cyclicSlice(v, shift, shift + n);
}

/**
 * The leaves of a {@link VectorEnv} as plain data: whole vectors over a cyclic domain whose next
 * row (rotation 1) is `rowStride` elements on (1 on H, EXTENSION on the extended coset). Holds
 * only typed arrays, bigints and a Map, so it crosses to a worker thread by structured clone
 * (without copying vectors that live in a SharedArrayBuffer).
 */
export interface VectorTable {
  /** Number of elements of every vector. */
  size: number;
  rowStride: number;
  /** Values of each column (undefined where the expressions never query it). */
  columns: readonly (FrVec | undefined)[];
  challenges: ReadonlyMap<string, bigint>;
  x?: FrVec;
  l0?: FrVec;
  pi?: FrVec;
  weightCommitment?: FrVec;
}

/** The env of the table's elements start … end − 1 (rotation-1 queries read `rowStride` on, cyclically). */
export function tableEnv(table: VectorTable, start = 0, end = table.size): VectorEnv {
  const leaf = (v: FrVec | undefined, what: string, shift = 0): FrVec => {
    if (!v) throw new Error(`${what} is not available here`);
    if (v.length !== table.size * FR_BYTES) throw new Error(`${what} has ${v.length / FR_BYTES} elements, the table ${table.size}`);
    return cyclicSlice(v, start + shift, end + shift);
  };
  return {
    size: end - start,
    column: (col, rot) => leaf(table.columns[col], `column ${col}`, rot * table.rowStride),
    challenge(name) {
      const c = table.challenges.get(name);
      if (c === undefined) throw new Error(`challenge ${name} is not drawn yet`);
      return c;
    },
    x: () => leaf(table.x, "X"),
    l0: () => leaf(table.l0, "L_0"),
    pi: () => leaf(table.pi, "PI"),
    weightCommitment: () => leaf(table.weightCommitment, "C"),
  };
}
