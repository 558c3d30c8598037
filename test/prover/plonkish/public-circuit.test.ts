// The public circuit file (docs/protocol.md §3.12): it round-trips, holds no weight, and
// checkPublicCircuit recomputes a key's fixed commitments from it and makes setup's structural
// checks, so that a key built by hand around an ill-formed or different circuit is caught by
// anyone, not only by the owner's own setup.
import { gunzipSync, gzipSync } from "node:zlib";
import { expect } from "chai";
import { R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { RUN_BYTES } from "../../../prover/plonkish/run-bytes.js";
import { frSet, frVecEquals, frVecToBigints } from "../../../verifier/engine/fr.js";
import { matvec } from "../../../prover/circuits/index.js";
import { devSrs, type Srs } from "../../../prover/srs/index.js";
import {
  checkPublicCircuit,
  decodePublicCircuit,
  encodePublicCircuit,
  plainPublicInputLayout,
  PublicCircuitError,
  setup,
  srsSizeFor,
  type ProvingKey,
  type PublicCircuitCheck,
} from "../../../prover/plonkish/index.js";
import { FIXED } from "../../../verifier/plonkish/layout.js";
import { expectRejection } from "../../helpers/assert.js";
import { publicCircuitBomb } from "./gzip-bomb.js";
import { activationProduct, mixedCircuit, paddingRows, weightRowsWithCopiedActivation, withSteps } from "./circuits.js";

const PARAMS = { m: 3, k: 4, P: 1, bits: 4 };
const failed = (check: PublicCircuitCheck): string[] => check.checks.filter((c) => !c.ok).map((c) => c.name);

describe("plonkish: the public circuit file and checkPublicCircuit", function () {
  let srs: Srs;
  let pk: ProvingKey;
  const layout = matvec.publicInputLayout({ ...PARAMS, seed: "a" });

  before(async () => {
    const { table } = matvec.build({ ...PARAMS, seed: "a" });
    srs = await devSrs(srsSizeFor(table.logRows));
    pk = await setup(table, srs, { publicInputLayout: layout });
  });
  after(releaseEngine);

  it("round-trips the fixed columns and layout, and is the same file whatever the weights", async () => {
    const file = await encodePublicCircuit(pk.table, layout);
    const decoded = await decodePublicCircuit(file);
    expect(decoded.layout).to.deep.equal(layout);
    expect([decoded.table.logRows, decoded.table.publicInputCount]).to.deep.equal([pk.table.logRows, pk.table.publicInputCount]);
    decoded.table.fixed.forEach((col, i) => expect(frVecEquals(col, pk.table.fixed[i]), `fixed column ${i}`).to.equal(true));
    // other weights (another seed), the same circuit: byte for byte the same file
    const other = matvec.build({ ...PARAMS, seed: "b" }).table;
    expect(frVecEquals(other.weights[0], pk.table.weights[0])).to.equal(false);
    expect(Buffer.from(await encodePublicCircuit(other, layout)).equals(Buffer.from(file))).to.equal(true);
  });

  it("passes every check for the key's own circuit", async () => {
    const check = await checkPublicCircuit(await decodePublicCircuit(await encodePublicCircuit(pk.table, layout)), pk.vk, srs);
    expect(failed(check)).to.deep.equal([]);
    expect(check.ok).to.equal(true);
    expect(check.checks.map((c) => c.name)).to.deep.equal(["shape", "circuit description", "public-input layout", "structure", "srs", "fixed commitments"]);
  });

  it("names the column whose commitment differs, another layout, and another SRS", async () => {
    const fixed = pk.table.fixed.map((c) => c.slice());
    frSet(fixed[FIXED.qC], 2 ** pk.table.logRows - 1, 7n); // a padding row: still well-formed
    const changed = await checkPublicCircuit({ table: { ...pk.table, fixed }, layout }, pk.vk, srs);
    expect(failed(changed)).to.deep.equal(["fixed commitments"]);
    expect(changed.mismatchedColumns).to.deep.equal(["qC"]);
    const relabelled = await checkPublicCircuit({ table: pk.table, layout: plainPublicInputLayout(pk.table.publicInputCount) }, pk.vk, srs);
    expect(failed(relabelled)).to.deep.equal(["public-input layout"]);
    const otherSrs = await checkPublicCircuit({ table: pk.table, layout }, pk.vk, await devSrs(srsSizeFor(pk.table.logRows)));
    expect(failed(otherSrs)).to.deep.equal(["srs", "fixed commitments"]);
  });

  it("catches the review's hand-built key (activation W rows marked as weight rows too): its published circuit breaks §3.6 rule 3", async () => {
    const shape = { m: 2, k: 3, P: 2, seed: 31, logRows: 6 } as const;
    const honest = activationProduct(shape);
    const srs6 = await devSrs(srsSizeFor(shape.logRows));
    const { forged, table } = await weightRowsWithCopiedActivation(await setup(honest.table, srs6), shape, [[1n, 0n, 2n], [0n, 0n, 3n]], 5n);
    // The file cannot even be written from it (setup's checks), and the check of the table it
    // would hold finds the rule broken (the commitments are then not recomputed).
    await expectRejection(encodePublicCircuit(table, plainPublicInputLayout(table.publicInputCount)), /row \d+ has more than one Freivalds selector set/);
    const check = await checkPublicCircuit({ table, layout: plainPublicInputLayout(table.publicInputCount) }, forged.vk, srs6);
    expect(failed(check)).to.deep.equal(["structure", "fixed commitments"]);
    expect(check.checks.find((c) => c.name === "structure")!.detail).to.match(/row \d+ has more than one Freivalds selector set/);
  });

  it("stores the exponent steps s, and its check refuses steps other than 0, 1, 2, a last run without a reset and a Y row at exponent 1 (§3.8 rule 6)", async () => {
    // A run on padding rows (steps 1, 2) is a valid published circuit; the file round-trips it.
    const c = mixedCircuit({ m: 2, k: 3, P: 2, seed: 31, logRows: 5 });
    const srs5 = await devSrs(srsSizeFor(5));
    const [r0, r1, r2] = paddingRows(c, 3);
    const withRun = { ...c.table, fixed: withSteps(c, [[r1, 1n], [r2, 2n]]) };
    const runKey = await setup({ ...withRun, weights: c.table.weights }, srs5);
    const file = await encodePublicCircuit(withRun, plainPublicInputLayout(withRun.publicInputCount));
    const decoded = await decodePublicCircuit(file);
    expect(frVecEquals(decoded.table.fixed[FIXED.s], withRun.fixed[FIXED.s])).to.equal(true);
    expect(failed(await checkPublicCircuit(decoded, runKey.vk, srs5))).to.deep.equal([]);
    const yRow = frVecToBigints(c.table.fixed[FIXED.qFY]).indexOf(1n);
    for (const [steps, message] of [
      [[[r0, 3n], [r1, 2n]], new RegExp(`the exponent step s is 3 at row ${r0}`)],
      [[[r2, 1n]], /the last run has no reset/],
      [[[yRow - 1, 1n], [yRow, 2n]], new RegExp(`row ${yRow} is a Freivalds row \\(q_fy = 1\\) at exponent 1`)],
    ] as const) {
      const table = { ...c.table, fixed: withSteps(c, steps) };
      await expectRejection(encodePublicCircuit(table, plainPublicInputLayout(table.publicInputCount)), message);
      const check = await checkPublicCircuit({ table, layout: plainPublicInputLayout(table.publicInputCount) }, runKey.vk, srs5);
      expect(failed(check)).to.include("structure");
      expect(check.checks.find((x) => x.name === "structure")!.detail).to.match(message);
    }
  });

  it("refuses a damaged file with PublicCircuitError", async () => {
    const file = await encodePublicCircuit(pk.table, layout);
    expect(await expectRejection(decodePublicCircuit(file.subarray(0, file.length - 1)), /public circuit file/)).to.be.instanceOf(PublicCircuitError);
    await expectRejection(decodePublicCircuit(Uint8Array.of(1, 2, 3)), /not gzip data/);
  });

  it("refuses an older version, a run count beyond the rows, and a run whose bias flag or index has no meaning, each with its reason", async () => {
    const raw = gunzipSync(await encodePublicCircuit(pk.table, layout));
    const jsonLength = raw.readUInt32BE(16);
    const edited = (edit: (b: Buffer) => Buffer): Promise<unknown> => decodePublicCircuit(gzipSync(edit(Buffer.from(raw))));
    await expectRejection(edited((b) => (b.writeUInt32BE(2, 4), b)), /version 2, this zkinfer reads version 3 \(an older setup's file/);
    await expectRejection(edited((b) => (b.writeUInt32BE(2 ** pk.table.logRows + 1, 20), b)), /declares \d+ convolution runs, more than its \d+ rows can hold/);
    // One run spliced in after the layout: bias flag 2, then an index equal to r.
    const withRun = (run: Buffer) => (b: Buffer) => {
      b.writeUInt32BE(1, 20);
      return Buffer.concat([b.subarray(0, 24 + jsonLength), run, b.subarray(24 + jsonLength)]);
    };
    const run = Buffer.alloc(RUN_BYTES);
    [1, 1, 1, 3, 3, 1, 1, 0, 0, 0, 0, 2, 3].forEach((v, k) => run.writeUInt32BE(v, 4 * k));
    await expectRejection(edited(withRun(run)), /convolution run 0: its bias flag is 2, not 0 or 1/);
    run.writeUInt32BE(0, 44);
    Buffer.from(R.toString(16).padStart(64, "0"), "hex").copy(run, 52 + 32);
    await expectRejection(edited(withRun(run)), /convolution run 0: its j index is not below r/);
    await expectRejection(edited((b) => (b.writeUInt32BE(1, 20), b)), /\d+ bytes, a table of 2\^\d+ rows with this layout has \d+/);
  });

  it("stops a gzip bomb at the length its header declares, and a table larger than the key's before decompressing", async () => {
    // 128 KiB that inflate to 128 MiB behind the header of a 2^4-row table (about 9 KiB).
    const bomb = publicCircuitBomb({ logRows: 4, mebibytes: 128 });
    expect(bomb.length).to.be.below(1 << 18);
    const err = await expectRejection(decodePublicCircuit(bomb), /decompresses to more than the \d+ bytes its header declares/);
    expect(err).to.be.instanceOf(PublicCircuitError);
    await expectRejection(decodePublicCircuit(publicCircuitBomb({ logRows: 12, mebibytes: 1 }), { maxLogRows: 10 }), /2\^12 rows, more than the 2\^10 of the key/);
  });
});
