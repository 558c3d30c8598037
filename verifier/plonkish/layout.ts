// The universal table of the protocol: every circuit has exactly these columns and gates, so a
// proof's shape never depends on the model (docs/protocol.md §3–§4).
import { add, challenge, L0, mul, PI, polynomialDegree, queries, query, sub, WEIGHT_COMMITMENT, X, type Expr } from "./expression.js";
import { CircuitError } from "./errors.js";
import { COSET_GENERATOR } from "../poly/index.js";
import { R } from "../engine/bn254.js";
import { frInv, frMod } from "../engine/scalar.js";

// v3: gate G6 (the weight column vanishes outside weight rows) and the circuit description in the VK.
// v4: gates G7–G12 (a weight row's wire a is 0; Freivalds selectors boolean, one kind per row), so
// that what the weight column can do is the verifier's check, not only setup's (§4.7).
// v5: slot packing (docs/protocol.md §3.6): K weight columns per weight row, challenge λ, the
// per-proof combination Ŵ′ of the K columns in phase 2, fixed columns q_fwt and id_c.
// v6: the power column (docs/protocol.md §3.2, §4.1): challenge ψ, fixed exponent steps s, the
// phase-2 column P = ψ^E read at X and ωX, gates G14–G16, and G3's entries weighted by P.
export const PROTOCOL = "zkinfer-plonkish-v7";

/**
 * K: weights per weight row. Slot t of weight row (i_b, j) is the entry ((i_b, t), j), i.e. output
 * row K·i_b + t of a packed product (docs/protocol.md §3.6).
 */
export const WEIGHT_SLOTS = 8;

/** Fixed (public) columns, committed in the verification key. */
export const FIXED = {
  qM: 0,
  qL: 1,
  qR: 2,
  qO: 3,
  qC: 4,
  qN: 5,
  sigmaA: 6,
  sigmaB: 7,
  sigmaC: 8,
  qFW: 9,
  qFX: 10,
  qFY: 11,
  qFUV: 12,
  idA: 13,
  idB: 14,
  qLK: 15,
  tIn: 16,
  tOut: 17,
  tTag: 18,
  /** Weight rows: the row's K weight slots are entries of W̃ (q_fw marks activation W rows only). */
  qFWT: 19,
  /** The slot t of a Y row's output index (i_b, t); 0 on every other row (gate G7). */
  idC: 20,
  /**
   * The exponent step from this row to the next: 0 holds the exponent, 1 adds one (times ψ), 2
   * resets it to 0 (gates G14, G15). A table without convolution runs has s ≡ 0.
   */
  s: 21,
} as const;
export const NUM_FIXED = 22;

/** Advice (per-proof, blinded) columns, in commitment order. */
export const ADVICE = {
  a: 22,
  b: 23,
  c: 24,
  m: 25,
  /** Ŵ′ = Σ_t κ_t·W_t + R_W·Z_H: the per-proof, freshly blinded combination of the weight columns. */
  w: 26,
  u: 27,
  v: 28,
  /** P = ψ^E, E the row's exponent from the steps s (G14–G16): 1 on every row when s ≡ 0. */
  p: 29,
  z: 30,
  acc: 31,
  phi: 32,
} as const;
export const NUM_COLUMNS = 33;

export const COLUMN_NAMES: readonly string[] = [
  ...Object.keys(FIXED),
  ...Object.keys(ADVICE),
];

/** Advice columns of each phase, and the challenges drawn after each phase's commitments. */
export const PHASES: readonly { label: string; columns: readonly number[]; challenges: readonly string[] }[] = [
  // λ is drawn after the phase-1 wires (X and Y) and the VK (the weights): everything it weighs.
  // ψ likewise: the exponents (s, in the VK) and every value a power weighs are fixed before it.
  { label: "phase1", columns: [ADVICE.a, ADVICE.b, ADVICE.c, ADVICE.m], challenges: ["theta", "kappa", "alpha", "eta", "beta", "delta", "lambda", "psi"] },
  { label: "phase2", columns: [ADVICE.w, ADVICE.u, ADVICE.v, ADVICE.p], challenges: ["gamma", "mu"] },
  { label: "phase3", columns: [ADVICE.z, ADVICE.acc, ADVICE.phi], challenges: ["y"] },
];

/** Permutation coset multipliers k_a, k_b, k_c: H, 5H, 25H are pairwise disjoint. */
export const PERMUTATION_COLUMNS = [ADVICE.a, ADVICE.b, ADVICE.c] as const;
export const PERMUTATION_SIGMAS = [FIXED.sigmaA, FIXED.sigmaB, FIXED.sigmaC] as const;
export const PERMUTATION_SHIFTS = [1n, COSET_GENERATOR, COSET_GENERATOR * COSET_GENERATOR] as const;

/** Largest gate degree (in columns); the quotient is evaluated on a coset of 4n. */
export const MAX_DEGREE = 4;
export const EXTENSION = 4;
/** Number of quotient chunks t₀, t₁, t₂. */
export const QUOTIENT_CHUNKS = MAX_DEGREE - 1;

const q = (col: number): Expr => query(col);
const next = (col: number): Expr => query(col, 1);
const ch = challenge;

/** The lookup key of an input row and of a table row, compressed with η. */
export const lookupInputKey = (): Expr => add(q(ADVICE.a), mul(ch("eta"), q(ADVICE.b)), mul(ch("eta"), ch("eta"), q(FIXED.qLK)));
export const lookupTableKey = (): Expr => add(q(FIXED.tIn), mul(ch("eta"), q(FIXED.tOut)), mul(ch("eta"), ch("eta"), q(FIXED.tTag)));

/** The derived challenges of λ (docs/protocol.md §3.6): λ⁻¹ and κ_t = λ/(λ − t) for 0 < t < K. */
export const SLOT_CHALLENGES: readonly string[] = ["lambdaInv", ...Array.from({ length: WEIGHT_SLOTS - 1 }, (_, t) => `slot${t + 1}`)];

/**
 * λ⁻¹ and κ_1 … κ_(K−1) from λ, or null when λ ∈ {0, …, K − 1} (a pole: the prover restarts, the
 * verifiers reject). Prover, TS verifier and the Solidity verifier compute the same values.
 */
export function slotChallenges(lambda: bigint): Map<string, bigint> | null {
  const out = new Map<string, bigint>();
  for (let t = 0; t < WEIGHT_SLOTS; t++) {
    const d = frMod(lambda - BigInt(t));
    if (d === 0n) return null;
    out.set(t === 0 ? "lambdaInv" : `slot${t}`, t === 0 ? frInv(d) : (lambda * frInv(d)) % R);
  }
  return out;
}

/** (κ_0, …, κ_(K−1)) = (1, κ_1, …) from challenges that hold the slot challenges. */
export function slotScalars(challenges: ReadonlyMap<string, bigint>): bigint[] {
  return Array.from({ length: WEIGHT_SLOTS }, (_, t) => (t === 0 ? 1n : challenges.get(`slot${t}`)!));
}

/**
 * Freivalds row denominator D and numerator N_F (acc(ωX) − acc(X) = N_F / D on every row). A Y row
 * of slot t has the third factor 1 − t/λ, written as (q_fy − λ⁻¹·id_c) so that D stays of degree 3
 * in the fixed columns: G7 keeps id_c = 0 outside Y rows, where the term is then 0 (§4.3).
 */
export function freivaldsDenominator(): Expr {
  const [qw, qwt, qx, qy, quv, ia, ib, ic] = [FIXED.qFW, FIXED.qFWT, FIXED.qFX, FIXED.qFY, FIXED.qFUV, FIXED.idA, FIXED.idB, FIXED.idC].map(q);
  return add(
    1,
    mul(-1, qw),
    mul(-1, qwt),
    mul(-1, qx),
    mul(-1, qy),
    mul(-1, quv),
    mul(add(qw, qwt), sub(ch("beta"), ia), sub(ch("gamma"), ib)),
    mul(qx, sub(ch("gamma"), ia), sub(ch("delta"), ib)),
    mul(sub(ch("beta"), ia), sub(ch("delta"), ib), sub(qy, mul(ch("lambdaInv"), ic))),
    mul(quv, sub(ch("gamma"), ia)),
  );
}

/**
 * A weight row's entry is Ŵ′ = Σ_t κ_t·W_t (its K slots at once), an activation W row's is its a
 * wire (G6 keeps Ŵ′ = 0 there). X and Y rows carry their value in c. Weight, X and Y rows leave
 * their a, b and lookup free for other blocks (docs/protocol.md §3.6). Each entry stands for its
 * coefficient times ψ^E, E the row's exponent: it is weighted by P (1 outside convolution runs).
 */
export function freivaldsNumerator(): Expr {
  const mu = ch("mu");
  const [a, c, u, v, w, p] = [ADVICE.a, ADVICE.c, ADVICE.u, ADVICE.v, ADVICE.w, ADVICE.p].map(q);
  return add(
    mul(-1, q(FIXED.qFWT), w, p),
    mul(-1, q(FIXED.qFW), a, p),
    mul(-1, mu, q(FIXED.qFX), c, p),
    mul(-1, mu, mu, q(FIXED.qFY), c, p),
    mul(q(FIXED.qFUV), add(u, mul(mu, v), mul(mu, mu, u, v, sub(ch("gamma"), q(FIXED.idA))))),
  );
}

/**
 * m(s)·P + r(s) with m(s) = (1 − s)(2 − s)/2 + ψ·s·(2 − s) and r(s) = s(s − 1)/2, i.e. P, ψ·P and 1 for
 * the steps 0 (hold), 1 (times ψ) and 2 (reset); written by Horner in s,
 * P + s·((2ψ − 3/2)·P − 1/2 + s·((1/2 − ψ)·P + 1/2)), so that the quotient spends few vector
 * operations on it (the challenge parts are scalars).
 */
export function powerStep(): Expr {
  const [s, p] = [q(FIXED.s), q(ADVICE.p)];
  const half = frInv(2n);
  const inner = add(mul(sub(half, ch("psi")), p), half);
  return add(p, mul(s, add(mul(add(mul(2, ch("psi")), frMod(-3n * half)), p), frMod(-half), mul(s, inner))));
}

/** Permutation factor of column w: w + θ·(identity or σ) + κ. */
function permutationFactor(column: number, id: Expr): Expr {
  return add(q(column), mul(ch("theta"), id), ch("kappa"));
}

/** The factors w + θ·k_w·X + κ of the wires a, b, c (their cell ids). */
const identityFactors = (): Expr[] => PERMUTATION_COLUMNS.map((c, i) => permutationFactor(c, mul(PERMUTATION_SHIFTS[i], X)));
/** The factors w + θ·σ_w + κ of the wires a, b, c. */
const sigmaFactors = (): Expr[] => PERMUTATION_COLUMNS.map((c, i) => permutationFactor(c, q(PERMUTATION_SIGMAS[i])));

/** Π_w (w + θ·k_w·X + κ): z's step is this over {@link permutationDenominator}. */
export const permutationNumerator = (): Expr => mul(...identityFactors());
/** Π_w (w + θ·σ_w + κ). */
export const permutationDenominator = (): Expr => mul(...sigmaFactors());

/** The Freivalds row-kind selectors, by name. */
export const FREIVALDS_SELECTORS: readonly (readonly [string, number])[] = [
  ["q_fw", FIXED.qFW],
  ["q_fwt", FIXED.qFWT],
  ["q_fx", FIXED.qFX],
  ["q_fy", FIXED.qFY],
  ["q_fuv", FIXED.qFUV],
];

/** q_fw + q_fwt + q_fx + q_fy + q_fuv: with boolean selectors, the number of kinds a row has. */
const freivaldsKinds = (): Expr => add(...FREIVALDS_SELECTORS.map(([, col]) => q(col)));

export interface Gate {
  name: string;
  /** What a violation means, for the prover's self-check. */
  meaning: string;
  expr: Expr;
}

export const GATES: readonly Gate[] = [
  {
    name: "arithmetic",
    meaning: "an arithmetic row (q_m·a·b + q_l·a + q_r·b + q_o·c + q_c + q_n·a(ωX)) or a public-input row does not hold",
    expr: add(
      mul(q(FIXED.qM), q(ADVICE.a), q(ADVICE.b)),
      mul(q(FIXED.qL), q(ADVICE.a)),
      mul(q(FIXED.qR), q(ADVICE.b)),
      mul(q(FIXED.qO), q(ADVICE.c)),
      q(FIXED.qC),
      mul(q(FIXED.qN), next(ADVICE.a)),
      PI,
    ),
  },
  {
    name: "permutation-start",
    meaning: "the permutation grand product does not start at 1",
    expr: mul(L0, sub(q(ADVICE.z), 1)),
  },
  {
    name: "permutation",
    meaning: "a copy constraint does not hold (the permutation grand product does not close)",
    expr: sub(
      mul(next(ADVICE.z), ...sigmaFactors()),
      mul(q(ADVICE.z), ...identityFactors()),
    ),
  },
  {
    name: "freivalds",
    meaning: "a matrix product does not hold (the Freivalds running sum does not close)",
    expr: sub(mul(sub(next(ADVICE.acc), q(ADVICE.acc)), freivaldsDenominator()), freivaldsNumerator()),
  },
  {
    name: "lookup",
    meaning: "a looked-up value is not in its table (the logUp running sum does not close)",
    expr: sub(
      mul(sub(next(ADVICE.phi), q(ADVICE.phi)), sub(ch("alpha"), lookupInputKey()), sub(ch("alpha"), lookupTableKey())),
      sub(mul(q(FIXED.qLK), sub(ch("alpha"), lookupTableKey())), mul(q(ADVICE.m), sub(ch("alpha"), lookupInputKey()))),
    ),
  },
  {
    // Ŵ′ is the per-proof combination Σ_t κ_t·C_t on H; C_t (the key's commitments) never opened.
    name: "weight-link",
    meaning: "the blinded weight combination Ŵ′ does not match Σ_t κ_t·C_t of the committed weights",
    expr: sub(q(ADVICE.w), WEIGHT_COMMITMENT),
  },
  {
    // The weights are private, so they may act only where the public circuit says a weight sits: a
    // weight row (q_fwt = 1). Elsewhere, e.g. in an activation product's W rows, a nonzero value
    // would be hidden computation. With G5 this makes every W_t vanish there (Lemma S2, over λ).
    name: "weight-rows",
    meaning: "the weight combination is nonzero in a row that is not a weight row (q_fwt = 1)",
    expr: mul(sub(1, q(FIXED.qFWT)), q(ADVICE.w)),
  },
  {
    // id_c enters D only through the Y term; elsewhere it would change what a row means.
    name: "slot-rows",
    meaning: "id_c is nonzero in a row that is not a Y row (q_fy = 1)",
    expr: mul(sub(1, q(FIXED.qFY)), q(FIXED.idC)),
  },
  // The Freivalds row kinds are 0/1 and at most one per row (docs/protocol.md §3.6 rule 3): then a
  // weight row's term in G3 is exactly Ŵ′·e_(i_b)·f_j. These read fixed columns only.
  ...FREIVALDS_SELECTORS.map(([name, col]) => ({
    name: `selector-${name}`,
    meaning: `the Freivalds selector ${name} is neither 0 nor 1`,
    expr: mul(q(col), sub(1, q(col))),
  })),
  {
    name: "freivalds-kind",
    meaning: "a row has more than one Freivalds selector set",
    expr: mul(freivaldsKinds(), sub(1, freivaldsKinds())),
  },
  // G14–G16 pin P to ψ^E on every row (Lemma C1): P starts at 1 and follows the public steps s.
  {
    name: "power-step",
    meaning: "the power column P does not follow the exponent steps s (P(ωX) = m(s)·P(X) + r(s))",
    expr: sub(next(ADVICE.p), powerStep()),
  },
  {
    name: "power-step-kind",
    meaning: "an exponent step s is not 0 (hold), 1 (times ψ) or 2 (reset)",
    expr: mul(q(FIXED.s), sub(q(FIXED.s), 1), sub(q(FIXED.s), 2)),
  },
  {
    // Without it a table with s ≡ 0 would leave P a free constant, and P ≡ 0 voids every product.
    name: "power-start",
    meaning: "the power column P does not start at 1",
    expr: mul(L0, sub(q(ADVICE.p), 1)),
  },
];

/** Columns opened at ω·ζ (those queried with rotation 1), in column order: a, P, z, acc, φ. */
export const NEXT_ROW_COLUMNS: readonly number[] = [ADVICE.a, ADVICE.p, ADVICE.z, ADVICE.acc, ADVICE.phi];
/** Columns opened at ζ, in order: every fixed column, then every advice column. */
export const OPENED_AT_ZETA: readonly number[] = Array.from({ length: NUM_COLUMNS }, (_, i) => i);
/** Number of evaluations in a proof. */
export const NUM_EVALUATIONS = OPENED_AT_ZETA.length + NEXT_ROW_COLUMNS.length;

/**
 * Index in the evaluation vector E of column `col` at ζ (rot 0) or at ωζ (rot 1). A query of a
 * column that is not opened there has no value a verifier could use: it throws, never reads another
 * column's value or zero.
 */
export function evaluationIndex(col: number, rot: 0 | 1): number {
  const i = rot === 0 ? OPENED_AT_ZETA.indexOf(col) : NEXT_ROW_COLUMNS.indexOf(col);
  if (i < 0) throw new CircuitError(`a gate reads column ${COLUMN_NAMES[col] ?? col} at ${rot === 0 ? "X" : "ωX"}, but the proof does not open it at ${rot === 0 ? "ζ" : "ωζ"}`);
  return rot === 0 ? i : OPENED_AT_ZETA.length + i;
}

/** Checks that every column query of every gate has an opened value (setup calls it: a key is never built otherwise). */
export function checkGateOpenings(gates: readonly Gate[] = GATES): void {
  for (const gate of gates) {
    for (const { col, rot } of queries(gate.expr)) {
      try {
        evaluationIndex(col, rot);
      } catch (err) {
        throw new CircuitError(`gate "${gate.name}": ${(err as Error).message}`);
      }
    }
  }
}

/**
 * Random coefficients of R in f + R·Z_H for each advice column: its number of opening points
 * plus 2 for the columns opened at both ζ and ωζ (their value at ωτ enters [t], so (f(τ), f(ωτ),
 * f(ζ), f(ωζ)) must be uniform), plus 1 otherwise (docs/protocol.md §3.11, §7).
 */
export function blindingOf(col: number): number {
  return NEXT_ROW_COLUMNS.includes(col) ? 4 : 3;
}

/** deg N for a table of n rows, from the gates and each column's blinded degree. */
export function numeratorDegree(n: number): number {
  return Math.max(
    ...GATES.map((g) =>
      polynomialDegree(g.expr, (leaf) => {
        switch (leaf.kind) {
          case "col":
            return leaf.col < NUM_FIXED ? n - 1 : n - 1 + blindingOf(leaf.col);
          case "x":
            return 1;
          case "weightCommitment":
            return n;
          default:
            return n - 1; // L_0, PI
        }
      }),
    ),
  );
}

/** Coefficients of the last quotient chunk t₂: deg t = deg N − n, chunks t₀, t₁ hold n each. */
export function lastChunkLength(n: number): number {
  return numeratorDegree(n) - n + 1 - (QUOTIENT_CHUNKS - 1) * n;
}

/** Smallest table: 2^4 rows, so that the quotient's degree 3n + 8 stays below the 4n coset. */
export const MIN_LOG_ROWS = 4;

export function rowCount(table: { logRows: number }): number {
  return 2 ** table.logRows;
}
