// Gate expressions (verifier/plonkish/expression.ts) rendered as Yul, so that the Solidity verifier
// checks exactly the identities the prover proves: the generator walks the same trees that the TS
// verifier evaluates, and a changed gate changes the generated contract with no edit here.
//
// The weight polynomial C is never opened (docs/protocol.md §4.8): every gate is affine in it, so
// each gate is split symbolically into rest + coef·C, and both parts are rendered.
import { R } from "../../verifier/engine/bn254.js";
import { serialize, type Expr } from "../../verifier/plonkish/expression.js";

export class CodegenError extends Error {
  override name = "CodegenError";
}

/** A gate split as rest + coef·C; null stands for the zero polynomial. */
export interface AffineSplit {
  rest: Expr | null;
  coef: Expr | null;
}

const ONE: Expr = { kind: "const", value: 1n };
/** Stack slots an expression may need: the function's own variables must stay within the EVM's reach of 16. */
const MAX_DEPTH = 8;

interface Rendered {
  code: string;
  depth: number;
}

function sum(terms: (Expr | null)[]): Expr | null {
  const live = terms.filter((t): t is Expr => t !== null);
  if (live.length === 0) return null;
  return live.length === 1 ? live[0] : { kind: "add", terms: live };
}

function product(factors: Expr[]): Expr {
  const live = factors.filter((f) => !(f.kind === "const" && f.value === 1n));
  if (live.length === 0) return ONE;
  return live.length === 1 ? live[0] : { kind: "mul", factors: live };
}

/** Splits `e` into the part without C and the coefficient of C; throws if `e` is not affine in C. */
export function splitWeight(e: Expr): AffineSplit {
  switch (e.kind) {
    case "weightCommitment":
      return { rest: null, coef: ONE };
    case "add": {
      const parts = e.terms.map(splitWeight);
      return { rest: sum(parts.map((p) => p.rest)), coef: sum(parts.map((p) => p.coef)) };
    }
    case "mul": {
      const parts = e.factors.map(splitWeight);
      const withC = parts.flatMap((p, i) => (p.coef ? [i] : []));
      if (withC.length > 1) throw new CodegenError("a gate multiplies the weight polynomial by itself; the verifier can only linearise gates affine in C");
      const rests = parts.map((p) => p.rest);
      const restProduct = rests.every((r) => r !== null) ? product(rests as Expr[]) : null;
      if (withC.length === 0) return { rest: restProduct, coef: null };
      const j = withC[0];
      const others = rests.filter((_, i) => i !== j);
      const coef = others.every((r) => r !== null) ? product([parts[j].coef as Expr, ...(others as Expr[])]) : null;
      return { rest: restProduct, coef };
    }
    case "const":
      return { rest: e.value === 0n ? null : e, coef: null };
    default:
      return { rest: e, coef: null };
  }
}

/** How the leaves of a gate read in Yul (challenges, opened values, ζ, L_0(ζ), PI(ζ)). */
export interface YulLeaves {
  challenge(name: string): string;
  column(col: number, rot: 0 | 1): string;
  x: string;
  l0: string;
  pi: string;
}

function literal(v: bigint): string {
  return v < 1n << 32n ? v.toString() : `0x${v.toString(16)}`;
}

/**
 * Renders expressions as Yul with common subexpressions computed once: a compound subtree that
 * occurs more than once across everything rendered is stored in a temporary memory word (the
 * caller supplies their addresses) and read back with mload. Values are field elements mod r;
 * intermediate values may equal r (from a negation), which addmod and mulmod accept.
 */
export class YulRenderer {
  /** Statements to run before the rendered expressions (temporary definitions, in dependency order). */
  readonly prelude: string[] = [];
  private readonly counts = new Map<string, number>();
  private readonly temps = new Map<string, string>();
  private nextTemp = 0;

  constructor(
    private readonly leaves: YulLeaves,
    private readonly tempSlot: (i: number) => string,
    /** The Yul name holding r: a local variable is a DUP, where the constant may cost a CODECOPY. */
    private readonly modulus = "R",
  ) {}

  /** Registers every expression that will be rendered, so that shared subtrees are found. */
  count(e: Expr): void {
    if (e.kind !== "add" && e.kind !== "mul") return;
    const key = serialize(e);
    const seen = this.counts.get(key) ?? 0;
    this.counts.set(key, seen + 1);
    if (seen > 0) return; // its children were counted with its first occurrence
    (e.kind === "add" ? e.terms : e.factors).forEach((c) => this.count(c));
  }

  /** Number of temporary words used so far. */
  get tempCount(): number {
    return this.nextTemp;
  }

  render(e: Expr): string {
    return this.rendered(e).code;
  }

  /**
   * Code and the stack depth its evaluation needs. Yul evaluates arguments right to left, so
   * chains nest to the right with the deeper operand second; a subtree that would still go
   * deeper than MAX_DEPTH is computed into a temporary word first (the EVM reaches 16 slots).
   */
  private rendered(e: Expr): Rendered {
    if (e.kind !== "add" && e.kind !== "mul") return { code: this.leaf(e), depth: e.kind === "col" ? 2 : 1 };
    const key = serialize(e);
    const existing = this.temps.get(key);
    if (existing) return { code: existing, depth: 1 };
    const r = e.kind === "add" ? this.chain(e.terms, "addmod", 0n) : this.chain(e.factors, "mulmod", 1n);
    if ((this.counts.get(key) ?? 0) < 2) return r;
    const ref = this.store(r.code);
    this.temps.set(key, ref);
    return { code: ref, depth: 1 };
  }

  private store(code: string): string {
    const slot = this.tempSlot(this.nextTemp++);
    this.prelude.push(`mstore(${slot}, ${code})`);
    return `mload(${slot})`;
  }

  private chain(operands: readonly Expr[], op: "addmod" | "mulmod", unit: bigint): Rendered {
    let constant = unit;
    const parts: Rendered[] = [];
    for (const x of operands) {
      if (x.kind === "const") constant = op === "addmod" ? (constant + x.value) % R : (constant * x.value) % R;
      else parts.push(this.rendered(x));
    }
    if (op === "mulmod" && constant === 0n) return { code: "0", depth: 1 };
    const negate = op === "mulmod" && constant === R - 1n && parts.length > 0;
    if (constant !== unit && !negate) parts.push({ code: literal(constant), depth: 1 });
    if (parts.length === 0) return { code: literal(constant), depth: 1 };
    parts.sort((a, b) => a.depth - b.depth);
    let acc = parts[parts.length - 1];
    for (let i = parts.length - 2; i >= 0; i--) {
      const depth = Math.max(1 + acc.depth, 2 + parts[i].depth);
      acc = depth > MAX_DEPTH ? { code: `${op}(${parts[i].code}, ${this.store(acc.code)}, ${this.modulus})`, depth: 2 + parts[i].depth } : { code: `${op}(${parts[i].code}, ${acc.code}, ${this.modulus})`, depth };
    }
    // −x is r − x (in (0, r], fine as an addmod/mulmod operand).
    return negate ? { code: `sub(${this.modulus}, ${acc.code})`, depth: Math.max(acc.depth, 2) } : acc;
  }

  private leaf(e: Expr): string {
    switch (e.kind) {
      case "const":
        return literal(e.value);
      case "challenge":
        return this.leaves.challenge(e.name);
      case "col":
        return this.leaves.column(e.col, e.rot);
      case "x":
        return this.leaves.x;
      case "l0":
        return this.leaves.l0;
      case "pi":
        return this.leaves.pi;
      case "weightCommitment":
        throw new CodegenError("the weight polynomial must be split off before rendering (splitWeight)");
      default:
        throw new CodegenError(`unexpected expression kind ${(e as Expr).kind}`);
    }
  }
}
