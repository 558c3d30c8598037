// What the verification key binds besides the commitments (docs/protocol.md §3.10): the circuit
// description — a canonical text of the protocol version, the columns and phases, what is opened
// where, the permutation and lookup layout and every gate expression — and the public-input layout
// — which public inputs are the model's inputs and outputs, how each is exposed and at what scales.
// Their keccak256 digests are fields of the key, so its digest (absorbed before every challenge)
// changes when either does.
import { keccak_256 } from "@noble/hashes/sha3.js";
import { encodeUint256BE } from "../engine/encoding.js";
import { CircuitError } from "./errors.js";
import { serialize } from "./expression.js";
import {
  blindingOf,
  COLUMN_NAMES,
  EXTENSION,
  GATES,
  lookupInputKey,
  lookupTableKey,
  MAX_DEGREE,
  NEXT_ROW_COLUMNS,
  NUM_FIXED,
  OPENED_AT_ZETA,
  PERMUTATION_COLUMNS,
  PERMUTATION_SHIFTS,
  PERMUTATION_SIGMAS,
  PHASES,
  PROTOCOL,
  QUOTIENT_CHUNKS,
  checkGateOpenings,
  type Gate,
  SLOT_CHALLENGES,
  WEIGHT_SLOTS,
} from "./layout.js";

const col = (c: number): string => `c${c}`;

/**
 * The canonical circuit description: one line per item, fields separated by single spaces, every
 * line ending in "\n"; expressions in serialize()'s prefix form (c<i> a column at X, c<i>' at ωX,
 * $name a challenge, decimal constants below r). Throws CircuitError if a gate reads a rotation
 * that is not opened. The parameters exist for tests, which change one part and see the digest move.
 */
export function circuitDescription(gates: readonly Gate[] = GATES, protocol: string = PROTOCOL): string {
  checkGateOpenings(gates);
  const lines = [
    `protocol ${protocol}`,
    `columns fixed ${COLUMN_NAMES.slice(0, NUM_FIXED).join(" ")}`,
    `columns weight ${Array.from({ length: WEIGHT_SLOTS }, (_, t) => `W${t}`).join(" ")} combined Chat=${["1", ...SLOT_CHALLENGES.slice(1).map((c) => `$${c}`)].map((k, t) => `${k}*C${t}`).join("+")}`,
    `derived lambda ${SLOT_CHALLENGES.join(" ")}`,
    ...PHASES.map((p) => `phase ${p.label} columns ${p.columns.map((c) => `${col(c)}=${COLUMN_NAMES[c]}`).join(" ")} challenges ${p.challenges.join(" ")}`),
    `open zeta ${OPENED_AT_ZETA.map(col).join(" ")}`,
    `open omega-zeta ${NEXT_ROW_COLUMNS.map(col).join(" ")}`,
    `blinding ${PHASES.flatMap((p) => p.columns).map((c) => `${col(c)}:${blindingOf(c)}`).join(" ")}`,
    `permutation wires ${PERMUTATION_COLUMNS.map(col).join(" ")} sigmas ${PERMUTATION_SIGMAS.map(col).join(" ")} shifts ${PERMUTATION_SHIFTS.join(" ")}`,
    `lookup input ${serialize(lookupInputKey())} table ${serialize(lookupTableKey())}`,
    `quotient max-degree ${MAX_DEGREE} chunks ${QUOTIENT_CHUNKS} extension ${EXTENSION}`,
    ...gates.map((g) => `gate ${g.name} ${serialize(g.expr)}`),
  ];
  return lines.map((l) => `${l}\n`).join("");
}

/** keccak256 of a circuit description's UTF-8 bytes. */
export function circuitDescriptionDigest(description: string = circuitDescription()): Uint8Array {
  return keccak_256(new TextEncoder().encode(description));
}

/** The digest of this implementation's circuit description: every key it makes or accepts carries it. */
export const CIRCUIT_DIGEST: Uint8Array = circuitDescriptionDigest();

/** Why a key with another circuit digest is refused: it binds gates this verifier would not check. */
export const CIRCUIT_MISMATCH =
  `verification key was made for another circuit description (gates, lookup or permutation layout, or a protocol version other than this zkinfer's ${PROTOCOL}): compile and run setup again`;

/** Whether `digest` is CIRCUIT_DIGEST. */
export function isCircuitDigest(digest: Uint8Array): boolean {
  return digest instanceof Uint8Array && digest.length === 32 && digest.every((b, i) => b === CIRCUIT_DIGEST[i]);
}

// ---------------------------------------------------------------------------------------------
// Public-input layout

export type PublicInputRole = "input" | "output";
export type PublicInputVisibility = "public" | "hashed" | "private";

/** A run of public inputs with one meaning. */
export interface PublicInputRange {
  role: PublicInputRole;
  visibility: PublicInputVisibility;
  /** The public inputs [offset, offset + count): `count` values (public), 1 hash (hashed) or 0 (private). */
  offset: number;
  count: number;
  /** Hashed: the signed width each value is packed at before hashing; 0 otherwise. */
  bits: number;
  /** The values in order, in runs of one fixed-point scale (value = integer / 2^scale); empty for plain integers. */
  scales: { count: number; scale: number }[];
}

/** Which public inputs mean what. A table with no declared meaning has ranges []. */
export interface PublicInputLayout {
  count: number;
  ranges: PublicInputRange[];
}

const ROLES: readonly PublicInputRole[] = ["input", "output"];
const VISIBILITIES: readonly PublicInputVisibility[] = ["public", "hashed", "private"];

/** ℓ public inputs with no declared meaning (the default of `setup`). */
export function plainPublicInputLayout(count: number): PublicInputLayout {
  return { count, ranges: [] };
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/**
 * Checks that `layout` describes `publicInputCount` public inputs canonically: ranges in increasing
 * offset, disjoint and inside [0, ℓ), a public range's scale runs covering its values, a hashed range
 * one input with a packing width, a private range none. Throws CircuitError.
 */
export function checkPublicInputLayout(layout: PublicInputLayout, publicInputCount: number): void {
  const fail = (why: string): never => {
    throw new CircuitError(`public-input layout: ${why}`);
  };
  if (typeof layout !== "object" || layout === null || !Array.isArray(layout.ranges)) fail("must be {count, ranges}");
  if (layout.count !== publicInputCount) fail(`describes ${String(layout.count)} public inputs, the circuit has ${publicInputCount}`);
  let end = 0;
  layout.ranges.forEach((r, i) => {
    const what = `range ${i}`;
    if (!ROLES.includes(r.role) || !VISIBILITIES.includes(r.visibility)) fail(`${what}: role must be input or output, visibility public, hashed or private`);
    if (!isCount(r.offset) || !isCount(r.count) || !isCount(r.bits)) fail(`${what}: offset, count and bits must be non-negative integers`);
    if (r.offset < end || r.offset + r.count > publicInputCount) fail(`${what}: [${r.offset}, ${r.offset + r.count}) overlaps an earlier range or leaves the ${publicInputCount} public inputs`);
    end = r.offset + r.count;
    if (!Array.isArray(r.scales) || r.scales.some((s) => !isCount(s?.count) || s.count === 0 || !Number.isSafeInteger(s.scale))) fail(`${what}: scales must be runs {count ≥ 1, scale an integer}`);
    const values = r.scales.reduce((n, s) => n + s.count, 0);
    if (r.visibility === "public" && r.scales.length > 0 && values !== r.count) fail(`${what}: its scale runs cover ${values} values, the range has ${r.count}`);
    if (r.visibility === "hashed" && (r.count !== 1 || r.bits < 1)) fail(`${what}: a hashed range is one public input with a packing width bits ≥ 1`);
    if (r.visibility !== "hashed" && r.bits !== 0) fail(`${what}: only a hashed range has a packing width`);
    if (r.visibility === "private" && (r.count !== 0 || r.scales.length > 0)) fail(`${what}: a private range has no public inputs and no scales`);
  });
}

const int256 = (v: number): Uint8Array => encodeUint256BE(v >= 0 ? BigInt(v) : (1n << 256n) + BigInt(v));

/**
 * The layout's canonical bytes, 32-byte words: u256(ℓ) ‖ u256(#ranges), then per range u256(role:
 * 0 input, 1 output) ‖ u256(visibility: 0 public, 1 hashed, 2 private) ‖ u256(offset) ‖ u256(count)
 * ‖ u256(bits) ‖ u256(#runs) and per run u256(count) ‖ int256(scale) (two's complement).
 */
export function encodePublicInputLayout(layout: PublicInputLayout): Uint8Array {
  checkPublicInputLayout(layout, layout.count);
  const words: Uint8Array[] = [encodeUint256BE(BigInt(layout.count)), encodeUint256BE(BigInt(layout.ranges.length))];
  for (const r of layout.ranges) {
    const head = [ROLES.indexOf(r.role), VISIBILITIES.indexOf(r.visibility), r.offset, r.count, r.bits, r.scales.length];
    words.push(...head.map((v) => encodeUint256BE(BigInt(v))));
    for (const s of r.scales) words.push(encodeUint256BE(BigInt(s.count)), int256(s.scale));
  }
  const out = new Uint8Array(32 * words.length);
  words.forEach((w, i) => out.set(w, 32 * i));
  return out;
}

/** keccak256 of the layout's canonical bytes. */
export function publicInputLayoutDigest(layout: PublicInputLayout): Uint8Array {
  return keccak_256(encodePublicInputLayout(layout));
}
