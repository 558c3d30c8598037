// The verification key's digest binds the whole circuit (docs/protocol.md §3.10): every gate
// expression and the protocol version (through the circuit description), the lookup tables and the
// copy constraints (through the fixed commitments), each weight commitment, the public-input layout (count, order,
// visibility, scales) and the table size. Changing any one of them changes the digest, and a proof
// made under one key fails under the other.
import { expect } from "chai";
import { getEngine, R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { frGet, frSet } from "../../../verifier/engine/fr.js";
import { matvec } from "../../../prover/circuits/index.js";
import { devSrs, type Srs } from "../../../prover/srs/index.js";
import {
  circuitDescription,
  circuitDescriptionDigest,
  CIRCUIT_DIGEST,
  ProofFormatError,
  prove,
  setup,
  srsSizeFor,
  verificationKeyDigest,
  verify,
  type CircuitTable,
  type ProvingKey,
  type PublicInputLayout,
  type VerificationKey,
} from "../../../prover/plonkish/index.js";
import { mul } from "../../../verifier/plonkish/expression.js";
import { g1Add, g1Generator } from "../../../prover/engine/g1.js";
import { FIXED, GATES, PROTOCOL } from "../../../verifier/plonkish/layout.js";
import { generateVerifier } from "../../../prover/codegen/index.js";
import { expectRejection } from "../../helpers/assert.js";
import { mixedCircuit } from "../../prover/plonkish/circuits.js";

const PARAMS = matvec.normalizeParams({ m: 3, k: 4, bits: 4, seed: "digest" });
const R0 = () => 0x5eedn;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("plonkish: the verification key's digest binds the whole circuit", function () {
  let srs: Srs;
  let table: CircuitTable;
  let layout: PublicInputLayout;
  let pk: ProvingKey;
  let proof: { proof: Uint8Array; publicInputs: bigint[] };

  before(async () => {
    const built = matvec.build(PARAMS, matvec.parseInput(PARAMS, [[3, -1, 4, -5]]));
    table = built.table;
    layout = matvec.publicInputLayout(PARAMS);
    srs = await devSrs(srsSizeFor(table.logRows + 1));
    pk = await setup(table, srs, { random: R0, publicInputLayout: layout });
    proof = await prove(pk, built.witness);
    expect(await verify(pk.vk, proof.proof, proof.publicInputs)).to.equal(true);
    // The same inputs give the same key: only the change under test differs below.
    expect(hex((await setup(table, srs, { random: R0, publicInputLayout: layout })).vkDigest)).to.equal(hex(pk.vkDigest));
  });
  after(releaseEngine);

  /** `other` has another digest, and the proof made under `pk` does not verify under it. */
  async function expectUnbound(other: VerificationKey, what: string): Promise<void> {
    expect(hex(verificationKeyDigest(other)), what).to.not.equal(hex(pk.vkDigest));
    let accepted: boolean;
    try {
      accepted = await verify(other, proof.proof, proof.publicInputs);
    } catch (err) {
      expect(err, what).to.be.instanceOf(ProofFormatError);
      accepted = false;
    }
    expect(accepted, what).to.equal(false);
  }

  it("every gate expression and the protocol version: a changed one is another circuit description, refused by the verifier and the code generator", async () => {
    const description = circuitDescription();
    expect(hex(circuitDescriptionDigest(description))).to.equal(hex(CIRCUIT_DIGEST));
    expect(description).to.include(`protocol ${PROTOCOL}\n`);
    for (const gate of GATES) expect(description, gate.name).to.include(`gate ${gate.name} (`);
    const changed = [
      ...GATES.map((g, i) => [`gate ${g.name}`, circuitDescription(GATES.map((h, j) => (j === i ? { ...h, expr: mul(2, h.expr) } : h)))] as const),
      ["protocol version", circuitDescription(GATES, "zkinfer-plonkish-v8")] as const,
    ];
    const digests = new Set([hex(CIRCUIT_DIGEST)]);
    for (const [what, text] of changed) {
      const digest = circuitDescriptionDigest(text);
      digests.add(hex(digest));
      const other: VerificationKey = { ...pk.vk, circuitDigest: digest };
      await expectUnbound(other, what);
      await expectRejection(verify(other, proof.proof, proof.publicInputs), /another circuit description .*run setup again/);
      expect(() => generateVerifier(other), what).to.throw(/another circuit description/);
    }
    expect(digests.size).to.equal(changed.length + 1);
  });

  it("a lookup table entry, an input row's table id, and a copy constraint (fixed columns)", async () => {
    const column = (col: number) => table.fixed[col];
    const rowWhere = (col: number, pred: (v: bigint) => boolean) => {
      for (let row = 0; ; row++) if (pred(frGet(column(col), row))) return row;
    };
    const tableRow = rowWhere(FIXED.tTag, (v) => v !== 0n);
    const inputRow = rowWhere(FIXED.qLK, (v) => v !== 0n);
    const edits: [string, (fixed: Uint8Array[]) => void][] = [
      ["lookup table entry t_out", (f) => frSet(f[FIXED.tOut], tableRow, (frGet(f[FIXED.tOut], tableRow) + 1n) % R)],
      ["lookup input's table id q_lk", (f) => frSet(f[FIXED.qLK], inputRow, frGet(f[FIXED.qLK], inputRow) + 1n)],
      [
        "copy constraint (two σ_a entries swapped)",
        (f) => {
          const [x, y] = [frGet(f[FIXED.sigmaA], 1), frGet(f[FIXED.sigmaA], 2)];
          frSet(f[FIXED.sigmaA], 1, y);
          frSet(f[FIXED.sigmaA], 2, x);
        },
      ],
    ];
    for (const [what, edit] of edits) {
      const fixed = table.fixed.map((c) => c.slice());
      edit(fixed);
      const other = await setup({ ...table, fixed }, srs, { random: R0, publicInputLayout: layout });
      await expectUnbound(other.vk, what);
    }
  });

  it("each of the K weight commitments: another [C_t]₁ alone is another key (λ is drawn after every slot's weights)", async () => {
    const curve = await getEngine();
    for (let t = 0; t < pk.vk.weightCommitments.length; t++) {
      const weightCommitments = pk.vk.weightCommitments.map((c, s) => (s === t ? g1Add(curve, c, g1Generator(curve)) : c));
      await expectUnbound({ ...pk.vk, weightCommitments }, `weight commitment C_${t}`);
    }
  });

  it("the public-input layout: order, visibility, scales and count", async () => {
    const [input, output] = layout.ranges;
    const variants: [string, PublicInputLayout][] = [
      ["order (roles swapped)", { ...layout, ranges: [{ ...input, role: "output" }, { ...output, role: "input" }] }],
      ["visibility (the output range undeclared)", { ...layout, ranges: [input] }],
      ["visibility (no meaning declared)", { count: layout.count, ranges: [] }],
      ["scales of the outputs", { ...layout, ranges: [input, { ...output, scales: [{ count: output.count, scale: 3 }] }] }],
      ["scales split into runs", { ...layout, ranges: [input, { ...output, scales: [{ count: 1, scale: 0 }, { count: output.count - 1, scale: 0 }] }] }],
    ];
    const digests = new Set([hex(pk.vk.publicInputLayoutDigest)]);
    for (const [what, variant] of variants) {
      const other = await setup(table, srs, { random: R0, publicInputLayout: variant });
      digests.add(hex(other.vk.publicInputLayoutDigest));
      await expectUnbound(other.vk, what);
    }
    expect(digests.size).to.equal(variants.length + 1);
    // The count must be the table's: a layout for another ℓ is refused at setup.
    await expectRejection(setup(table, srs, { publicInputLayout: { ...layout, count: layout.count + 1 } }), /describes 8 public inputs, the circuit has 7/);
    await expectUnbound({ ...pk.vk, publicInputCount: pk.vk.publicInputCount - 1 }, "public-input count");
  });

  it("the table size: the same circuit padded to twice the rows", async () => {
    const shape = { m: 2, k: 3, P: 2, seed: 9, logRows: 5 };
    const small = mixedCircuit(shape);
    const large = mixedCircuit({ ...shape, logRows: 6 });
    const smallKey = await setup(small.table, srs, { random: R0 });
    const largeKey = await setup(large.table, srs, { random: R0 });
    const made = await prove(smallKey, small.witness);
    expect(await verify(smallKey.vk, made.proof, made.publicInputs)).to.equal(true);
    expect(hex(largeKey.vkDigest)).to.not.equal(hex(smallKey.vkDigest));
    expect(await verify(largeKey.vk, made.proof, made.publicInputs)).to.equal(false);
    // Only the size differs: the 2^5 key's points claiming 2^6 rows are another key too.
    const relabelled = { ...smallKey.vk, logRows: 6 };
    expect(hex(verificationKeyDigest(relabelled))).to.not.equal(hex(smallKey.vkDigest));
    expect(await verify(relabelled, made.proof, made.publicInputs)).to.equal(false);
  });
});
