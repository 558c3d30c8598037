// The Solidity verifier of one verification key: templates/Verifier.sol.template rendered with the
// key's constants, the transcript schedule, the proof layout and the gate identities. Everything
// protocol-shaped is read from prover/plonkish (layout, schedule, proof format), so the contract
// follows a change there without an edit here.
import { readFileSync } from "node:fs";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { g1FromLEM, g2FromLEM, G1_BYTES, SCALAR_BYTES, type G1Affine } from "../../verifier/engine/encoding.js";
import { Domain } from "../poly/index.js";
import { BATCH_PROTOCOL, PROOF_BYTES, verificationKeyDigest, type VerificationKey } from "../plonkish/index.js";
import { PROOF_COMMITMENTS, PROOF_MAGIC } from "../../verifier/plonkish/proof.js";
import { CIRCUIT_MISMATCH, isCircuitDigest, plainPublicInputLayout, publicInputLayoutDigest, type PublicInputLayout } from "../../verifier/plonkish/description.js";
import { registryLayout } from "../../verifier/plonkish/bound-layout.js";
import { CircuitError } from "../../verifier/plonkish/errors.js";
import {
  COLUMN_NAMES,
  evaluationIndex,
  GATES,
  NEXT_ROW_COLUMNS,
  NUM_COLUMNS,
  NUM_EVALUATIONS,
  NUM_FIXED,
  OPENED_AT_ZETA,
  PHASES,
  PROTOCOL,
  QUOTIENT_CHUNKS,
  SLOT_CHALLENGES,
  WEIGHT_SLOTS,
} from "../../verifier/plonkish/layout.js";
import { OPENING_POINTS, OPENING_WITNESSES } from "../../verifier/plonkish/schedule.js";
import { header, TAG, Transcript } from "../../verifier/transcript/index.js";
import { CodegenError, splitWeight, YulRenderer } from "./yul-expression.js";

export { CodegenError } from "./yul-expression.js";

export interface GenerateVerifierOptions {
  /** Name of the contract (default "ZkinferVerifier"); must be a Solidity identifier. */
  contractName?: string;
  /**
   * The public-input layout the key binds (vk.json "publicInputLayout"); its digest must be the
   * key's. Default: ℓ public inputs with no declared meaning, which is what setup binds without one.
   */
  publicInputLayout?: PublicInputLayout;
}

export interface GeneratedVerifier {
  source: string;
  contractName: string;
}

const TEMPLATE_URL = new URL("./templates/Verifier.sol.template", import.meta.url);
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const hex32 = (v: bigint): string => `0x${v.toString(16).padStart(64, "0")}`;
const hexOf = (bytes: Uint8Array): string => `0x${Buffer.from(bytes).toString("hex")}`;
const offset = (v: number): string => `0x${v.toString(16)}`;

/** Byte offsets inside a proof (docs/protocol.md §5.6), from the proof format's own constants. */
function proofLayout() {
  const commitments = PROOF_MAGIC.length;
  const evaluations = commitments + PROOF_COMMITMENTS * G1_BYTES;
  const witnesses = evaluations + NUM_EVALUATIONS * SCALAR_BYTES;
  if (witnesses + OPENING_WITNESSES * G1_BYTES !== PROOF_BYTES) throw new CodegenError("proof layout does not add up to PROOF_BYTES");
  // Proof commitment index of each advice column, in phase order; the quotient chunks follow.
  const commitmentOf = new Map<number, number>();
  let i = 0;
  for (const phase of PHASES) for (const col of phase.columns) commitmentOf.set(col, i++);
  return { commitments, evaluations, witnesses, commitmentOf, quotient: i };
}

/** Evaluation index of a column query (E[col] at ζ, E[NUM_COLUMNS + j] at ωζ). */

const constName = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]+/g, "_");

/** Selectors of the `error` declarations in the template, so the Yul reverts match the ABI. */
function errorSelectors(template: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of template.matchAll(/^\s*error (\w+)\(([^)]*)\);/gm)) {
    const types = m[2]
      .split(",")
      .map((p) => p.trim().split(/\s+/)[0])
      .filter((t) => t.length > 0);
    const selector = keccak_256(new TextEncoder().encode(`${m[1]}(${types.join(",")})`)).subarray(0, 4);
    out.set(m[1], hexOf(selector));
  }
  return out;
}

function render(template: string, values: Record<string, string>): string {
  const out = template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined) throw new CodegenError(`template placeholder {{${key}}} has no value`);
    return v;
  });
  return out;
}

/**
 * The layout's digest and its registry projection (where the input and outputs sit) as template
 * values, once the layout is checked to be the one the key binds: the registry reads these
 * constants, so the code hash that `zkinfer audit --check` compares covers them.
 */
function layoutConstants(vk: VerificationKey, layout: PublicInputLayout): Record<string, string> {
  let digest: Uint8Array;
  let projection;
  try {
    digest = publicInputLayoutDigest(layout);
    projection = registryLayout(layout);
  } catch (err) {
    if (err instanceof CircuitError) throw new CodegenError(err.message, { cause: err });
    throw err;
  }
  if (hexOf(digest) !== hexOf(vk.publicInputLayoutDigest)) {
    throw new CodegenError("the public-input layout is not the one the verification key binds (its digest differs): pass the key's own layout (vk.json \"publicInputLayout\")");
  }
  return {
    LAYOUT_DIGEST: hexOf(digest),
    INPUT_OFFSET: String(projection.inputOffset),
    INPUT_COUNT: String(projection.inputCount),
    OUTPUT_OFFSET: String(projection.outputOffset),
    OUTPUT_COUNT: String(projection.outputCount),
  };
}

/**
 * λ's inversion shares the modexp of PI(ζ) (docs/protocol.md §9.2 items 3 and 5). Right after λ is
 * squeezed: the product of d_t = λ − t for t < K, kept for pointValues, and its prefixes
 * Π_(s<t) d_s in `prefixes` (K words); λ ∈ {0, …, K − 1} makes the product 0 and rejects the proof
 * there (an honest prover restarts), as the TS verifier does. Returns the transcript's lines, and
 * the body of `slotChallenges(inv)`, which gets inv = 1/Π_t d_t from pointValues and stores
 * λ⁻¹ = 1/d_0 and κ_t = λ/d_t, each 1/d_t = inv·Π_(s>t) d_s·Π_(s<t) d_s, the suffix carried down
 * from t = K − 1. Two locals and O(K) lines at any K (K locals would not fit Yul's stack).
 */
function slotChallengeLines(challengeSlot: ReadonlyMap<string, string>, prefixes: string): { transcript: string[]; derive: string[] } {
  const difference = (t: number): string => (t === 0 ? "lam" : `addmod(lam, sub(R, ${t}), R)`);
  const prefixAt = (t: number): string => (t === 0 ? prefixes : `add(${prefixes}, ${offset(32 * t)})`);
  const lam = `let lam := mload(${challengeSlot.get("lambda")})`;
  const transcript = ["{", `    // Π_t (λ − t), t < ${WEIGHT_SLOTS}, inverted later with PI(ζ)'s denominator; λ ∈ {0, …, ${WEIGHT_SLOTS - 1}} rejects the proof.`, `    ${lam}`, "    let acc := 1"];
  for (let t = 0; t < WEIGHT_SLOTS; t++) {
    transcript.push(`    mstore(${prefixAt(t)}, acc)`, `    acc := mulmod(acc, ${difference(t)}, R)`);
  }
  transcript.push("    if iszero(acc) { leave }", "    mstore(M_SLOT_PRODUCT, acc)", "}");
  const derive = [lam, "let suffix := inv"];
  for (let t = WEIGHT_SLOTS - 1; t >= 0; t--) {
    const inverse = `mulmod(suffix, mload(${prefixAt(t)}), R)`;
    derive.push(t === 0 ? `mstore(${challengeSlot.get("lambdaInv")}, ${inverse})` : `mstore(${challengeSlot.get(`slot${t}`)}, mulmod(lam, ${inverse}, R))`);
    if (t > 0) derive.push(`suffix := mulmod(suffix, ${difference(t)}, R)`);
  }
  return { transcript, derive };
}

/**
 * Generates the Solidity verifier for `vk`: `verifyProof(bytes, uint256[])` and
 * `verifyProofs(bytes[], uint256[][])`, with the key's commitments, digest and G2 points built in.
 */
export function generateVerifier(vk: VerificationKey, options: GenerateVerifierOptions = {}): GeneratedVerifier {
  const contractName = options.contractName ?? "ZkinferVerifier";
  if (!IDENTIFIER.test(contractName)) throw new CodegenError(`contract name ${JSON.stringify(contractName)} is not a Solidity identifier`);
  // The contract checks this implementation's gates; a key that binds others would be misdescribed.
  if (!isCircuitDigest(vk.circuitDigest)) throw new CodegenError(`the ${CIRCUIT_MISMATCH}`);
  if (vk.fixedCommitments.length !== NUM_FIXED) throw new CodegenError(`the verification key has ${vk.fixedCommitments.length} fixed commitments, the layout ${NUM_FIXED}`);
  const projection = layoutConstants(vk, options.publicInputLayout ?? plainPublicInputLayout(vk.publicInputCount));
  const template = readFileSync(TEMPLATE_URL, "utf8");
  const selectors = errorSelectors(template);
  const digest = verificationKeyDigest(vk);
  const domain = Domain.create(vk.logRows);
  const layout = proofLayout();
  const ell = vk.publicInputCount;

  // --- transcript headers and the precomputed states --------------------------------------
  const headers: string[] = [];
  const headerNames = new Set<string>();
  const headerConst = (label: string, tag: number, name = `H_${constName(label)}_${Object.entries(TAG).find(([, t]) => t === tag)![0].toUpperCase()}`): string => {
    if (!headerNames.has(name)) {
      headerNames.add(name);
      const kind = Object.entries(TAG).find(([, t]) => t === tag)![0];
      headers.push(`    uint256 internal constant ${name} = ${hexOf(header(label, tag))}; // "${label}", ${kind}`);
    }
    return name;
  };
  headerConst("public-inputs", TAG.scalars, "H_PUBLIC_INPUTS");
  headerConst("proof-states", TAG.bytes, "H_PROOF_STATES");
  headerConst("fold", TAG.challenge, "H_FOLD");
  const proofState = new Transcript(PROTOCOL);
  proofState.absorbBytes("vk", digest);
  const batchState = new Transcript(BATCH_PROTOCOL);
  batchState.absorbBytes("vk", digest);

  // --- memory slots ----------------------------------------------------------------------
  const slots: string[] = [];
  let nextSlot = 0x1a0;
  const slot = (name: string, words = 1, comment = ""): string => {
    slots.push(`    uint256 internal constant ${name} = ${offset(nextSlot)};${comment ? ` // ${comment}` : ""}`);
    nextSlot += 32 * words;
    return name;
  };
  const challengeSlot = new Map<string, string>();
  for (const phase of PHASES) for (const name of phase.challenges) challengeSlot.set(name, slot(`M_CH_${constName(name)}`, 1, `challenge ${name}`));
  for (const name of SLOT_CHALLENGES) challengeSlot.set(name, slot(`M_CH_${constName(name)}`, 1, `${name}, derived from λ`));
  slot("M_SLOT_PRODUCT", 1, "Π_t (λ − t), until pointValues inverts it");
  const slotPrefixes = slot("M_SLOT_PREFIXES", WEIGHT_SLOTS, "Π_(s<t) (λ − s) for t < K, for slotChallenges");
  slot("M_ZETA", 1, "ζ");
  slot("M_SH_GAMMA", 1, "SHPLONK γ: combines the polynomials opened at one point");
  slot("M_SH_GAMMA_PRIME", 1, "SHPLONK γ′: combines the two points");
  slot("M_SH_Z", 1, "SHPLONK z, drawn after W");
  slot("M_SH_C_INV", 1, "1/(z − ωζ), from pointValues' inversion");
  slot("M_ZN", 1, "ζ^n");
  slot("M_ZH", 1, "Z_H(ζ) = ζ^n − 1");
  slot("M_L0", 1, "L_0(ζ)");
  slot("M_PI", 1, "PI(ζ)");
  slot("M_NREST", 1, "N_rest");
  slot("M_COEFC", 1, "coefficient of C(ζ) in N(ζ)");
  const rotSlots = NEXT_ROW_COLUMNS.map((col, j) => slot(`M_ROT_${j}`, 1, `c₁·γ^${j}, the ωζ scalar of column ${col}`));

  // --- gates -----------------------------------------------------------------------------
  // Offsets of the evaluations in the proof, named after their columns (docs/protocol.md §5.2).
  const evalNames: string[] = [];
  const evalConsts: string[] = [];
  for (let i = 0; i < NUM_EVALUATIONS; i++) {
    const col = i < NUM_COLUMNS ? i : NEXT_ROW_COLUMNS[i - NUM_COLUMNS];
    const name = `E_${constName(COLUMN_NAMES[col])}${i < NUM_COLUMNS ? "" : "_NEXT"}`;
    evalNames.push(name);
    evalConsts.push(`    uint256 internal constant ${name} = ${offset(layout.evaluations + SCALAR_BYTES * i)}; // E[${i}] = ${COLUMN_NAMES[col]}(${i < NUM_COLUMNS ? "ζ" : "ωζ"})`);
  }
  const evalAt = (i: number): string => `calldataload(add(pf, ${evalNames[i]}))`;
  const challengeRef = (name: string): string => {
    const s = challengeSlot.get(name);
    if (!s) throw new CodegenError(`a gate uses challenge ${name}, which no phase draws`);
    return `mload(${s})`;
  };
  const tempBase = nextSlot;
  const renderer = new YulRenderer(
    { challenge: challengeRef, column: (col, rot) => evalAt(evaluationIndex(col, rot)), x: "mload(M_ZETA)", l0: "mload(M_L0)", pi: "mload(M_PI)" },
    (i) => offset(tempBase + 32 * i),
    "r",
  );
  const splits = GATES.map((g) => splitWeight(g.expr));
  for (const s of splits) {
    if (s.rest) renderer.count(s.rest);
    if (s.coef) renderer.count(s.coef);
  }
  const horner = (parts: (string | null)[], variable: string): string[] => {
    const lines: string[] = [];
    let started = false;
    for (let g = parts.length - 1; g >= 0; g--) {
      const p = parts[g];
      if (!started) {
        if (p === null) continue;
        lines.push(`let ${variable} := ${p}`);
        started = true;
      } else {
        lines.push(p === null ? `${variable} := mulmod(${variable}, y, r)` : `${variable} := addmod(mulmod(${variable}, y, r), ${p}, r)`);
      }
    }
    if (!started) lines.push(`let ${variable} := 0`);
    return lines;
  };
  const restCode = splits.map((s, g) => (s.rest ? `${renderer.render(s.rest)} /* ${GATES[g].name} */` : null));
  const coefCode = splits.map((s) => (s.coef ? renderer.render(s.coef) : null));
  const gateLines = [
    "let r := R",
    `let y := ${challengeRef("y")}`,
    ...renderer.prelude,
    ...horner(restCode, "n"),
    "mstore(M_NREST, addmod(n, 0, r))",
    ...horner(coefCode, "c"),
    "mstore(M_COEFC, addmod(c, 0, r))",
  ];
  nextSlot += 32 * renderer.tempCount;
  if (renderer.tempCount > 0) slots.push(`    // ${offset(tempBase)}…: ${renderer.tempCount} words for subexpressions the gates share`);

  // Variable-size buffers last: the transcript buffer (also the pairing input), then the batch.
  const transcriptWords = 2 + Math.max(ell, NUM_EVALUATIONS, 2 * PROOF_COMMITMENTS, 12, 6);
  slot("M_TRANSCRIPT", transcriptWords, "transcript hash input");
  slots.push("    uint256 internal constant M_PAIRING = M_TRANSCRIPT; // pairing input, after every transcript operation");
  slot("M_BATCH", 0, "batch: state ‖ header ‖ s_0 ‖ … ‖ s_(N−1), then each proof's record of scalars");

  // --- transcript schedule (docs/protocol.md §5.1 steps 3–16) ------------------------------
  const t: string[] = [];
  const slotLines = slotChallengeLines(challengeSlot, slotPrefixes);
  let commitmentIndex = 0;
  for (const phase of PHASES) {
    const at = layout.commitments + commitmentIndex * G1_BYTES;
    t.push(`// ${phase.label}: commitments of columns ${phase.columns.join(", ")}; challenges ${phase.challenges.join(", ")}`);
    t.push(`s := absorb(s, ${headerConst(phase.label, TAG.g1)}, add(pf, ${offset(at)}), ${offset(phase.columns.length * G1_BYTES)})`);
    t.push(`s := bind(s, ${headerConst(phase.label, TAG.challenge)}, ${phase.challenges.length})`);
    phase.challenges.forEach((name, i) => t.push(`mstore(${challengeSlot.get(name)}, squeeze(s, ${i}))`));
    if (phase.challenges.includes("lambda")) t.push(...slotLines.transcript);
    commitmentIndex += phase.columns.length;
  }
  const quotientAt = layout.commitments + layout.quotient * G1_BYTES;
  t.push(`// quotient chunks t₀ … t${QUOTIENT_CHUNKS - 1}, then ζ`);
  t.push(`s := absorb(s, ${headerConst("quotient", TAG.g1)}, add(pf, ${offset(quotientAt)}), ${offset(QUOTIENT_CHUNKS * G1_BYTES)})`);
  t.push(`s := bind(s, ${headerConst("zeta", TAG.challenge)}, 1)`);
  t.push("mstore(M_ZETA, squeeze(s, 0))");
  t.push(`s := absorb(s, ${headerConst("evals", TAG.scalars)}, add(pf, ${offset(layout.evaluations)}), ${offset(NUM_EVALUATIONS * SCALAR_BYTES)})`);
  if (OPENING_POINTS !== 2 || OPENING_WITNESSES !== 2) throw new CodegenError("the verifier template opens at two points (ζ and ωζ) with the witnesses W, W′");
  t.push("// SHPLONK opening (docs/protocol.md §6.4): (γ, γ′), absorb W, z, absorb W′");
  t.push(`s := bind(s, ${headerConst("shplonk-gamma", TAG.challenge)}, 2)`);
  t.push("mstore(M_SH_GAMMA, squeeze(s, 0))");
  t.push("mstore(M_SH_GAMMA_PRIME, squeeze(s, 1))");
  t.push(`s := absorb(s, ${headerConst("shplonk-w", TAG.g1)}, add(pf, ${offset(layout.witnesses)}), 0x40)`);
  t.push(`s := bind(s, ${headerConst("shplonk-z", TAG.challenge)}, 1)`);
  t.push("mstore(M_SH_Z, squeeze(s, 0))");
  t.push(`s := absorb(s, ${headerConst("shplonk-w2", TAG.g1)}, add(pf, ${offset(layout.witnesses + G1_BYTES)}), 0x40)`);

  // --- the opening: scalars of every point, then one MSM ------------------------------------
  // The code computing the scalars is rendered once as a list of lines and terms; a term is
  // emitted either as an MSM step (one proof, `opening`) or as a store into the proof's record of
  // scalars (a batch, `openingScalars`), whose MSM `batchOpening` does after ν is known.
  type Point = { kind: "vk"; x: string; y: string } | { kind: "proof"; at: number };
  type Step = string | { point: Point; scalar: string; what: string };
  const steps: Step[] = [];
  const vkPoint = (p: G1Affine): Point | null => (p.x === 0n && p.y === 0n ? null : { kind: "vk", x: hex32(p.x), y: hex32(p.y) });
  const term = (point: Point | null, scalar: string, what: string): void => {
    if (point === null) steps.push(`// ${what}: the point at infinity, no term`);
    else steps.push({ point, scalar, what });
  };
  steps.push("let r := R");
  steps.push("let zeta := mload(M_ZETA)");
  steps.push("let z := mload(M_SH_Z)");
  steps.push("let gamma := mload(M_SH_GAMMA)");
  steps.push("let zMinusZeta := addmod(z, sub(r, zeta), r)");
  steps.push("// The claims at ζ weigh 1, those at ωζ c₁ = γ′·(z − ζ)/(z − ωζ); v accumulates v̂₀ + c₁·v̂₁.");
  steps.push("// Columns opened at ωζ: scalar c₁·γ^j.");
  steps.push("let p := mulmod(mulmod(mload(M_SH_GAMMA_PRIME), zMinusZeta, r), mload(M_SH_C_INV), r)");
  NEXT_ROW_COLUMNS.forEach((col, j) => {
    if (j > 0) steps.push("p := mulmod(p, gamma, r)");
    steps.push(`mstore(${rotSlots[j]}, p)`);
    steps.push(`${j === 0 ? "let v := " : "v := addmod(v, "}mulmod(p, ${evalAt(NUM_COLUMNS + j)}, r)${j === 0 ? "" : ", r)"}`);
  });
  steps.push("// Columns opened at ζ: scalar γ^k (plus c₁·γ^j for a column also opened at ωζ).");
  steps.push("p := 1");
  const fixedPoints = vk.fixedCommitments.map((c) => g1FromLEM(c));
  OPENED_AT_ZETA.forEach((col, k) => {
    if (k > 0) steps.push("p := mulmod(p, gamma, r)");
    const name = col < NUM_FIXED ? `fixed column ${col}` : `advice column ${col}`;
    let point: Point | null;
    if (col < NUM_FIXED) point = vkPoint(fixedPoints[col]);
    else {
      const idx = layout.commitmentOf.get(col);
      if (idx === undefined) throw new CodegenError(`column ${col} is opened but has no commitment`);
      point = { kind: "proof", at: layout.commitments + idx * G1_BYTES };
    }
    const rot = NEXT_ROW_COLUMNS.indexOf(col);
    const scalar = rot >= 0 ? `addmod(p, mload(${rotSlots[rot]}), r)` : k === 0 ? "1" : "p";
    term(point, scalar, name);
    steps.push(`v := addmod(v, ${k === 0 ? "" : "mulmod(p, "}${evalAt(evaluationIndex(col, 0))}${k === 0 ? "" : ", r)"}, r)`);
  });
  steps.push("p := mulmod(p, gamma, r)");
  steps.push("// L = Σ_t coef·κ_t·[C_t] − Z_H(ζ)·Σ_i ζ^(i·n)·[t_i], opened at ζ with value −N_rest (docs/protocol.md §4.8).");
  steps.push("v := addmod(v, mulmod(p, sub(r, mload(M_NREST)), r), r)");
  vk.weightCommitments.forEach((c, s) =>
    term(vkPoint(g1FromLEM(c)), s === 0 ? "mulmod(p, mload(M_COEFC), r)" : `mulmod(p, mulmod(mload(M_COEFC), mload(${challengeSlot.get(`slot${s}`)}), r), r)`, `weight commitment C_${s} (κ_${s})`),
  );
  steps.push("p := mulmod(p, sub(r, mload(M_ZH)), r)");
  for (let i = 0; i < QUOTIENT_CHUNKS; i++) {
    if (i > 0) steps.push("p := mulmod(p, mload(M_ZN), r)");
    term({ kind: "proof", at: layout.commitments + (layout.quotient + i) * G1_BYTES }, "p", `quotient chunk t${i}`);
  }
  steps.push("// −(z − ζ)·W, z·W′, and −(v̂₀ + c₁·v̂₁)·[1]₁.");
  const witnessW: Point = { kind: "proof", at: layout.witnesses };
  const witnessW2: Point = { kind: "proof", at: layout.witnesses + G1_BYTES };
  term(witnessW, "sub(r, zMinusZeta)", "W");
  term(witnessW2, "z", "W′");
  term({ kind: "vk", x: "1", y: "2" }, "sub(r, v)", "generator [1]₁");

  const coords = (pt: Point, pf = "pf"): [string, string] =>
    pt.kind === "vk" ? [pt.x, pt.y] : [`calldataload(add(${pf}, ${offset(pt.at)}))`, `calldataload(add(${pf}, ${offset(pt.at + 32)}))`];
  // One proof: A by one MSM in which each point appears once, B = W′.
  const o: string[] = [];
  let started = false;
  for (const st of steps) {
    if (typeof st === "string") {
      o.push(st);
      continue;
    }
    const [x, y] = coords(st.point);
    if (!started && st.scalar === "1") o.push(`msmStart(${x}, ${y}) // ${st.what}`);
    else {
      if (!started) o.push("msmStart(0, 0)");
      o.push(st.scalar === "1" ? `msmAddPoint(${x}, ${y}) // ${st.what}` : `msmAdd(${x}, ${y}, ${st.scalar}) // ${st.what}`);
    }
    started = true;
  }
  o.push("mcopy(M_A, M_ACC, 0x40)");
  const [w2x, w2y] = coords(witnessW2);
  o.push(`mstore(M_B, ${w2x})`, `mstore(add(M_B, 0x20), ${w2y})`);

  // A batch: proof i's scalars go to its record (one word per term).
  const terms = steps.filter((st): st is Exclude<Step, string> => typeof st !== "string");
  const recordWords = terms.length;
  const sc: string[] = [];
  let k = 0;
  for (const st of steps) {
    if (typeof st === "string") sc.push(st);
    else sc.push(`mstore(add(rec, ${offset(32 * k++)}), ${st.scalar}) // ${st.what}`);
  }
  // After ν: A = Σ_i ν^i·A_i with each key point once (its scalars summed into record 0) and each
  // proof point once; B = Σ_i ν^i·W′_i.
  const shared = terms.map((st, j) => ({ st, j })).filter(({ st }) => st.point.kind === "vk");
  const own = terms.map((st, j) => ({ st, j })).filter(({ st }) => st.point.kind === "proof");
  const b: string[] = [
    "let r := R",
    "msmStart(0, 0)",
    "let w := 1",
    "for { let i := 0 } lt(i, count) { i := add(i, 1) } {",
    "    let pf := batchProof(count, i)",
    `    let rec := add(records, mul(i, ${offset(32 * recordWords)}))`,
    "    if i {",
    ...shared.map(({ st, j }) => `        mstore(add(records, ${offset(32 * j)}), addmod(mload(add(records, ${offset(32 * j)})), mulmod(w, mload(add(rec, ${offset(32 * j)})), r), r)) // ${st.what}`),
    "    }",
    ...own.map(({ st, j }) => `    msmAdd(${coords(st.point).join(", ")}, mulmod(w, mload(add(rec, ${offset(32 * j)})), r)) // ${st.what}`),
    "    w := mulmod(w, nu, r)",
    "}",
    ...shared.map(({ st, j }) => `msmAdd(${coords(st.point).join(", ")}, mload(add(records, ${offset(32 * j)}))) // ${st.what}`),
    "mcopy(M_A, M_ACC, 0x40)",
    "{",
    "    let pf := batchProof(count, 0)",
    `    msmStart(${coords(witnessW2).join(", ")})`,
    "}",
    "w := nu",
    "for { let i := 1 } lt(i, count) { i := add(i, 1) } {",
    "    let pf := batchProof(count, i)",
    `    msmAdd(${coords(witnessW2).join(", ")}, w)`,
    "    w := mulmod(w, nu, r)",
    "}",
    "mcopy(M_B, M_ACC, 0x40)",
  ];

  // --- G2 points, selectors, the rest -------------------------------------------------------
  const g2 = (name: string, bytes: Uint8Array): string[] => {
    const p = g2FromLEM(bytes);
    return [
      `    uint256 internal constant ${name}_X1 = ${hex32(p.x.c1)};`,
      `    uint256 internal constant ${name}_X0 = ${hex32(p.x.c0)};`,
      `    uint256 internal constant ${name}_Y1 = ${hex32(p.y.c1)};`,
      `    uint256 internal constant ${name}_Y0 = ${hex32(p.y.c0)};`,
    ];
  };
  const padded = Math.ceil(PROOF_BYTES / 32) * 32;
  const paddingBits = 8 * (padded - PROOF_BYTES);
  const values: Record<string, string> = {
    CONTRACT_NAME: contractName,
    PROTOCOL,
    VK_DIGEST: hexOf(digest),
    INSECURE: vk.insecure ? "true" : "false",
    INSECURE_NATSPEC: vk.insecure
      ? "/// @custom:security INSECURE: this key was built on a development SRS (`--dev-srs`) whose secret τ was\n" +
        "///         known when it was made; anyone holding it can forge proofs that this contract accepts.\n" +
        "///         For tests and demos only. INSECURE_DEV_SRS is true.\n"
      : "",
    LOG_ROWS: String(vk.logRows),
    PUBLIC_INPUT_COUNT: String(ell),
    ...projection,
    PROOF_BYTES: String(PROOF_BYTES),
    OMEGA: hex32(domain.omega),
    OMEGA_INV: hex32(domain.omegaInv),
    N_INV: hex32(domain.nInv),
    PROOF_STATE_AFTER_VK: hexOf(proofState.state),
    BATCH_STATE_AFTER_VK: hexOf(batchState.state),
    G2_POINTS: [...g2("G2_ONE", vk.g2One), ...g2("G2_TAU", vk.g2Tau)].join("\n"),
    MEMORY_SLOTS: slots.join("\n"),
    EVALUATION_OFFSETS: evalConsts.join("\n"),
    PROOF_HEADER: hexOf(PROOF_MAGIC),
    PROOF_LAST_WORD: offset(padded - 32),
    PADDING_MASK: paddingBits === 0 ? "0" : hex32((1n << BigInt(paddingBits)) - 1n),
    COMMITMENTS_OFFSET: offset(layout.commitments),
    EVALUATIONS_OFFSET: offset(layout.evaluations),
    WITNESSES_OFFSET: offset(layout.witnesses),
    NUM_EVALUATIONS: String(NUM_EVALUATIONS),
    SINGLE_INPUTS_OFFSET: offset(0x60 + padded),
    PROOF_SLOT_BYTES: offset(0x20 + padded),
    GATES: gateLines.map((l) => `                ${l}`).join("\n"),
    TRANSCRIPT: t.map((l) => `                ${l}`).join("\n"),
    DERIVE_SLOT_CHALLENGES: slotLines.derive.map((l) => `                ${l}`).join("\n"),
    OPENING: o.map((l) => `                ${l}`).join("\n"),
    OPENING_SCALARS: sc.map((l) => `                ${l}`).join("\n"),
    BATCH_OPENING: b.map((l) => `                ${l}`).join("\n"),
    RECORD_BYTES: offset(32 * recordWords),
  };
  values.HEADERS = headers.join("\n"); // after the schedule and opening registered theirs
  for (const [name, sel] of selectors) values[`SEL_${name}`] = sel;
  return { source: render(template, values), contractName };
}
