// Soundness, one constraint at a time: a witness that breaks exactly one constraint (arithmetic,
// copy, matrix product, lookup, public input, weight link) is refused by the prover's self-check
// with the right gate named, and the proof a cheating prover makes anyway (skipSelfCheck) is
// rejected by the verifier. Then adaptive cheats: challenges drawn too early, and a Freivalds
// error tuned to challenges the cheater guessed.
import { expect } from "chai";
import { R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { frVecEquals, frVecToBigints } from "../../../verifier/engine/fr.js";
import { g1Concat } from "../../../prover/engine/g1.js";
import { devSrs, type Srs } from "../../../prover/srs/index.js";
import {
  decodeProof,
  prove,
  setup,
  srsSizeFor,
  UnsatisfiedError,
  verify,
  type CircuitTable,
  type ProvingKey,
} from "../../../prover/plonkish/index.js";
import { PHASES, PROTOCOL } from "../../../verifier/plonkish/layout.js";
import { proofSchedule, proofTranscript } from "../../../verifier/plonkish/schedule.js";
import { Transcript, TranscriptError } from "../../../verifier/transcript/index.js";
import { expectRejection } from "../../helpers/assert.js";
import { freivaldsWeight, invisibleError, mixedCircuit, type Cheat, type FreivaldsChallenges, type MixedCircuit } from "./circuits.js";

const SHAPE = { m: 2, k: 3, P: 2, seed: 31, logRows: 5 } as const;

function expectSameTable(a: CircuitTable, b: CircuitTable): void {
  expect(a.logRows).to.equal(b.logRows);
  expect(a.publicInputCount).to.equal(b.publicInputCount);
  a.fixed.forEach((col, i) => expect(frVecEquals(col, b.fixed[i]), `fixed column ${i}`).to.equal(true));
  a.weights.forEach((col, t) => expect(frVecEquals(col, b.weights[t]), `weight column ${t}`).to.equal(true));
}

/** Number of wire cells (a, b, c) in which two witnesses differ. */
function changedCells(x: MixedCircuit, y: MixedCircuit): number {
  let count = 0;
  for (const w of ["a", "b", "c"] as const) {
    const [u, v] = [frVecToBigints(x.witness[w]), frVecToBigints(y.witness[w])];
    u.forEach((value, row) => (count += value === v[row] ? 0 : 1));
  }
  return count;
}

/** β, δ, λ as a transcript derives them from these phase-1 commitments. */
function phaseOneChallenges(pk: ProvingKey, proof: Uint8Array, publicInputs: readonly bigint[]): FreivaldsChallenges {
  const t = proofTranscript(pk.vkDigest, publicInputs);
  const commitments = decodeProof(proof).commitments.slice(0, PHASES[0].columns.length);
  t.absorbG1Lem("phase1", g1Concat(commitments));
  const drawn = t.challenges("phase1", PHASES[0].challenges.length);
  const at = (name: string): bigint => drawn[PHASES[0].challenges.indexOf(name)];
  return { beta: at("beta"), delta: at("delta"), lambda: at("lambda") };
}

describe("plonkish: soundness", function () {
  let srs: Srs;
  let honest: MixedCircuit;
  let pk: ProvingKey;

  before(async () => {
    srs = await devSrs(srsSizeFor(SHAPE.logRows));
    honest = mixedCircuit(SHAPE);
    pk = await setup(honest.table, srs);
  });
  after(releaseEngine);

  it("control: the honest witness of the circuit the cheats start from verifies", async () => {
    const { proof, publicInputs } = await prove(pk, honest.witness);
    expect(await verify(pk.vk, proof, publicInputs)).to.equal(true);
  });

  const cases: { name: string; cheat: Cheat; gate: string; row?: (c: MixedCircuit) => number }[] = [
    { name: "arithmetic gate (a mul row's c is wrong)", cheat: { kind: "arithmetic" }, gate: "arithmetic", row: (c) => c.rows.mul },
    { name: "copy constraint (a copied cell holds another value)", cheat: { kind: "copy" }, gate: "permutation" },
    { name: "Freivalds matrix product (one Y cell, in slot 1 of its packed output index, is wrong)", cheat: { kind: "freivalds", errors: [{ i: 1, p: 0, delta: 1n }] }, gate: "freivalds" },
    { name: "lookup (the range-checked value is 2^bits)", cheat: { kind: "lookup" }, gate: "lookup", row: (c) => c.rows.range },
    { name: "public input (the claimed x₀ is not the cell's value)", cheat: { kind: "public-input" }, gate: "arithmetic", row: () => 0 },
  ];

  for (const { name, cheat, gate, row } of cases) {
    it(`${name}: the self-check names "${gate}", and the skipSelfCheck proof is rejected`, async () => {
      const c = mixedCircuit({ ...SHAPE, cheat });
      // The cheat changes only the witness: the same key serves the honest and the cheating prover.
      expectSameTable(c.table, honest.table);
      const changed = changedCells(c, honest);
      expect(changed > 0 || cheat.kind === "public-input", "the witness changed").to.equal(true);
      // The copy cheat changes a single cell (and nothing that any other gate reads).
      if (cheat.kind === "copy") expect(changed).to.equal(1);

      const err = await expectRejection(prove(pk, c.witness), /fails at row|not in its table/);
      expect(err).to.be.instanceOf(UnsatisfiedError);
      expect((err as UnsatisfiedError).gate).to.equal(gate);
      if (row) expect((err as UnsatisfiedError).row).to.equal(row(c));

      const { proof, publicInputs } = await prove(pk, c.witness, { skipSelfCheck: true });
      expect(publicInputs).to.deep.equal([...c.witness.publicInputs]);
      expect(await verify(pk.vk, proof, publicInputs)).to.equal(false);
    });
  }

  it("public input: the cheating proof is rejected for the cells' true values too", async () => {
    const c = mixedCircuit({ ...SHAPE, cheat: { kind: "public-input" } });
    const { proof } = await prove(pk, c.witness, { skipSelfCheck: true });
    expect(await verify(pk.vk, proof, honest.witness.publicInputs)).to.equal(false);
  });

  describe("weight link", () => {
    let other: MixedCircuit;

    before(() => {
      // Same layout and inputs, other weights: a prover that swaps the committed model for another.
      other = mixedCircuit({ ...SHAPE, weightSeed: 777 });
      other.table.fixed.forEach((col, i) => expect(frVecEquals(col, honest.table.fixed[i])).to.equal(true));
      expect(frVecEquals(other.table.weights[0], honest.table.weights[0])).to.equal(false);
    });

    it("a proving key whose weights differ from what the VK's C commits to gives proofs the VK rejects", async () => {
      // Every other gate holds: Ŵ′ carries the other weights and Y = W_other·X. (The prover
      // derives Ŵ′ from the C_t unless told to take it from the table, as a cheater would.)
      const swapped: ProvingKey = { ...pk, table: { ...pk.table, weights: other.table.weights } };
      const { proof, publicInputs } = await prove(swapped, other.witness, { skipSelfCheck: true, weightsFromTable: true });
      expect(await verify(pk.vk, proof, publicInputs)).to.equal(false);
      // The self-check compares W′ with the committed polynomial's values on H, so it names the gate.
      const error = await expectRejection(prove(swapped, other.witness, { weightsFromTable: true }), /weight-link/);
      expect(error).to.be.instanceOf(UnsatisfiedError);
      expect((error as UnsatisfiedError).gate).to.equal("weight-link");
    });

    it("the other weights' own key accepts the same statement, but its proof does not verify under the first VK", async () => {
      const otherPk = await setup(other.table, srs);
      const { proof, publicInputs } = await prove(otherPk, other.witness);
      expect(await verify(otherPk.vk, proof, publicInputs)).to.equal(true);
      expect(await verify(pk.vk, proof, publicInputs)).to.equal(false);
    });
  });

  describe("adaptive cheats", () => {
    /** β, δ, λ as the cheater predicts them: drawn from the honest proof's phase-1 commitments. */
    async function guessedChallenges(): Promise<FreivaldsChallenges> {
      const honestProof = await prove(pk, honest.witness);
      return phaseOneChallenges(pk, honestProof.proof, honestProof.publicInputs);
    }

    /**
     * Y changed by `errors` (the table unchanged): the prover's self-check names the Freivalds gate,
     * and the proof made anyway does not verify. Returns the challenges that proof drew.
     */
    async function expectYErrorsCaught(errors: { i: number; p: number; delta: bigint }[]): Promise<FreivaldsChallenges> {
      const c = mixedCircuit({ ...SHAPE, cheat: { kind: "freivalds", errors } });
      expectSameTable(c.table, honest.table);
      const err = await expectRejection(prove(pk, c.witness), /fails at row/);
      expect((err as UnsatisfiedError).gate).to.equal("freivalds");
      const { proof, publicInputs } = await prove(pk, c.witness, { skipSelfCheck: true });
      expect(await verify(pk.vk, proof, publicInputs)).to.equal(false);
      return phaseOneChallenges(pk, proof, publicInputs);
    }
    it("the proof schedule refuses every challenge drawn before its phase's commitments are absorbed", async () => {
      const { proof, publicInputs } = await prove(pk, honest.witness);
      const decoded = decodeProof(proof);
      const t = proofTranscript(pk.vkDigest, publicInputs);
      let next = 0;
      for (const phase of PHASES) {
        expect(() => t.challenges(phase.label, phase.challenges.length), `${phase.label} challenge first`).to.throw(TranscriptError);
        expect(() => t.challenge("zeta"), `zeta during ${phase.label}`).to.throw(TranscriptError);
        const points = decoded.commitments.slice(next, next + phase.columns.length);
        next += points.length;
        // A refused call leaves the transcript usable: the right operation still goes through.
        t.absorbG1Lem(phase.label, g1Concat(points));
        expect(() => t.absorbG1Lem(phase.label, g1Concat(points)), `${phase.label} absorbed twice`).to.throw(TranscriptError);
        expect(t.challenges(phase.label, phase.challenges.length)).to.have.length(phase.challenges.length);
      }
      expect(() => t.challenge("zeta"), "zeta before the quotient").to.throw(TranscriptError);
      t.absorbG1Lem("quotient", g1Concat(decoded.commitments.slice(next)));
      expect(() => t.challenges("shplonk-gamma", 2), "shplonk-gamma before the evaluations").to.throw(TranscriptError);
      t.challenge("zeta");
      expect(() => t.challenges("shplonk-gamma", 2), "shplonk-gamma before the evaluations").to.throw(TranscriptError);
      t.absorbScalars("evals", decoded.evaluations);
      t.challenges("shplonk-gamma", 2);
      // z is drawn only after W is absorbed, and the transcript ends with W′.
      expect(() => t.challenge("shplonk-z"), "shplonk-z before W").to.throw(TranscriptError);
      t.absorbG1Lem("shplonk-w", decoded.witnesses[0]);
      expect(() => t.absorbG1Lem("shplonk-w2", decoded.witnesses[1]), "W′ before z").to.throw(TranscriptError);
      t.challenge("shplonk-z");
      expect(() => t.assertScheduleComplete()).to.throw(TranscriptError);
      t.absorbG1Lem("shplonk-w2", decoded.witnesses[1]);
      t.assertScheduleComplete();

      // The schedule itself: every challenge label comes right after the absorb of its phase.
      const steps = proofSchedule();
      for (const phase of PHASES) {
        const at = steps.findIndex((s) => s.op === "challenge" && s.label === phase.label);
        expect(steps[at - 1]).to.deep.equal({ op: "g1", label: phase.label });
      }
      // A transcript with the schedule hashes exactly like one without it.
      const plain = new Transcript(PROTOCOL);
      plain.absorbBytes("vk", pk.vkDigest);
      plain.absorbScalars("public-inputs", publicInputs);
      expect(plain.state).to.deep.equal(proofTranscript(pk.vkDigest, publicInputs).state);
    });

    it("a Freivalds error invisible for the β, δ the cheater predicted (from the honest commitments) is caught", async () => {
      // The cheater predicts β, δ from the honest phase-1 commitments, then picks
      // E = E₁ at (i₁, p₁) and E₂ at (i₂, p₂) with E₁/((β−i₁)(δ−p₁)) + E₂/((β−i₂)(δ−p₂)) = 0.
      const guess = await guessedChallenges();
      const e1 = { e: honest.y[0][0], delta: 123456789n };
      const e2 = { e: honest.y[1][1], delta: invisibleError(honest.y[0][0], honest.y[1][1], guess, e1.delta) };
      expect(e2.delta).to.not.equal(0n);
      expect(freivaldsWeight([e1, e2], guess), "invisible under the guess").to.equal(0n);

      const actual = await expectYErrorsCaught([
        { i: 0, p: 0, delta: e1.delta },
        { i: 1, p: 1, delta: e2.delta },
      ]);
      // Committing to the changed Y moved β, δ away from the guess: E is visible there.
      expect(actual.beta).to.not.equal(guess.beta);
      expect(freivaldsWeight([e1, e2], actual)).to.not.equal(0n);
    });

    it("an error cancelling for one β only (two entries in one row of Y) is caught as well", async () => {
      // E₁/(δ−p₁) + E₂/(δ−p₂) = 0 for the guessed δ, whatever β is.
      const guess = await guessedChallenges();
      const e1 = { e: honest.y[1][0], delta: R - 5n };
      const e2 = { e: honest.y[1][1], delta: invisibleError(honest.y[1][0], honest.y[1][1], guess, e1.delta) };
      expect(freivaldsWeight([e1, e2], { ...guess, beta: 42n })).to.equal(0n);
      const c = mixedCircuit({
        ...SHAPE,
        cheat: {
          kind: "freivalds",
          errors: [
            { i: 1, p: 0, delta: e1.delta },
            { i: 1, p: 1, delta: e2.delta },
          ],
        },
      });
      const { proof, publicInputs } = await prove(pk, c.witness, { skipSelfCheck: true });
      expect(await verify(pk.vk, proof, publicInputs)).to.equal(false);
    });

    it("errors in two slots of one packed output index that cancel for a λ fixed in advance are caught (λ is drawn after Y)", async () => {
      // Y_((i_b,0),p) += δ₀ and Y_((i_b,1),p) += δ₁ with δ₁ = −(κ₀/κ₁)·δ₀ for the λ the cheater
      // predicts from the honest commitments: invisible for that λ whatever β and δ are. The
      // changed Y moves λ (it is drawn after the phase-1 wires), and with it the cancellation.
      const [y0, y1] = [honest.y[0][1], honest.y[1][1]];
      expect([y0.i, y0.p, y0.t, y1.t]).to.deep.equal([y1.i, y1.p, 0n, 1n]);
      const guess = await guessedChallenges();
      const e1 = { e: y0, delta: 987654321n };
      const e2 = { e: y1, delta: invisibleError(y0, y1, guess, e1.delta) };
      expect(e2.delta).to.not.equal(0n);
      for (const other of [{ beta: 7n, delta: 11n }, { beta: guess.delta, delta: guess.beta }]) {
        expect(freivaldsWeight([e1, e2], { ...guess, ...other }), "invisible for the guessed λ, any β, δ").to.equal(0n);
      }
      const actual = await expectYErrorsCaught([
        { i: 0, p: 1, delta: e1.delta },
        { i: 1, p: 1, delta: e2.delta },
      ]);
      expect(actual.lambda).to.not.equal(guess.lambda);
      expect(freivaldsWeight([e1, e2], actual)).to.not.equal(0n);
    });
  });
});
