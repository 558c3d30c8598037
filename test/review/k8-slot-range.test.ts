// Review of K = 8 (protocol v6): a Y row's slot id_c must be below K (docs/protocol.md §3.8 rule 4,
// §3.12). Setup and check-circuit both read it through freivaldsTargets; nothing tested the bound,
// so a bound left at 4, or an off-by-one, would have passed. The boundary: a Y row moved to slot
// K − 1 (an empty slot of its output index) is a well-formed table; slot K is refused by both, as is
// a value above 2^32 (the check's other branch).
import { expect } from "chai";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { frSet, frVecToBigints } from "../../verifier/engine/fr.js";
import { checkPublicCircuit, setup, srsSizeFor, type CircuitTable, type ProvingKey } from "../../prover/plonkish/index.js";
import { FIXED, WEIGHT_SLOTS } from "../../verifier/plonkish/layout.js";
import { plainPublicInputLayout } from "../../verifier/plonkish/index.js";
import { devSrs, type Srs } from "../../prover/srs/index.js";
import { mixedCircuit } from "../prover/plonkish/circuits.js";
import { expectRejection } from "../helpers/assert.js";

describe("review: a Y row's slot id_c is below K", function () {
  this.timeout(120_000);
  let table: CircuitTable;
  let srs: Srs;
  let honest: ProvingKey;
  let row: number;

  before(async () => {
    table = mixedCircuit({ m: 2, k: 3, P: 2, seed: 5 }).table;
    srs = await devSrs(srsSizeFor(table.logRows));
    honest = await setup(table, srs);
    // A Y row of slot 1 whose output index keeps another Y row of slot 1, so that slot 1's weights
    // stay read when this row moves to another slot.
    const [qfy, ida, idc] = [FIXED.qFY, FIXED.idA, FIXED.idC].map((c) => frVecToBigints(table.fixed[c]));
    const slotOne = qfy.flatMap((q, r) => (q === 1n && idc[r] === 1n ? [r] : []));
    row = slotOne.find((r) => slotOne.some((s) => s !== r && ida[s] === ida[r]))!;
    expect(row, "a Y row of slot 1 with a sibling").to.not.equal(undefined);
  });

  after(releaseEngine);

  /** The table with `row`'s id_c set to `slot`. */
  function withSlot(slot: bigint): CircuitTable {
    const fixed = table.fixed.map((c) => c.slice());
    frSet(fixed[FIXED.idC], row, slot);
    return { ...table, fixed };
  }

  async function structure(t: CircuitTable): Promise<{ ok: boolean; detail: string }> {
    const check = await checkPublicCircuit({ table: t, layout: plainPublicInputLayout(t.publicInputCount) }, honest.vk, srs);
    return check.checks.find((c) => c.name === "structure")!;
  }

  it(`accepts slot K − 1 = ${WEIGHT_SLOTS - 1} (setup and check-circuit's structure check)`, async () => {
    const last = withSlot(BigInt(WEIGHT_SLOTS - 1));
    expect((await setup(last, srs)).vk.weightCommitments).to.have.length(WEIGHT_SLOTS);
    expect(await structure(last)).to.include({ ok: true });
  });

  for (const slot of [BigInt(WEIGHT_SLOTS), 1n << 40n]) {
    it(`refuses slot ${slot} (setup, and check-circuit's structure check)`, async () => {
      const bad = withSlot(slot);
      const message = new RegExp(`^Y row ${row} has slot id_c = ${slot}; slots are below ${WEIGHT_SLOTS}$`);
      await expectRejection(setup(bad, srs), message);
      const found = await structure(bad);
      expect(found.ok).to.equal(false);
      expect(found.detail).to.match(message);
    });
  }
});
