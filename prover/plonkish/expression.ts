// Gate polynomials as small expression trees over column queries, challenges and constants.
//
// One tree serves both sides: the prover evaluates it over whole vectors (on H for its self-check,
// on the 4n coset for the quotient), the verifier evaluates it at ζ from the opened values. So the
// identities the verifier checks are, by construction, the ones the prover proved.
import { R } from "../engine/bn254.js";
import { frMod } from "../engine/scalar.js";

/** A query of column `col` at X (rot 0) or at ω·X (rot 1). */
export interface ColumnQuery {
  kind: "col";
  col: number;
  rot: 0 | 1;
}

export type Expr =
  | { kind: "const"; value: bigint }
  | { kind: "challenge"; name: string }
  | ColumnQuery
  /** The variable X itself (degree 1, not n). */
  | { kind: "x" }
  /** L_0(X), the Lagrange polynomial of the first row. */
  | { kind: "l0" }
  /** PI(X) = −Σ x_i·L_i(X) over the public inputs. */
  | { kind: "pi" }
  /**
   * Ĉ(X) = Σ_t κ_t·C_t(X): the per-proof combination of the K weight polynomials committed in the
   * verification key; never opened (linearised: each [C_t]₁ gets its coefficient times κ_t).
   */
  | { kind: "weightCommitment" }
  | { kind: "add"; terms: Expr[] }
  | { kind: "mul"; factors: Expr[] };

export function constant(value: bigint | number): Expr {
  return { kind: "const", value: frMod(BigInt(value)) };
}

export function challenge(name: string): Expr {
  return { kind: "challenge", name };
}

export function query(col: number, rot: 0 | 1 = 0): ColumnQuery {
  return { kind: "col", col, rot };
}

export const X: Expr = { kind: "x" };
export const L0: Expr = { kind: "l0" };
export const PI: Expr = { kind: "pi" };
export const WEIGHT_COMMITMENT: Expr = { kind: "weightCommitment" };

type Operand = Expr | bigint | number;
const lift = (e: Operand): Expr => (typeof e === "object" ? e : constant(e));

export function add(...terms: Operand[]): Expr {
  return { kind: "add", terms: terms.map(lift) };
}

export function mul(...factors: Operand[]): Expr {
  return { kind: "mul", factors: factors.map(lift) };
}

export function neg(e: Operand): Expr {
  return mul(-1, e);
}

export function sub(a: Operand, b: Operand): Expr {
  return add(a, neg(b));
}

/**
 * Degree in units of n: each column, L_0, PI and the weight polynomial count 1, X and
 * constants 0. The quotient's size follows from the largest gate degree.
 */
export function degree(e: Expr): number {
  switch (e.kind) {
    case "const":
    case "challenge":
    case "x":
      return 0;
    case "col":
    case "l0":
    case "pi":
    case "weightCommitment":
      return 1;
    case "add":
      return Math.max(0, ...e.terms.map(degree));
    case "mul":
      return e.factors.reduce((d, f) => d + degree(f), 0);
  }
}

/** Exact degree bound of the polynomial `e` stands for, given the degree of each leaf. */
export function polynomialDegree(e: Expr, leaf: (e: Exclude<Expr, { kind: "add" | "mul" | "const" | "challenge" }>) => number): number {
  switch (e.kind) {
    case "const":
    case "challenge":
      return 0;
    case "add":
      return Math.max(0, ...e.terms.map((t) => polynomialDegree(t, leaf)));
    case "mul":
      return e.factors.reduce((d, f) => d + polynomialDegree(f, leaf), 0);
    default:
      return leaf(e);
  }
}

/** Degree in the weight polynomial alone; the verifier's linearisation needs it to be ≤ 1. */
export function weightDegree(e: Expr): number {
  switch (e.kind) {
    case "weightCommitment":
      return 1;
    case "add":
      return Math.max(0, ...e.terms.map(weightDegree));
    case "mul":
      return e.factors.reduce((d, f) => d + weightDegree(f), 0);
    default:
      return 0;
  }
}

/** Every column query in `e`, deduplicated, in first-seen order. */
export function queries(e: Expr, out: ColumnQuery[] = []): ColumnQuery[] {
  if (e.kind === "col") {
    if (!out.some((q) => q.col === e.col && q.rot === e.rot)) out.push(e);
  } else if (e.kind === "add") {
    e.terms.forEach((t) => queries(t, out));
  } else if (e.kind === "mul") {
    e.factors.forEach((f) => queries(f, out));
  }
  return out;
}

/** Every challenge name in `e`. */
export function challengeNames(e: Expr, out = new Set<string>()): Set<string> {
  if (e.kind === "challenge") out.add(e.name);
  else if (e.kind === "add") e.terms.forEach((t) => challengeNames(t, out));
  else if (e.kind === "mul") e.factors.forEach((f) => challengeNames(f, out));
  return out;
}

/** Values the verifier plugs in at ζ. */
export interface ScalarEnv {
  column(col: number, rot: 0 | 1): bigint;
  challenge(name: string): bigint;
  x: bigint;
  l0: bigint;
  pi: bigint;
  weightCommitment: bigint;
}

/** The expression kinds whose values an environment supplies. */
export type Leaf = Exclude<Expr, { kind: "add" } | { kind: "mul" }>;

/** What the leaves stand for: values of type T (scalars or vectors); challenges are scalars. */
export interface Leaves<T> {
  column(col: number, rot: 0 | 1): T;
  challenge(name: string): bigint;
  x(): T;
  l0(): T;
  pi(): T;
  weightCommitment(): T;
}

/** The value of one leaf; constants and challenges are always scalars. */
export function leafValue<T>(e: Leaf, env: Leaves<T>): T | bigint {
  switch (e.kind) {
    case "const":
      return e.value;
    case "challenge":
      return env.challenge(e.name);
    case "col":
      return env.column(e.col, e.rot);
    case "x":
      return env.x();
    case "l0":
      return env.l0();
    case "pi":
      return env.pi();
    case "weightCommitment":
      return env.weightCommitment();
  }
}

/** The value of `e` in Fr at one point. */
export function evaluateScalar(e: Expr, env: ScalarEnv): bigint {
  const leaves: Leaves<bigint> = {
    column: (col, rot) => env.column(col, rot),
    challenge: (name) => env.challenge(name),
    x: () => env.x,
    l0: () => env.l0,
    pi: () => env.pi,
    weightCommitment: () => env.weightCommitment,
  };
  const walk = (e: Expr): bigint => {
    if (e.kind === "add") return e.terms.reduce((s, t) => (s + walk(t)) % R, 0n);
    if (e.kind === "mul") return e.factors.reduce((p, f) => (p * walk(f)) % R, 1n);
    return leafValue(e, leaves);
  };
  return walk(e);
}

/**
 * A canonical text form. The circuit description (description.ts) writes every gate in it, and its
 * digest is a field of the verification key, so a changed gate changes the key's digest.
 */
export function serialize(e: Expr): string {
  switch (e.kind) {
    case "const":
      return e.value.toString();
    case "challenge":
      return `$${e.name}`;
    case "col":
      return `c${e.col}${e.rot ? "'" : ""}`;
    case "x":
    case "l0":
    case "pi":
      return e.kind;
    case "weightCommitment":
      return "Chat";
    case "add":
      return `(+ ${e.terms.map(serialize).join(" ")})`;
    case "mul":
      return `(* ${e.factors.map(serialize).join(" ")})`;
  }
}
