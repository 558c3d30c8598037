// Review of K = 8 (protocol v6): a vk.bin or pk.bin that a K = 4 build wrote must be refused with an
// error that names the cause (another zkinfer version: run setup again), not only a length that
// differs (which read "truncated?" for a complete vk.bin). The K = 4 files are rebuilt here from a
// K = 8 key byte for byte as a K = 4 build lays them out: the same header and fixed columns, four
// weight commitments, columns and polynomials instead of eight, and that build's version numbers
// (vk.bin 5, pk.bin 8; checked against files a K = 4 build wrote: 2084-byte vk.bin, pk.bin header
// with a 2084-byte key and 26 coset columns).
import { expect } from "chai";
import { createHash } from "node:crypto";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { G1_BYTES } from "../../verifier/engine/encoding.js";
import { FR_BYTES } from "../../verifier/engine/fr.js";
import { matvec } from "../../prover/circuits/index.js";
import { decodeProvingKey, decodeVerificationKey, encodeProvingKey, encodeVerificationKey, KeyFileError, layout, PK_VERSION, provingKeyLogRows, setup, srsSizeFor, VK_BYTES, type ProvingKey } from "../../prover/plonkish/index.js";
import { VK_MAGIC } from "../../verifier/plonkish/verification-key.js";
import { EXTENSION } from "../../verifier/plonkish/layout.js";
import { devSrs } from "../../prover/srs/index.js";
import { expectRejection } from "../helpers/assert.js";

const { NUM_FIXED, WEIGHT_SLOTS } = layout;
const OLD_SLOTS = 4;
const OLD_VK_VERSION = 5;
const OLD_PK_VERSION = 8;
const G2_BYTES = 128;
const PK_HEADER_BYTES = 40;
/** vk.bin's bytes before the weight commitments: magic, k, ℓ, insecure, two digests, the fixed commitments. */
const VK_WEIGHTS_AT = 4 + 3 * 32 + 2 * 32 + NUM_FIXED * G1_BYTES;
const OLD_VK_BYTES = VK_WEIGHTS_AT + OLD_SLOTS * G1_BYTES + 2 * G2_BYTES;

/** The K = 4 vk.bin of the same circuit: the first four weight commitments, version 5. */
function oldVerificationKey(current: Uint8Array): Uint8Array {
  const old = new Uint8Array(OLD_VK_BYTES);
  old.set(current.subarray(0, VK_WEIGHTS_AT + OLD_SLOTS * G1_BYTES));
  old.set(current.subarray(current.length - 2 * G2_BYTES), VK_WEIGHTS_AT + OLD_SLOTS * G1_BYTES);
  old[3] = OLD_VK_VERSION;
  return old;
}

/** The K = 4 pk.bin: header (version 8, a K = 4 vk.bin, NUM_FIXED + 4 coset columns), four weight columns and polynomials. */
function oldProvingKey(current: Uint8Array, n: number): Uint8Array {
  const header = new DataView(current.buffer, current.byteOffset, PK_HEADER_BYTES);
  const [keySize, lagrangeSize, cosetColumns] = [20, 28, 32].map((at) => header.getUint32(at, true));
  const parts: Uint8Array[] = [];
  let at = 0;
  const take = (bytes: number, keep = bytes): void => {
    parts.push(current.slice(at, at + keep));
    at += bytes;
  };
  take(PK_HEADER_BYTES);
  parts.push(oldVerificationKey(current.subarray(at, at + VK_BYTES)));
  at += VK_BYTES;
  take(2 * NUM_FIXED * n * FR_BYTES);
  take(WEIGHT_SLOTS * n * FR_BYTES, OLD_SLOTS * n * FR_BYTES);
  take(WEIGHT_SLOTS * (n + 1) * FR_BYTES, OLD_SLOTS * (n + 1) * FR_BYTES);
  take((keySize + lagrangeSize) * G1_BYTES);
  const oldCoset = cosetColumns === 0 ? 0 : NUM_FIXED + OLD_SLOTS;
  take(cosetColumns * EXTENSION * n * FR_BYTES, oldCoset * EXTENSION * n * FR_BYTES);
  take(current.length - 32 - at);
  const body = Buffer.concat(parts);
  const view = new DataView(body.buffer, body.byteOffset, PK_HEADER_BYTES);
  view.setUint32(4, OLD_PK_VERSION, true);
  view.setUint32(24, OLD_VK_BYTES, true);
  view.setUint32(32, oldCoset, true);
  return new Uint8Array(Buffer.concat([body, createHash("sha256").update(body).digest()]));
}

describe("review: key files of a K = 4 build under K = 8", () => {
  let pk: ProvingKey;

  before(async () => {
    const params = matvec.normalizeParams({ m: 3, k: 4, bits: 4, seed: "k4-keys" });
    const built = matvec.build(params, matvec.parseInput(params, [[3, -1, 4, -5]]));
    pk = await setup(built.table, await devSrs(srsSizeFor(built.table.logRows)));
  });

  after(releaseEngine);

  it("the file formats changed with K, so their version numbers did", () => {
    expect(WEIGHT_SLOTS).to.not.equal(OLD_SLOTS);
    expect(VK_BYTES).to.not.equal(OLD_VK_BYTES);
    expect(VK_MAGIC[3]).to.not.equal(OLD_VK_VERSION);
    expect(PK_VERSION).to.not.equal(OLD_PK_VERSION);
  });

  it("refuses a K = 4 vk.bin naming another zkinfer version, not a truncation", () => {
    const old = oldVerificationKey(encodeVerificationKey(pk.vk));
    expect(old.length).to.equal(2084);
    const message = `verification key version ${OLD_VK_VERSION} is not supported (expected ${VK_MAGIC[3]}); keys made by another zkinfer version: compile and run setup again`;
    expect(() => decodeVerificationKey(old)).to.throw(KeyFileError).with.property("message", message);
  });

  it("refuses a K = 4 pk.bin naming another zkinfer version, and does not start the prover's threads for it", async () => {
    const current = encodeProvingKey(pk);
    const old = oldProvingKey(current, 2 ** pk.vk.logRows);
    expect(current.length - old.length).to.be.above(0);
    expect(provingKeyLogRows(old)).to.equal(undefined);
    await expectRejection(decodeProvingKey(old), new RegExp(`^proving key version ${OLD_PK_VERSION} is not supported \\(expected ${PK_VERSION}\\); keys made by another zkinfer version: compile and run setup again$`));
  });
});
