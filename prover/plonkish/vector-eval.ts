// Prover-side evaluation of gate expressions over whole vectors of evaluations (on H or on the
// extended coset), with WebAssembly field operations: our kernels' vector operations (one call per
// chunk-long vector), or with ZKINFER_ENGINE=ffjavascript that engine's, one call per element.
import { getEngine, ownKernels, R } from "../../verifier/engine/bn254.js";
import { FR_BYTES, frVecFromBigints, withScratch, type FrVec } from "../../verifier/engine/fr.js";
import { frInv } from "../../verifier/engine/scalar.js";
import { LOAD_FACTOR, withFieldVectors } from "../engine/wasm/index.js";
import { leafValue, type Expr, type Leaf, type Leaves } from "../../verifier/plonkish/expression.js";

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

/**
 * Scratch memory for a chunk's vectors and the operations on them, over m elements at a time, on
 * addresses of vectors (or, where `scalar` says so, of one element used for all of them). Where
 * an output may be an input is said per operation.
 */
interface Lanes {
  /** Address of a fresh chunk-long vector. */
  vector(): number;
  /** Address of the element x. */
  scalar(x: bigint): number;
  /** A loaded element x is held as x/loadFactor. */
  loadFactor: bigint;
  /** Copies the m elements of `v` (FrVec form) to the vector at `at`. */
  load(at: number, v: FrVec, m: number): void;
  /** d = a + b or a·b elementwise (b one element when `scalar`); d may be a. */
  add(a: number, b: number, d: number, m: number, scalar: boolean): void;
  mul(a: number, b: number, d: number, m: number, scalar: boolean): void;
  /** d = a − b; d may be a. */
  sub(a: number, b: number, d: number, m: number): void;
  /** d = a + k·b, k the address of one element; d may be a. */
  axpy(a: number, b: number, k: number, d: number, m: number): void;
  /** Writes k times the vector at `at` to elements start … start + m − 1 of `out`; may clobber it. */
  store(out: FrVec, start: number, at: number, m: number, k: bigint): void;
}

/**
 * Runs `fn` with room for `vectors` vectors of `chunk` elements and `scalars` scalars: our kernels'
 * vector operations, or with ZKINFER_ENGINE=ffjavascript the engine's per-element exports.
 */
async function withLanes<T>(vectors: number, chunk: number, scalars: number, fn: (lanes: Lanes) => T): Promise<T> {
  if (ownKernels()) {
    return withFieldVectors(vectors * chunk + scalars, chunk, (s) => {
      const stride = s.elementBytes;
      return fn({
        vector: () => s.alloc(chunk),
        scalar: (x) => s.scalar(x),
        loadFactor: LOAD_FACTOR,
        load: (at, v, m) => s.load(at, v, m),
        add: (a, b, d, m, scalar) => s.ex.frv_add(d, a, b, m, scalar ? 0 : stride),
        mul: (a, b, d, m, scalar) => s.ex.frv_mul(d, a, b, m, scalar ? 0 : stride),
        sub: (a, b, d, m) => s.ex.frv_sub(d, a, b, m, stride),
        axpy: (a, b, k, d, m) => s.ex.frv_axpy(d, a, b, k, m),
        store: (out, start, at, m, k) => s.store(out, start, at, m, k),
      });
    });
  }
  return withScratch(await getEngine(), (vectors * chunk + scalars + 1) * FR_BYTES, (s) => {
    const { frm_add: fAdd, frm_mul: fMul, frm_sub: fSub } = s.ex;
    const each = (f: typeof fAdd) => (a: number, b: number, d: number, m: number, scalar = false) => {
      for (let i = 0, o = 0; i < m; i++, o += FR_BYTES) f(a + o, scalar ? b : b + o, d + o);
    };
    const tmp = s.alloc(FR_BYTES);
    const mul = each(fMul);
    const storeFactor = new Map<bigint, number>();
    return fn({
      vector: () => s.alloc(chunk * FR_BYTES),
      scalar: (x) => s.scalar(x),
      loadFactor: 1n,
      load: (at, v, m) => s.mem.set(v.subarray(0, m * FR_BYTES), at),
      add: each(fAdd),
      mul,
      sub: each(fSub),
      axpy(a, b, k, d, m) {
        for (let i = 0, o = 0; i < m; i++, o += FR_BYTES) {
          fMul(b + o, k, tmp);
          fAdd(a + o, tmp, d + o);
        }
      },
      store(out, start, at, m, k) {
        if (k !== 1n) {
          let p = storeFactor.get(k);
          if (p === undefined) storeFactor.set(k, (p = s.scalar(k)));
          mul(at, p, at, m, true);
        }
        out.set(s.mem.subarray(at, at + m * FR_BYTES), start * FR_BYTES);
      },
    });
  });
}

/** A register: the address of a chunk-sized vector in scratch memory; temporary ones may be overwritten. */
interface Register {
  at: number;
  temp: boolean;
}

/**
 * A vector value: k times the register's elements. The factor k (never 0) is carried along
 * rather than multiplied in, and folded into the next operation that takes a scalar anyway (a sum
 * a + k·b is one pass whatever k is; the final write multiplies by a constant of its own), so
 * scalar products cost nothing and loaded leaves need no conversion (see Lanes.loadFactor).
 */
interface Scaled {
  r: Register;
  k: bigint;
}

type Value = bigint | Scaled;

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
async function evaluateChunked(exprs: readonly Expr[], y: bigint, env: VectorEnv, factor?: Factor): Promise<FrVec> {
  const size = env.size;
  const out = new Uint8Array(size * FR_BYTES);
  if (size === 0) return out;
  // Each distinct leaf once: a scalar, or its vector over the whole env.
  const leaves = new Map<string, FrVec | bigint>();
  let internal = 0;
  let edges = 0;
  // Each node's structure as a string, to compute a subexpression that occurs twice (the lookup
  // keys, for one) once per chunk.
  const keys = new Map<Expr, string>();
  const occurrences = new Map<string, number>();
  const collect = (e: Expr): string => {
    if (e.kind === "add" || e.kind === "mul") {
      internal++;
      const children = e.kind === "add" ? e.terms : e.factors;
      edges += children.length;
      const key = `${e.kind}(${children.map(collect).join(",")})`;
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
  if (typeof factor === "object" && factor.length !== size * FR_BYTES) throw new Error(`vector-eval: the factor has ${factor.length / FR_BYTES} elements, the domain ${size}`);
  const vectorLeaves = [...leaves.values()].filter((v) => typeof v !== "bigint").length;
  const chunk = Math.min(size, EVAL_CHUNK);
  // Live at once: the chunk's leaves and factor, its repeated subexpressions, at most two
  // temporaries per open node and a sum's groups (at most one per term), Horner's accumulator.
  const registers = vectorLeaves + 1 + repeated.size + 2 * internal + edges + 2;
  // Distinct scalars written to memory: at most one per edge of the trees (a sum's ratio, a
  // product's constant), two per Horner step, the factor and the result, with room to spare. The
  // same scalars recur in every chunk.
  const scalars = edges + 2 * exprs.length + 8;
  const inverses = new Map<bigint, bigint>();
  const inverse = (x: bigint): bigint => {
    let i = inverses.get(x);
    if (i === undefined) inverses.set(x, (i = frInv(x)));
    return i;
  };
  await withLanes(registers, chunk, scalars, (lanes) => {
    const free: number[] = Array.from({ length: registers }, () => lanes.vector());
    const scalarAt = new Map<bigint, number>();
    const scalar = (x: bigint): number => {
      let at = scalarAt.get(x);
      if (at === undefined) scalarAt.set(x, (at = lanes.scalar(x)));
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
    for (let start = 0; start < size; start += chunk) {
      const m = Math.min(chunk, size - start);
      const loaded = new Map<string, Register>();
      const load = (key: string, v: FrVec): Scaled => {
        let r = loaded.get(key);
        if (!r) {
          r = { at: fresh().at, temp: false };
          lanes.load(r.at, v.subarray(start * FR_BYTES, (start + m) * FR_BYTES), m);
          loaded.set(key, r);
        }
        return { r, k: lanes.loadFactor };
      };
      // The register a result goes to: a's own when it is a temporary, else a fresh one.
      const target = (a: Register): Register => (a.temp ? a : fresh());
      // a·b elementwise, into a temporary (b's own when only b is one: a product commutes).
      const product = (a: Scaled, b: Scaled): Scaled => {
        const [x, z] = !a.r.temp && b.r.temp ? [b.r, a.r] : [a.r, b.r];
        const d = target(x);
        lanes.mul(x.at, z.at, d.at, m, false);
        release(z);
        return { r: d, k: (a.k * b.k) % R };
      };
      // a + b = a.k·(a + (b.k/a.k)·b): one pass, an addition, a subtraction or a fused a + c·b.
      const plus = (a: Scaled, b: Scaled): Scaled => {
        const ratio = (b.k * inverse(a.k)) % R;
        const d = target(a.r);
        if (ratio === 1n) lanes.add(a.r.at, b.r.at, d.at, m, false);
        else if (ratio === R - 1n) lanes.sub(a.r.at, b.r.at, d.at, m);
        else lanes.axpy(a.r.at, b.r.at, scalar(ratio), d.at, m);
        if (b.r !== d) release(b.r);
        return { r: d, k: a.k };
      };
      const sum = (a: Value, b: Value): Value => {
        if (typeof a === "bigint" && typeof b === "bigint") return (a + b) % R;
        if (typeof a === "bigint") return sum(b, a);
        if (typeof b !== "bigint") return plus(a, b);
        if (b === 0n) return a;
        const d = target(a.r);
        lanes.add(a.r.at, scalar((b * inverse(a.k)) % R), d.at, m, true);
        return { r: d, k: a.k };
      };
      const times = (a: Value, c: bigint): Value => {
        if (typeof a === "bigint") return (a * c) % R;
        if (c === 0n) {
          release(a.r);
          return 0n;
        }
        return { r: a.r, k: (a.k * c) % R };
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
          if (typeof v !== "bigint" && v.r.temp) {
            v.r.temp = false;
            pinned.push(v.r);
          }
          kept.set(key, v);
        }
        return v;
      };
      const compute = (e: Expr): Value => {
        if (e.kind === "add") {
          // Terms whose factors agree up to sign are summed first (an addition or a subtraction
          // each), then the groups with one multiply-add each: terms of different degree carry
          // different powers of the load factor, and mixed in order each would cost a product.
          let k = 0n;
          const groups = new Map<bigint, Scaled>();
          for (const t of e.terms) {
            const v = node(t);
            if (typeof v === "bigint") {
              k = (k + v) % R;
              continue;
            }
            const key = v.k < R - v.k ? v.k : R - v.k;
            const g = groups.get(key);
            groups.set(key, g ? plus(g, v) : v);
          }
          let acc: Scaled | undefined;
          for (const g of groups.values()) acc = acc ? plus(acc, g) : g;
          return acc ? sum(acc, k) : k;
        }
        if (e.kind === "mul") {
          let k = 1n;
          let acc: Scaled | undefined;
          for (const f of e.factors) {
            const v = node(f);
            if (typeof v === "bigint") k = (k * v) % R;
            else acc = acc ? product(acc, v) : v;
            if (k === 0n) {
              if (acc) release(acc.r);
              return 0n;
            }
          }
          return acc ? times(acc, k) : k;
        }
        const key = leafKey(e);
        const v = leaves.get(key)!;
        return typeof v === "bigint" ? v : load(key, v);
      };
      let acc: Value | undefined;
      for (let g = exprs.length - 1; g >= 0; g--) {
        const v = node(exprs[g]);
        acc = acc === undefined ? v : sum(times(acc, y), v);
      }
      let result = acc!;
      if (typeof factor === "bigint") result = times(result, factor);
      else if (factor) {
        const f = load("factor", factor);
        result = typeof result === "bigint" ? times(f, result) : product(result, f);
      }
      if (typeof result === "bigint") broadcast(out, start, m, result);
      else {
        lanes.store(out, start, result.r.at, m, result.k);
        release(result.r);
      }
      for (const r of [...loaded.values(), ...pinned]) free.push(r.at);
    }
  });
  return out;
}

/** Writes x to elements start … start + m − 1 of `out`. */
function broadcast(out: Uint8Array, start: number, m: number, x: bigint): void {
  const word = frVecFromBigints([x]);
  for (let i = 0; i < m; i++) out.set(word, (start + i) * FR_BYTES);
}

/** The expression's value at every point of the env's domain, as a fresh vector. */
export async function evaluateVector(e: Expr, env: VectorEnv): Promise<FrVec> {
  return evaluateChunked([e], 0n, env);
}

/**
 * What the combined gates are multiplied by: a vector (elementwise), or one element for all of
 * them (1/Z_H on an n-point coset, where Z_H is constant), which costs nothing (a scalar factor is
 * carried, see Scaled).
 */
export type Factor = FrVec | bigint;

/**
 * Σ_g y^g·G_g over the env's domain, for the expressions G_0, G_1, … in order (Horner from the
 * last), multiplied by `factor` when one is given: the quotient's numerator, or with
 * factor = 1/Z_H the quotient itself on the coset.
 */
export async function combineVector(exprs: readonly Expr[], y: bigint, env: VectorEnv, factor?: Factor): Promise<FrVec> {
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

/** Elements start … end − 1 of a vector factor (cyclicSlice); a scalar factor as it is. */
export function factorSlice(factor: Factor | undefined, start: number, end: number): Factor | undefined {
  return typeof factor === "object" ? cyclicSlice(factor, start, end) : factor;
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
  /**
   * Values of rotation-1 queries where the next row is not on this table (a part of the coset
   * smaller than n points, whose next rows form another part): column col at the next row of
   * element i is next[col][i]. Without it, rotation 1 reads `rowStride` elements on.
   */
  next?: readonly (FrVec | undefined)[];
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
    column: (col, rot) => (rot === 1 && table.next ? leaf(table.next[col], `column ${col} at the next row`) : leaf(table.columns[col], `column ${col}`, rot * table.rowStride)),
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
