// Invariants of the universal layout the prover and verifier share, and setup's refusals of
// tables and SRSs that would break them.
import { expect } from "chai";
import { R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { frSet } from "../../../verifier/engine/fr.js";
import { devSrs, type Srs } from "../../../prover/srs/index.js";
import { challengeNames, degree, queries, query, weightDegree } from "../../../verifier/plonkish/expression.js";
import {
  ADVICE,
  blindingOf,
  checkGateOpenings,
  COLUMN_NAMES,
  evaluationIndex,
  EXTENSION,
  FIXED,
  GATES,
  lastChunkLength,
  MAX_DEGREE,
  NEXT_ROW_COLUMNS,
  numeratorDegree,
  NUM_COLUMNS,
  NUM_EVALUATIONS,
  NUM_FIXED,
  PHASES,
  QUOTIENT_CHUNKS,
  SLOT_CHALLENGES,
  slotChallenges,
  WEIGHT_SLOTS,
  type Gate,
} from "../../../verifier/plonkish/layout.js";
import { CircuitError, MIN_LOG_ROWS, PROOF_BYTES, prove, setup, srsSizeFor, verify, type CircuitTable } from "../../../prover/plonkish/index.js";
import { expectRejection } from "../../helpers/assert.js";
import { mixedCircuit } from "../../prover/plonkish/circuits.js";

describe("plonkish: layout invariants", function () {
  after(releaseEngine);

  it("every gate has degree ≤ MAX_DEGREE, and the quotient's chunks and coset fit that degree", () => {
    for (const gate of GATES) expect(degree(gate.expr), gate.name).to.be.at.most(MAX_DEGREE);
    // The permutation gate reaches the bound, so it is not loose either.
    expect(Math.max(...GATES.map((g) => degree(g.expr)))).to.equal(MAX_DEGREE);
    expect(QUOTIENT_CHUNKS).to.equal(MAX_DEGREE - 1);
    for (let k = MIN_LOG_ROWS; k <= 20; k++) {
      const n = 2 ** k;
      const degT = numeratorDegree(n) - n;
      // The numerator is at most MAX_DEGREE blinded columns (each of degree < n + blinding) times …
      expect(numeratorDegree(n), `deg N at n = ${n}`).to.be.at.most(MAX_DEGREE * (n - 1 + Math.max(...Object.values(ADVICE).map(blindingOf))) + 1);
      // t is determined by its values on the coset of EXTENSION·n points,
      expect(degT, `deg t at n = ${n}`).to.be.lessThan(EXTENSION * n);
      // its chunks hold every coefficient (n, n, and the rest in the last one),
      expect((QUOTIENT_CHUNKS - 1) * n + lastChunkLength(n)).to.equal(degT + 1);
      expect(lastChunkLength(n)).to.be.greaterThan(n);
      // and the SRS is large enough for the longest committed polynomial.
      expect(srsSizeFor(k)).to.be.at.least(Math.max(lastChunkLength(n), n + 1, ...Object.values(ADVICE).map((c) => n + blindingOf(c))));
    }
  });

  it("the weight polynomial C appears linearly (weightDegree ≤ 1), in the weight-link gate only", () => {
    for (const gate of GATES) expect(weightDegree(gate.expr), gate.name).to.be.at.most(1);
    expect(GATES.filter((g) => weightDegree(g.expr) === 1).map((g) => g.name)).to.deep.equal(["weight-link"]);
  });

  it("the columns queried at rotation 1 across all gates are exactly NEXT_ROW_COLUMNS, in column order", () => {
    const next = new Set<number>();
    for (const gate of GATES) for (const q of queries(gate.expr)) if (q.rot === 1) next.add(q.col);
    expect([...next].sort((a, b) => a - b)).to.deep.equal([...NEXT_ROW_COLUMNS]);
    expect([...NEXT_ROW_COLUMNS]).to.deep.equal([ADVICE.a, ADVICE.p, ADVICE.z, ADVICE.acc, ADVICE.phi]);
    // Every query is of a real column at rotation 0 or 1.
    for (const gate of GATES) {
      for (const q of queries(gate.expr)) {
        expect(q.col).to.be.within(0, NUM_COLUMNS - 1);
        expect([0, 1]).to.include(q.rot);
      }
    }
  });

  it("a gate that reads a column at a rotation the proof does not open is refused at key build, never read as another value", async () => {
    expect(() => checkGateOpenings()).to.not.throw();
    const unopened: Gate = { name: "reads b(ωX)", meaning: "", expr: query(ADVICE.b, 1) };
    expect(() => checkGateOpenings([...GATES, unopened])).to.throw(CircuitError, /gate "reads b\(ωX\)": a gate reads column b at ωX, but the proof does not open it at ωζ/);
    // The verifier's and the code generator's lookup of an evaluation throws the same way.
    expect(() => evaluationIndex(ADVICE.b, 1)).to.throw(CircuitError, /does not open it at ωζ/);
    expect(evaluationIndex(ADVICE.a, 1)).to.equal(NUM_COLUMNS);
    expect(evaluationIndex(ADVICE.phi, 1)).to.equal(NUM_EVALUATIONS - 1);
    expect(evaluationIndex(ADVICE.b, 0)).to.equal(ADVICE.b);
  });

  it("gates use only challenges drawn in some phase (θ κ α η β δ λ ψ | γ μ | y) or derived from λ, and gate names are unique", () => {
    const drawn = new Set([...PHASES.flatMap((p) => p.challenges), ...SLOT_CHALLENGES]);
    for (const gate of GATES) for (const name of challengeNames(gate.expr)) expect(drawn.has(name), `${gate.name} uses ${name}`).to.equal(true);
    expect(new Set(GATES.map((g) => g.name)).size).to.equal(GATES.length);
    expect(PHASES.flatMap((p) => p.challenges)).to.deep.equal(["theta", "kappa", "alpha", "eta", "beta", "delta", "lambda", "psi", "gamma", "mu", "y"]);
  });

  it("λ's derived challenges: κ_t·(λ − t) = λ and λ⁻¹·λ = 1, and λ ∈ {0, …, K − 1} is a pole (null: the prover restarts, the verifiers reject)", () => {
    for (const lambda of [BigInt(WEIGHT_SLOTS) + 3n, 123456789n, R - 1n]) {
      const slots = slotChallenges(lambda)!;
      expect([...slots.keys()]).to.deep.equal([...SLOT_CHALLENGES]);
      expect((slots.get("lambdaInv")! * lambda) % R).to.equal(1n);
      for (let t = 1; t < WEIGHT_SLOTS; t++) expect((slots.get(`slot${t}`)! * ((lambda - BigInt(t) + R) % R)) % R).to.equal(lambda);
    }
    for (let t = 0; t < WEIGHT_SLOTS; t++) expect(slotChallenges(BigInt(t)), `λ = ${t}`).to.equal(null);
    expect(slotChallenges(BigInt(WEIGHT_SLOTS))).to.not.equal(null);
  });

  it("the column set and the proof size are the universal ones (22 fixed + 11 advice, 38 evaluations, 2244 bytes)", () => {
    expect(NUM_FIXED).to.equal(22);
    expect(NUM_COLUMNS).to.equal(33);
    expect(COLUMN_NAMES).to.have.length(NUM_COLUMNS);
    expect(Object.values(FIXED)).to.deep.equal([...Array(NUM_FIXED).keys()]);
    expect(Object.values(ADVICE)).to.deep.equal([...Array(NUM_COLUMNS - NUM_FIXED).keys()].map((i) => NUM_FIXED + i));
    // Every advice column is committed in exactly one phase.
    expect(PHASES.flatMap((p) => p.columns).sort((a, b) => a - b)).to.deep.equal(Object.values(ADVICE));
    expect(NUM_EVALUATIONS).to.equal(38);
    expect(PROOF_BYTES).to.equal(2244);
  });

  describe("setup refusals", () => {
    let table: CircuitTable;
    let srs: Srs;

    before(async () => {
      table = mixedCircuit({ m: 2, k: 3, P: 2, seed: 5, logRows: 5 }).table;
      srs = await devSrs(srsSizeFor(5));
    });

    it("an SRS of exactly srsSizeFor(k) powers suffices end to end; one power fewer is refused with CircuitError", async () => {
      const c = mixedCircuit({ m: 2, k: 3, P: 2, seed: 5, logRows: 5 });
      const pk = await setup(c.table, srs);
      const { proof, publicInputs } = await prove(pk, c.witness);
      expect(await verify(pk.vk, proof, publicInputs)).to.equal(true);

      const small = await devSrs(srsSizeFor(5) - 1);
      const err = await expectRejection(setup(table, small), new RegExp(`needs an SRS with at least ${srsSizeFor(5)} G1 powers`));
      expect(err).to.be.instanceOf(CircuitError);
    });

    it("a non-boolean Freivalds selector is refused with CircuitError", async () => {
      for (const [col, name] of [
        [FIXED.qFW, "q_fw"],
        [FIXED.qFWT, "q_fwt"],
        [FIXED.qFX, "q_fx"],
        [FIXED.qFY, "q_fy"],
        [FIXED.qFUV, "q_fuv"],
      ] as const) {
        const fixed = table.fixed.map((c) => c.slice());
        frSet(fixed[col], 30, 2n);
        const err = await expectRejection(setup({ ...table, fixed }, srs), new RegExp(`selector ${name} is 2 at row 30`));
        expect(err).to.be.instanceOf(CircuitError);
      }
    });

    it("two Freivalds selectors on one row, or a public-input row with another selector, are refused with CircuitError", async () => {
      const fixed = table.fixed.map((c) => c.slice());
      frSet(fixed[FIXED.qFW], 31, 1n);
      frSet(fixed[FIXED.qFX], 31, 1n);
      const err = await expectRejection(setup({ ...table, fixed }, srs), /more than one Freivalds selector/);
      expect(err).to.be.instanceOf(CircuitError);

      const piRow = table.fixed.map((c) => c.slice());
      frSet(piRow[FIXED.qM], 0, 1n);
      const err2 = await expectRejection(setup({ ...table, fixed: piRow }, srs), /public-input row 0/);
      expect(err2).to.be.instanceOf(CircuitError);
    });
  });
});
