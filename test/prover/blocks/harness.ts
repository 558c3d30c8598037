// Shared steps of the block tests: build a circuit, tamper with one or more wire cells of its
// witness, check that the prover's self-check names the broken gate, and that a proof made
// anyway (skipSelfCheck) does not verify — or that the honest witness proves and verifies.
import { expect } from "chai";
import { frGet, frSet } from "../../../verifier/engine/fr.js";
import { frMod } from "../../../verifier/engine/scalar.js";
import type { CircuitBuilder, Cell } from "../../../prover/circuit/builder.js";
import { devSrs, type Srs } from "../../../prover/srs/index.js";
import {
  prove,
  setup,
  srsSizeFor,
  UnsatisfiedError,
  verify,
  type CircuitTable,
  type ProvingKey,
  type Witness,
} from "../../../prover/plonkish/index.js";
import { expectRejection } from "../../helpers/assert.js";

const WIRES = ["a", "b", "c"] as const;

/** The value of a cell in a built witness. */
export function cellValue(witness: Witness, cell: Cell): bigint {
  return frGet(witness[WIRES[cell.col]], cell.row);
}

/** A copy of `witness` with the given cells set to other values (signed integers allowed). */
export function tamper(witness: Witness, changes: readonly (readonly [Cell, bigint])[]): Witness {
  const out: Witness = { ...witness, a: witness.a.slice(), b: witness.b.slice(), c: witness.c.slice() };
  for (const [cell, value] of changes) frSet(out[WIRES[cell.col]], cell.row, frMod(value));
  return out;
}

const srsCache = new Map<number, Promise<Srs>>();

/** Setup on a development SRS just big enough (cached per size). */
export async function keyFor(table: CircuitTable): Promise<ProvingKey> {
  let srs = srsCache.get(table.logRows);
  if (!srs) srsCache.set(table.logRows, (srs = devSrs(srsSizeFor(table.logRows))));
  return setup(table, await srs);
}

/** Builds the circuit; returns its table, witness and key. */
export async function built(b: CircuitBuilder): Promise<{ table: CircuitTable; witness: Witness; pk: ProvingKey }> {
  const { table, witness } = b.build();
  return { table, witness, pk: await keyFor(table) };
}

/** The honest witness proves and verifies. */
export async function expectProves(pk: ProvingKey, witness: Witness): Promise<void> {
  const { proof, publicInputs } = await prove(pk, witness);
  expect(await verify(pk.vk, proof, publicInputs)).to.equal(true);
}

/** The self-check refuses `witness` naming `gate` (and `row` if given). */
export async function expectSelfCheckFails(pk: ProvingKey, witness: Witness, gate: string, row?: number): Promise<void> {
  const err = await expectRejection(prove(pk, witness), /fails at row|not in its table/);
  expect(err).to.be.instanceOf(UnsatisfiedError);
  expect((err as UnsatisfiedError).gate).to.equal(gate);
  if (row !== undefined) expect((err as UnsatisfiedError).row).to.equal(row);
}

/** A cheating prover's proof of `witness` (self-check skipped) does not verify. */
export async function expectProofRejected(pk: ProvingKey, witness: Witness): Promise<void> {
  const { proof, publicInputs } = await prove(pk, witness, { skipSelfCheck: true });
  expect(await verify(pk.vk, proof, publicInputs)).to.equal(false);
}

/** Both of the above. */
export async function expectCheatCaught(pk: ProvingKey, witness: Witness, gate: string, row?: number): Promise<void> {
  await expectSelfCheckFails(pk, witness, gate, row);
  await expectProofRejected(pk, witness);
}

/** Signed integer from a field element (|x| < r/2). */
export function signed(x: bigint): bigint {
  return x > frMod(-1n) / 2n ? x - frMod(-1n) - 1n : x;
}

/**
 * The changes that put v into the a cell of a signed-table lookup row and relu(v) into its b cell
 * (a tampered lookup row stays consistent, so only the intended check can fail).
 */
export function lookupEntry(row: number, v: bigint): [Cell, bigint][] {
  return [
    [{ col: 0, row }, v],
    [{ col: 1, row }, v > 0n ? v : 0n],
  ];
}
