import { expect } from "chai";
import { createHash } from "node:crypto";
import { releaseEngine, P } from "../../../verifier/engine/bn254.js";
import { matvec } from "../../../prover/circuits/index.js";
import {
  decodeProvingKey,
  decodeVerificationKey,
  encodeProvingKey,
  encodeVerificationKey,
  KeyConsistencyError,
  KeyFileError,
  layout,
  PK_CHECKSUM_BYTES,
  PK_HEADER_PEEK_BYTES,
  PK_VERSION,
  provingKeyLogRows,
  validateTable,
  prove,
  setup,
  srsSizeFor,
  verificationKeyDigest,
  verificationKeyJson,
  verify,
  VK_BYTES,
  type ProvingKey,
} from "../../../prover/plonkish/index.js";
import { devSrs } from "../../../prover/srs/index.js";
import { Domain, ifft } from "../../../prover/poly/index.js";
import { freivaldsTargets } from "../../../prover/plonkish/keys.js";
import { frSet, frVecToBigints } from "../../../verifier/engine/fr.js";
import { checkPermutation, type CircuitTable } from "../../../prover/plonkish/table.js";
import { fieldRng } from "./circuits.js";
import { expectRejection } from "../../helpers/assert.js";

const HEADER = 40;
/** The full checks of `zkinfer check-key`; the default load checks the digest only. */
const FULL = { checks: "full" } as const;
const G1 = 64;
const FR = 32;

function throwsKeyFile(fn: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, "expected a KeyFileError").to.be.instanceOf(KeyFileError);
  expect((caught as Error).message).to.match(pattern);
}

/** Recomputes pk.bin's SHA-256 trailer after an edit, so only the semantic checks can object. */
function reseal(bytes: Uint8Array): Uint8Array {
  const end = bytes.length - 32;
  bytes.set(createHash("sha256").update(bytes.subarray(0, end)).digest(), end);
  return bytes;
}

function writeWordBE(bytes: Uint8Array, offset: number, v: bigint): void {
  for (let i = 31; i >= 0; i--, v >>= 8n) bytes[offset + i] = Number(v & 0xffn);
}

/** The first weight row (q_fwt = 1), where the weight columns may be changed. */
function firstWeightRow(table: CircuitTable): number {
  return frVecToBigints(table.fixed[layout.FIXED.qFWT]).indexOf(1n);
}

describe("plonkish: key files", () => {
  let pk: ProvingKey;
  let n: number;
  let witness: ReturnType<typeof matvec.build>["witness"];

  before(async () => {
    const params = matvec.normalizeParams({ m: 3, k: 4, bits: 4, seed: "keys" });
    const built = matvec.build(params, matvec.parseInput(params, [[3, -1, 4, -5]]));
    witness = built.witness;
    pk = await setup(built.table, await devSrs(srsSizeFor(built.table.logRows)));
    n = 2 ** pk.vk.logRows;
  });

  after(releaseEngine);

  describe("verification key", () => {
    it("decodes its canonical bytes back to the same key and digest", () => {
      const bytes = encodeVerificationKey(pk.vk);
      const { vk, digest } = decodeVerificationKey(bytes);
      expect(Buffer.from(digest).equals(Buffer.from(pk.vkDigest))).to.equal(true);
      expect(Buffer.from(encodeVerificationKey(vk)).equals(Buffer.from(bytes))).to.equal(true);
      expect(vk.logRows).to.equal(pk.vk.logRows);
      expect(vk.publicInputCount).to.equal(7);
      expect(vk.insecure).to.equal(true);
      expect(Buffer.from(verificationKeyDigest(vk)).equals(Buffer.from(digest))).to.equal(true);
    });

    it("has a JSON view with the digest and hex commitments", () => {
      const json = verificationKeyJson(pk.vk);
      expect(json).to.include({ logRows: pk.vk.logRows, publicInputCount: 7, insecure: true, protocol: layout.PROTOCOL });
      expect(json.digest).to.equal(`0x${Buffer.from(pk.vkDigest).toString("hex")}`);
      expect(json.fixedCommitments).to.have.length(layout.NUM_FIXED);
      expect(json.weightCommitments).to.have.length(layout.WEIGHT_SLOTS);
      for (const c of json.weightCommitments) expect(c).to.match(/^0x[0-9a-f]{128}$/);
      expect(json.g2Tau).to.match(/^0x[0-9a-f]{256}$/);
    });

    it("refuses truncated, altered and non-canonical bytes", () => {
      const good = encodeVerificationKey(pk.vk);
      throwsKeyFile(() => decodeVerificationKey(good.subarray(0, VK_BYTES - 1)), /expected exactly \d+ \(truncated\?\)/);
      throwsKeyFile(() => decodeVerificationKey(new Uint8Array(0)), /bad magic/);
      const edit = (f: (b: Uint8Array) => void) => {
        const b = good.slice();
        f(b);
        return b;
      };
      throwsKeyFile(() => decodeVerificationKey(edit((b) => (b[0] ^= 1))), /bad magic/);
      throwsKeyFile(() => decodeVerificationKey(edit((b) => (b[3] = 9))), /version 9 is not supported/);
      throwsKeyFile(() => decodeVerificationKey(edit((b) => writeWordBE(b, 4, 40n))), /log2 of the row count is 40/);
      throwsKeyFile(() => decodeVerificationKey(edit((b) => writeWordBE(b, 4, 2n))), /below the minimum/);
      throwsKeyFile(() => decodeVerificationKey(edit((b) => writeWordBE(b, 36, BigInt(n + 1)))), /public input count/);
      throwsKeyFile(() => decodeVerificationKey(edit((b) => writeWordBE(b, 68, 2n))), /insecure flag is 2/);
      // A key of another circuit description (a changed gate, protocol version, …): run setup again.
      throwsKeyFile(() => decodeVerificationKey(edit((b) => (b[100] ^= 1))), /another circuit description .*run setup again/);
      // The public-input layout digest is the key's to choose; a changed one is another key.
      expect(decodeVerificationKey(edit((b) => (b[132] ^= 1))).digest).to.not.deep.equal(pk.vkDigest);
      const firstPoint = 4 + 3 * 32 + 2 * 32;
      throwsKeyFile(() => decodeVerificationKey(edit((b) => (b[firstPoint + 63] ^= 1))), /fixed commitment 0 .*not on/);
      throwsKeyFile(() => decodeVerificationKey(edit((b) => writeWordBE(b, firstPoint, P))), /fixed commitment 0 .*not canonical/);
      const g2One = firstPoint + (layout.NUM_FIXED + layout.WEIGHT_SLOTS) * G1;
      throwsKeyFile(() => decodeVerificationKey(edit((b) => b.copyWithin(g2One, g2One + 128, g2One + 256))), /\[1\]₂ is not the G2 generator/);
      throwsKeyFile(() => decodeVerificationKey(edit((b) => (b[g2One + 127] ^= 1))), /\[1\]₂ at byte/);
    });
  });

  describe("proving key", () => {
    it("round-trips and proves proofs that verify", async () => {
      const bytes = encodeProvingKey(pk);
      const loaded = await decodeProvingKey(bytes);
      expect(Buffer.from(loaded.vkDigest).equals(Buffer.from(pk.vkDigest))).to.equal(true);
      expect(loaded.fixedCoeffs.every((c, i) => Buffer.from(c).equals(Buffer.from(pk.fixedCoeffs[i])))).to.equal(true);
      expect(Array.from(loaded.uvTarget)).to.deep.equal(Array.from(pk.uvTarget));
      expect(loaded.weightCoeffs.every((c, t) => Buffer.from(c).equals(Buffer.from(pk.weightCoeffs[t])))).to.equal(true);
      expect(loaded.commitKey.size).to.equal(srsSizeFor(pk.vk.logRows));
      expect(Buffer.from(loaded.lagrangeKey!).equals(Buffer.from(pk.lagrangeKey!))).to.equal(true);
      expect(Buffer.from(encodeProvingKey(loaded)).equals(Buffer.from(bytes))).to.equal(true);
      const { proof, publicInputs } = await prove(loaded, witness);
      expect(await verify(decodeVerificationKey(encodeVerificationKey(pk.vk)).vk, proof, publicInputs)).to.equal(true);
    });

    it("stores the key's coset columns, loads them into shared memory, and proves the same bytes without them", async () => {
      const loaded = await decodeProvingKey(encodeProvingKey(pk));
      expect(loaded.fixedCoset).to.have.length(layout.NUM_FIXED);
      expect(loaded.fixedCoset!.every((v, i) => v.buffer instanceof SharedArrayBuffer && Buffer.from(v).equals(Buffer.from(pk.fixedCoset![i])))).to.equal(true);
      expect(loaded.weightCoset!.every((v, t) => Buffer.from(v).equals(Buffer.from(pk.weightCoset![t])))).to.equal(true);
      const bare: ProvingKey = { ...loaded, fixedCoset: undefined, weightCoset: undefined };
      const bareBytes = encodeProvingKey(bare);
      expect(encodeProvingKey(loaded).length - bareBytes.length).to.equal((layout.NUM_FIXED + layout.WEIGHT_SLOTS) * 4 * n * FR);
      const seeded = () => fieldRng(777n);
      const a = await prove(loaded, witness, { random: seeded() });
      const b = await prove(await decodeProvingKey(bareBytes), witness, { random: seeded() });
      expect(Buffer.from(a.proof).equals(Buffer.from(b.proof))).to.equal(true);
      expect(await verify(pk.vk, a.proof, a.publicInputs)).to.equal(true);
    });

    it("setup makes the same verification key whether it commits from values (Lagrange basis) or from coefficients", async () => {
      const srs = await devSrs(srsSizeFor(pk.vk.logRows));
      const r0 = () => 123456789n;
      const fromValues = await setup(pk.table, srs, { random: r0 });
      const fromCoeffs = await setup(pk.table, srs, { random: r0, withoutLagrangeBasis: true });
      expect(fromValues.lagrangeKey).to.not.equal(undefined);
      expect(Buffer.from(encodeVerificationKey(fromValues.vk)).equals(Buffer.from(encodeVerificationKey(fromCoeffs.vk)))).to.equal(true);
      // The weights matter: other weights give another C_t.
      const weights = pk.table.weights.map((w) => w.slice());
      frSet(weights[0], firstWeightRow(pk.table), 5n);
      const other = await setup({ ...pk.table, weights }, srs, { random: r0 });
      expect(Buffer.from(other.vk.weightCommitments[0]).equals(Buffer.from(fromValues.vk.weightCommitments[0]))).to.equal(false);
    });

    it("without a Lagrange key: n·64 bytes shorter, round-trips, and proves the same bytes", async () => {
      const plain = await setup(pk.table, await devSrs(srsSizeFor(pk.vk.logRows)), { withoutLagrangeBasis: true });
      expect(plain.lagrangeKey).to.equal(undefined);
      const bytes = encodeProvingKey(plain);
      expect(encodeProvingKey(pk).length - bytes.length).to.equal(n * G1);
      const loaded = await decodeProvingKey(bytes);
      expect(loaded.lagrangeKey).to.equal(undefined);
      // Same key with a Lagrange basis grafted on: commitments from values equal those from
      // coefficients, so with the same blinding the two proofs are byte for byte the same.
      const srs = await devSrs(srsSizeFor(pk.vk.logRows));
      const withBasis: ProvingKey = { ...loaded, lagrangeKey: await srs.lagrangeBasis!(pk.vk.logRows) };
      // A different τ: the basis belongs to another SRS, so it must not match this key's powers.
      await expectRejection(decodeProvingKey(encodeProvingKey(withBasis), FULL), /Lagrange key do not give the commitments/);
      const seeded = () => fieldRng(12345n);
      const a = await prove(loaded, witness, { random: seeded() });
      const b = await prove(pk, witness, { random: seeded() });
      expect(await verify(pk.vk, b.proof, b.publicInputs)).to.equal(true);
      expect(await verify(loaded.vk, a.proof, a.publicInputs)).to.equal(true);
      // pk and loaded are different keys (different r₀), so compare each against its own twin.
      const twin = await decodeProvingKey(encodeProvingKey(pk));
      const c = await prove({ ...twin, lagrangeKey: undefined }, witness, { random: seeded() });
      expect(Buffer.from(c.proof).equals(Buffer.from(b.proof))).to.equal(true);
    });

    it("refuses truncated or corrupted files with a clear error", async () => {
      const good = encodeProvingKey(pk);
      await expectRejection(decodeProvingKey(good.subarray(0, good.length - 1)), /has \d+ bytes but its header describes \d+ \(truncated\)/);
      await expectRejection(decodeProvingKey(good.subarray(0, 10)), /truncated: 10 bytes, shorter than its 40-byte header/);
      const longer = new Uint8Array(good.length + 1);
      longer.set(good);
      await expectRejection(decodeProvingKey(longer), /trailing data/);
      for (const at of [HEADER + 100, HEADER + VK_BYTES + 5, good.length - 100, good.length - 1]) {
        const b = good.slice();
        b[at] ^= 0x10;
        await expectRejection(decodeProvingKey(b), /corrupted \(its SHA-256 checksum does not match\)/);
        // A hash the reader computed from these bytes as it read them is held to the same checksum.
        const bodySha256 = createHash("sha256").update(b.subarray(0, b.length - PK_CHECKSUM_BYTES)).digest();
        await expectRejection(decodeProvingKey(b, { bodySha256 }), /corrupted \(its SHA-256 checksum does not match\)/);
      }
      const bodySha256 = createHash("sha256").update(good.subarray(0, good.length - PK_CHECKSUM_BYTES)).digest();
      expect((await decodeProvingKey(good, { bodySha256 })).vkDigest).to.deep.equal(pk.vkDigest);
      bodySha256[0] ^= 1;
      await expectRejection(decodeProvingKey(good, { bodySha256 }), /corrupted \(its SHA-256 checksum does not match\)/);
      const edit = (f: (b: Uint8Array) => void) => {
        const b = good.slice();
        f(b);
        return b;
      };
      await expectRejection(decodeProvingKey(edit((b) => (b[1] = 0))), /not a zkinfer proving key/);
      await expectRejection(decodeProvingKey(edit((b) => (b[4] = 7))), new RegExp(`version 7 is not supported \\(expected ${PK_VERSION}\\)`));
      // The run count: more runs than rows, or a run the file has no bytes for.
      await expectRejection(decodeProvingKey(edit((b) => (b[39] = 1))), /declares 16777216 convolution runs, more than its \d+ rows can hold/);
      await expectRejection(decodeProvingKey(edit((b) => (b[36] = 1))), /has \d+ bytes but its header describes \d+ \(truncated\)/);
      await expectRejection(decodeProvingKey(edit((b) => (b[28] = 3))), /Lagrange key of 3 points/);
      await expectRejection(decodeProvingKey(edit((b) => (b[32] = 3))), /3 coset columns/);
      await expectRejection(decodeProvingKey(edit((b) => (b[8] = 30))), /log2 of the row count is 30/);
      await expectRejection(decodeProvingKey(edit((b) => (b[16] = 18))), /18 fixed columns/);
    });

    it("reads the row count off the header for starting the prover's threads, and nothing off another file", () => {
      const good = encodeProvingKey(pk);
      expect(provingKeyLogRows(good.subarray(0, PK_HEADER_PEEK_BYTES))).to.equal(pk.vk.logRows);
      expect(provingKeyLogRows(good)).to.equal(pk.vk.logRows);
      const edit = (f: (b: Uint8Array) => void) => {
        const b = good.slice(0, PK_HEADER_PEEK_BYTES);
        f(b);
        return b;
      };
      expect(provingKeyLogRows(good.subarray(0, PK_HEADER_PEEK_BYTES - 1))).to.equal(undefined);
      expect(provingKeyLogRows(edit((b) => (b[1] = 0)))).to.equal(undefined);
      expect(provingKeyLogRows(edit((b) => (b[4] = 7)))).to.equal(undefined);
      expect(provingKeyLogRows(edit((b) => (b[8] = 30)))).to.equal(undefined);
      expect(provingKeyLogRows(edit((b) => (b[8] = 0)))).to.equal(undefined);
    });

    it("refuses keys of another version with the same advice", async () => {
      const old = encodeProvingKey(pk);
      new DataView(old.buffer).setUint32(4, PK_VERSION - 1, true);
      await expectRejection(decodeProvingKey(reseal(old)), new RegExp(`version ${PK_VERSION - 1} is not supported \\(expected ${PK_VERSION}\\); keys made by another zkinfer version: compile and run setup again`));
    });

    it("refuses stored fixed coefficients that do not interpolate the stored values, naming the column", async () => {
      const good = encodeProvingKey(pk);
      const fixed = HEADER + VK_BYTES;
      const fixedCoeffs = fixed + layout.NUM_FIXED * n * FR;
      const column = (base: number, col: number) => base + col * n * FR;
      // Coefficient 3 of q_c replaced by another canonical element; the checksum recomputed.
      const qc = layout.FIXED.qC;
      const b = good.slice();
      b.copyWithin(column(fixedCoeffs, qc) + 3 * FR, column(fixed, layout.FIXED.sigmaB) + 9 * FR, column(fixed, layout.FIXED.sigmaB) + 10 * FR);
      expect(Buffer.from(b).equals(Buffer.from(good))).to.equal(false);
      await expectRejection(decodeProvingKey(reseal(b), FULL), new RegExp(`stored coefficients of fixed column ${qc} do not interpolate its values`));
      // A value changed instead, at a row with no public input (so the table stays well-formed).
      const qm = layout.FIXED.qM;
      const c = good.slice();
      c.copyWithin(column(fixed, qm) + (n - 1) * FR, column(fixed, layout.FIXED.sigmaA) + 2 * FR, column(fixed, layout.FIXED.sigmaA) + 3 * FR);
      await expectRejection(decodeProvingKey(reseal(c), FULL), new RegExp(`stored coefficients of fixed column ${qm} do not interpolate its values`));
      // Value and coefficients changed together: they agree, but no longer with the commitment.
      const values = c.slice(column(fixed, qm), column(fixed, qm + 1));
      c.set(await ifft(values, Domain.create(pk.vk.logRows)), column(fixedCoeffs, qm));
      await expectRejection(decodeProvingKey(reseal(c), FULL), /do not give the commitments in its verification key/);
    });

    it("checks the digest by default; the full checks (check-key) also refuse a resealed edit, as KeyConsistencyError", async () => {
      const good = encodeProvingKey(pk);
      const fixed = HEADER + VK_BYTES;
      const weights = fixed + 2 * layout.NUM_FIXED * n * FR;
      const commitKey = weights + layout.WEIGHT_SLOTS * (n * FR + (n + 1) * FR);
      // Commit-key powers 1 and 2 swapped and the checksum recomputed: every part is well-formed.
      const b = good.slice();
      const p1 = b.slice(commitKey + G1, commitKey + 2 * G1);
      b.copyWithin(commitKey + G1, commitKey + 2 * G1, commitKey + 3 * G1);
      b.set(p1, commitKey + 2 * G1);
      reseal(b);
      const loaded = await decodeProvingKey(b);
      expect(loaded.commitKey.size).to.equal(srsSizeFor(pk.vk.logRows));
      const err = await decodeProvingKey(b, FULL).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(KeyConsistencyError);
      expect((err as Error).message).to.match(/do not give the commitments in its verification key/);
      // Without resealing, the default load refuses the same edit by its checksum.
      b.fill(0, b.length - 32);
      await expectRejection(decodeProvingKey(b), /corrupted \(its SHA-256 checksum does not match\)/);
      // The full checks pass an untouched key.
      expect((await decodeProvingKey(good, FULL)).vk.logRows).to.equal(pk.vk.logRows);
    });

    it("loads from a Node Buffer without disturbing it, and proves from it", async () => {
      const bytes = encodeProvingKey(pk);
      const buffer = Buffer.from(bytes);
      const loaded = await decodeProvingKey(buffer);
      const { proof, publicInputs } = await prove(loaded, witness);
      expect(await verify(pk.vk, proof, publicInputs)).to.equal(true);
      expect(buffer.equals(Buffer.from(bytes))).to.equal(true);
    });

    it("refuses a well-sealed file whose parts do not fit together", async () => {
      const good = encodeProvingKey(pk);
      const fixed = HEADER + VK_BYTES;
      const fixedCoeffs = fixed + layout.NUM_FIXED * n * FR;
      const weights = fixedCoeffs + layout.NUM_FIXED * n * FR;
      const weightCoeffs = weights + layout.WEIGHT_SLOTS * n * FR;
      const commitKey = weightCoeffs + layout.WEIGHT_SLOTS * (n + 1) * FR;
      const sealed = (f: (b: Uint8Array) => void) => {
        const b = good.slice();
        f(b);
        return reseal(b);
      };
      // A field element ≥ r.
      await expectRejection(decodeProvingKey(sealed((b) => b.fill(0xff, fixed + 32 * 5, fixed + 32 * 6))), /fixed column 0, element 5, is not a canonical field element/);
      await expectRejection(decodeProvingKey(sealed((b) => b.fill(0xff, fixedCoeffs + n * FR + 32 * 2, fixedCoeffs + n * FR + 32 * 3))), /coefficients of fixed column 1, element 2, is not a canonical/);
      // A weight changed without its polynomial.
      const sigmaA = fixed + layout.FIXED.sigmaA * n * FR;
      const w = firstWeightRow(pk.table);
      await expectRejection(decodeProvingKey(sealed((b) => b.copyWithin(weights + w * FR, sigmaA + 7 * FR, sigmaA + 8 * FR)), FULL), /blinded weight polynomial 0 does not match its weight column/);
      // A weight moved outside the weight rows (hidden computation, gate G6).
      await expectRejection(decodeProvingKey(sealed((b) => b.copyWithin(weights + (n - 1) * FR, sigmaA + 7 * FR, sigmaA + 8 * FR)), FULL), /table is malformed: weight column 0 is nonzero at row/);
      // A selector that is not boolean.
      const qfw = fixed + layout.FIXED.qFW * n * FR;
      await expectRejection(decodeProvingKey(sealed((b) => b.copyWithin(qfw, sigmaA + 7 * FR, sigmaA + 8 * FR)), FULL), /table is malformed: selector q_fw/);
      // Points 3 and 4 of a point list swapped: every point is still valid, the commitments no longer match.
      const swapPoints = (at: number) => (b: Uint8Array) => {
        const p3 = b.slice(at + 3 * G1, at + 4 * G1);
        b.copyWithin(at + 3 * G1, at + 4 * G1, at + 5 * G1);
        b.set(p3, at + 4 * G1);
      };
      await expectRejection(decodeProvingKey(sealed(swapPoints(commitKey)), FULL), /do not give the commitments in its verification key/);
      const lagrange = commitKey + srsSizeFor(pk.vk.logRows) * G1;
      await expectRejection(decodeProvingKey(sealed(swapPoints(lagrange)), FULL), /weights and Lagrange key do not give the commitments/);
      // The coset columns: an element ≥ r, and an element replaced by another field element.
      const coset = lagrange + n * G1;
      expect(good.length - 32 - coset).to.equal((layout.NUM_FIXED + layout.WEIGHT_SLOTS) * 4 * n * FR);
      await expectRejection(decodeProvingKey(sealed((b) => b.fill(0xff, coset + 32 * 9, coset + 32 * 10))), /coset column 0, element 9, is not a canonical/);
      await expectRejection(
        decodeProvingKey(sealed((b) => b.copyWithin(coset + 5 * 4 * n * FR + 7 * FR, sigmaA + 7 * FR, sigmaA + 8 * FR)), FULL),
        /stored coset evaluations are not those of its fixed columns/,
      );
      // A tail power off the curve.
      await expectRejection(decodeProvingKey(sealed((b) => (b[lagrange - 40] ^= 1))), /commit key power \d+: .*not on/);
    });
  });
  /** The table with cells (column, row) set to the given values. */
  const edited = (table: CircuitTable, ...cells: [number, number, bigint][]): CircuitTable => {
    const fixed = table.fixed.map((c) => c.slice());
    for (const [col, row, v] of cells) frSet(fixed[col], row, v);
    return { ...table, fixed };
  };

  describe("table rules checked on setup and on load", () => {
    it("σ must be a permutation of the cell ids", async () => {
      const { FIXED } = layout;
      await validateTable(pk.table);
      const sigmaA = frVecToBigints(pk.table.fixed[FIXED.sigmaA]);
      await expectRejection(validateTable(edited(pk.table, [FIXED.sigmaA, 5, 12345n])), /σ of wire a at row 5 is not a cell id/);
      await expectRejection(validateTable(edited(pk.table, [FIXED.sigmaB, 3, sigmaA[7]])), /σ is not a permutation: cell id at wire b, row 3 appears twice/);
      // A value whose low 53 bits are a cell id's but whose high bits are not.
      const highBit = 1n << 200n;
      const nearId = sigmaA[7] & highBit ? sigmaA[7] - highBit : sigmaA[7] + highBit;
      await expectRejection(validateTable(edited(pk.table, [FIXED.sigmaA, 9, nearId])), /σ of wire a at row 9 is not a cell id/);
    });

    it("σ is checked by whole values when cell ids share a key", async () => {
      const { FIXED } = layout;
      const n = 2 ** pk.table.logRows;
      const colliding = () => 0;
      await checkPermutation(pk.table, n, colliding);
      const sigmaA = frVecToBigints(pk.table.fixed[FIXED.sigmaA]);
      await expectRejection(checkPermutation(edited(pk.table, [FIXED.sigmaA, 5, 12345n]), n, colliding), /σ of wire a at row 5 is not a cell id/);
      await expectRejection(
        checkPermutation(edited(pk.table, [FIXED.sigmaB, 3, sigmaA[7]]), n, colliding),
        /σ is not a permutation: cell id at wire b, row 3 appears twice/,
      );
    });

    it("lookup ids must be below 2^32 and untagged table rows empty", async () => {
      const { FIXED } = layout;
      const tag = frVecToBigints(pk.table.fixed[FIXED.tTag]);
      const untagged = tag.indexOf(0n);
      expect(untagged).to.be.at.least(0);
      await validateTable(edited(pk.table, [FIXED.qLK, 2, (1n << 32n) - 1n]));
      await expectRejection(validateTable(edited(pk.table, [FIXED.qLK, 2, 1n << 32n])), /q_lk at row 2 is 4294967296; table ids must be below 2\^32/);
      await expectRejection(validateTable(edited(pk.table, [FIXED.tTag, 4, 1n << 200n])), new RegExp(`t_tag at row 4 is ${1n << 200n}; table ids must be below`));
      await expectRejection(validateTable(edited(pk.table, [FIXED.tOut, untagged, 5n])), new RegExp(`table row ${untagged} has entries but no table id`));
    });
  });

  describe("Freivalds targets", () => {

    it("pair each W (weight row) and X row with the UV row of its inner index, small or large", async () => {
      const { FIXED } = layout;
      const [qw, qx, quv, ida, idb] = [FIXED.qFWT, FIXED.qFX, FIXED.qFUV, FIXED.idA, FIXED.idB].map((c) => frVecToBigints(pk.table.fixed[c]));
      const uvRow = new Map<bigint, number>();
      quv.forEach((q, row) => q === 1n && uvRow.set(ida[row], row));
      const want = qw.map((w, row) => (w === 1n ? uvRow.get(idb[row])! : qx[row] === 1n ? uvRow.get(ida[row])! : -1));
      expect(want.filter((t) => t >= 0).length).to.be.greaterThan(4);
      expect(Array.from(await freivaldsTargets(pk.table))).to.deep.equal(want);
      // The same pairing with one inner index renamed to a 250-bit number everywhere it occurs.
      const [j, uv] = [...uvRow.entries()][1];
      const big = (1n << 250n) + 3n;
      const renamed: [number, number, bigint][] = [[FIXED.idA, uv, big]];
      qw.forEach((w, row) => w === 1n && idb[row] === j && renamed.push([FIXED.idB, row, big]));
      qx.forEach((x, row) => x === 1n && ida[row] === j && renamed.push([FIXED.idA, row, big]));
      expect(renamed.length).to.be.greaterThan(1);
      expect(Array.from(await freivaldsTargets(edited(pk.table, ...renamed)))).to.deep.equal(want);
      // Renamed in the UV row alone: its W and X rows no longer find it.
      await expectRejection(freivaldsTargets(edited(pk.table, renamed[0])), new RegExp(`Freivalds row ${renamed[1][1]} has inner index ${j} but no UV row carries it`));
    });

    it("refuse two UV rows with one inner index and two W rows with the same indices", async () => {
      const { FIXED } = layout;
      const [qw, quv, ida, idb] = [FIXED.qFWT, FIXED.qFUV, FIXED.idA, FIXED.idB].map((c) => frVecToBigints(pk.table.fixed[c]));
      const uvs = quv.flatMap((q, row) => (q === 1n ? [row] : []));
      const ws = qw.flatMap((w, row) => (w === 1n ? [row] : []));
      await expectRejection(freivaldsTargets(edited(pk.table, [FIXED.idA, uvs[1], ida[uvs[0]]])), new RegExp(`two UV rows \\(${uvs[0]} and ${uvs[1]}\\) carry the same inner index ${ida[uvs[0]]}`));
      const copy = edited(pk.table, [FIXED.idA, ws[1], ida[ws[0]]], [FIXED.idB, ws[1], idb[ws[0]]]);
      await expectRejection(freivaldsTargets(copy), new RegExp(`W rows ${ws[0]} and ${ws[1]} carry the same indices \\(${ida[ws[0]]}, ${idb[ws[0]]}\\)`));
    });
  });
});
