// Placement (CircuitBuilder's fillOpenRows) must state exactly the relation of the unplaced table:
// the same fixed values, weights, wires and copies at each logical row's placed row, every row
// that reads a(ωX) still reading the value it read before, public-input rows in place, and a row
// shared only by a plain weight or UV row (no gate, wire or copy of its own) and a row with no
// Freivalds column or weight. Checked here value by value on the built tables of block programs
// (including a gate that reads a weight row's a, and one that reads past the last allocated row)
// and of compiled hashed-input example models (whose placement is the same for another input), so
// no gate (G0–G13) can see a host/guest merge. On the compiled hashed MLP, a tampered guest in a UV
// row and a tampered hosted cell that only copies constrain are refused by the self-check and by
// the TS and the generated Solidity verifier.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { frVecToBigints } from "../../../verifier/engine/fr.js";
import { frMod } from "../../../verifier/engine/scalar.js";
import { CircuitBuilder, WIRE } from "../../../prover/circuit/builder.js";
import { placeRows } from "../../../prover/circuit/placement.js";
import { constantCell, privateCells } from "../../../prover/blocks/cells.js";
import { matmul } from "../../../prover/blocks/matmul.js";
import { poseidon } from "../../../prover/blocks/poseidon.js";
import { checkSigned } from "../../../prover/blocks/range-check.js";
import { rescale } from "../../../prover/blocks/rescale.js";
import { compileModel, planOf } from "../../../prover/compiler/compile.js";
import { loadModelGraph } from "../../../prover/compiler/from-ir.js";
import { lowerModel, quantizeInputs } from "../../../prover/compiler/lower.js";
import { parseInputData } from "../../../prover/quantize/calibration.js";
import { Domain } from "../../../prover/poly/index.js";
import { layout, prove, verify, type CircuitTable, type Witness } from "../../../prover/plonkish/index.js";
import { exampleModelsDir } from "../../../scripts/example-models.js";
import { solidityVerdict } from "../../helpers/solidity-verifier.js";
import { cellValue, expectProves, expectSelfCheckFails, keyFor, tamper } from "../blocks/harness.js";
import { prng } from "../plonkish/circuits.js";

const { FIXED, NUM_FIXED, PERMUTATION_SHIFTS } = layout;
const SIGMAS: readonly number[] = [FIXED.sigmaA, FIXED.sigmaB, FIXED.sigmaC];
const TABLE: readonly number[] = [FIXED.tIn, FIXED.tOut, FIXED.tTag];
const FREIVALDS = [FIXED.qFW, FIXED.qFWT, FIXED.qFX, FIXED.qFY, FIXED.qFUV, FIXED.idA, FIXED.idB, FIXED.idC];
const GATE = [FIXED.qM, FIXED.qL, FIXED.qR, FIXED.qO, FIXED.qC, FIXED.qN, FIXED.qLK];
const ROW_COLUMNS = [...Array(NUM_FIXED).keys()].filter((c) => !SIGMAS.includes(c) && !TABLE.includes(c));

interface Built {
  table: CircuitTable;
  witness: Witness;
}

/** The table's values as bigints, and σ decoded to cells w·n + row. */
function decode({ table, witness }: Built) {
  const n = 2 ** table.logRows;
  const fixed = table.fixed.map((col, i) => (SIGMAS.includes(i) ? [] : frVecToBigints(col)));
  const cellOf = new Map<bigint, number>();
  const omega = Domain.create(table.logRows).omega;
  for (let i = 0, w = 1n; i < n; i++, w = (w * omega) % R) {
    for (let c = 0; c < 3; c++) cellOf.set(frMod(PERMUTATION_SHIFTS[c] * w), c * n + i);
  }
  const sigma = SIGMAS.map((col) => frVecToBigints(table.fixed[col]).map((v) => cellOf.get(v)!));
  const wires = [witness.a, witness.b, witness.c].map(frVecToBigints);
  const weights = table.weights.map(frVecToBigints);
  return { n, fixed, sigma, wires, weights };
}

/**
 * Asserts that `placed` states the relation of `plain` with logical row r at row where(r) (r < rows,
 * the allocated rows), as described at the top of this file.
 */
function expectSameRelation(plain: Built, placed: Built, rows: number, where: (row: number) => number): { hosted: number } {
  const T0 = decode(plain);
  const T1 = decode(placed);
  const l = plain.table.publicInputCount;
  expect(placed.table.publicInputCount).to.equal(l);
  expect(placed.witness.publicInputs).to.deep.equal(plain.witness.publicInputs);
  const map = Int32Array.from({ length: rows }, (_, r) => where(r));
  for (let r = 0; r < l; r++) expect(map[r], `public-input row ${r}`).to.equal(r);
  // Nothing of the circuit lies past the allocated rows (so the rows above are all of it).
  for (const col of ROW_COLUMNS) for (let r = rows; r < T0.n; r++) expect(T0.fixed[col][r], `column ${col} past the rows`).to.equal(0n);

  const isIdentity = (T: typeof T0, r: number) => [0, 1, 2].every((w) => T.sigma[w][r] === w * T.n + r);
  const at = new Map<number, number[]>();
  map.forEach((p, r) => at.set(p, [...(at.get(p) ?? []), r]));
  const hostsWithGuest = new Set<number>();
  for (const [p, rs] of at) {
    expect(p).to.be.within(0, T1.n - 1);
    if (rs.length === 1) continue;
    expect(rs.length, `rows ${rs} share row ${p}`).to.equal(2);
    const isHost = (r: number) =>
      (T0.fixed[FIXED.qFWT][r] === 1n || T0.fixed[FIXED.qFUV][r] === 1n) &&
      [FIXED.qFW, FIXED.qFX, FIXED.qFY, FIXED.idC, ...GATE].every((c) => T0.fixed[c][r] === 0n) &&
      T0.wires.every((w) => w[r] === 0n) &&
      isIdentity(T0, r);
    const isGuest = (r: number) => FREIVALDS.every((c) => T0.fixed[c][r] === 0n) && T0.weights.every((w) => w[r] === 0n);
    const [host, guest] = isHost(rs[0]) ? rs : [rs[1], rs[0]];
    expect(isHost(host) && isGuest(guest), `rows ${rs} at row ${p}: a plain weight or UV row and a row without a Freivalds role`).to.equal(true);
    hostsWithGuest.add(host);
  }

  // Fixed row columns, weights, wires: at each placed row, the sum of its logical rows' (disjoint) values.
  const moved = (values: bigint[], n: number) => {
    const out = new Array<bigint>(n).fill(0n);
    map.forEach((p, r) => (out[p] = frMod(out[p] + values[r])));
    return out;
  };
  for (const col of ROW_COLUMNS) expect(T1.fixed[col], `fixed column ${col}`).to.deep.equal(moved(T0.fixed[col], T1.n));
  T0.weights.forEach((w, t) => expect(T1.weights[t], `weight slot ${t}`).to.deep.equal(moved(w, T1.n)));
  T0.wires.forEach((w, c) => expect(T1.wires[c], `wire ${"abc"[c]}`).to.deep.equal(moved(w, T1.n)));
  // Lookup tables are indexed by table row and stay.
  for (const col of TABLE) for (let r = 0; r < Math.max(T0.n, T1.n); r++) expect(T1.fixed[col][r] ?? 0n, `table column ${col} row ${r}`).to.equal(T0.fixed[col][r] ?? 0n);

  // Copies: each logical cell's σ points to the placed cell of its logical target.
  const placedCell = (cell: number) => Math.floor(cell / T0.n) * T1.n + map[cell % T0.n];
  for (let r = 0; r < T0.n; r++) {
    if (r >= rows) {
      expect(isIdentity(T0, r), `copy past the rows at ${r}`).to.equal(true);
      continue;
    }
    if (hostsWithGuest.has(r)) continue; // its σ is the identity (checked above); the guest's holds at the row
    for (let w = 0; w < 3; w++) expect(T1.sigma[w][map[r]], `σ_${"abc"[w]} of row ${r}`).to.equal(placedCell(T0.sigma[w][r]));
  }
  const used = new Set(map);
  for (let p = 0; p < T1.n; p++) if (!used.has(p)) expect(isIdentity(T1, p), `σ of unused row ${p}`).to.equal(true);

  // q_n·a(ωX) reads the same value at every row that has it.
  for (let r = 0; r < rows; r++) {
    if (T0.fixed[FIXED.qN][r] === 0n) continue;
    if (r + 1 < rows) expect(map[r + 1], `row ${r} reads row ${r + 1}`).to.equal(map[r] + 1);
    expect(T1.wires[0][(map[r] + 1) % T1.n], `a(ωX) of row ${r}`).to.equal(T0.wires[0][(r + 1) % T0.n]);
  }
  return { hosted: rows - used.size };
}

describe("circuit: placement states the unplaced table's relation, value by value", function () {
  this.timeout(600_000);
  after(releaseEngine);

  it("placeRows on 2000 random role patterns: linked rows stay adjacent, a row holds at most a host and a guest, the rest keep their order", () => {
    const next = prng(5);
    const pick = (k: number) => Number(next() % BigInt(k));
    for (let trial = 0; trial < 2000; trial++) {
      const rows = 1 + pick(40);
      const kind = Array.from({ length: rows }, () => pick(4)); // 0 host-like, 1 guest, 2 other, 3 guest
      const reads = Array.from({ length: rows }, () => pick(3) === 0);
      const first = pick(3);
      // As the builder decides: a host sets no q_n and is not read through q_n.
      const isHost = (r: number) => r >= first && kind[r] === 0 && !reads[r] && !(r > 0 && reads[r - 1]);
      const isGuest = (r: number) => r >= first && (kind[r] === 1 || kind[r] === 3);
      const { map, rows: placed, hosted } = placeRows({ rows, isHost, isGuest, readsNext: (r) => reads[r] });
      expect(placed).to.equal(rows - hosted);
      const byRow = new Map<number, number[]>();
      map.forEach((p, r) => byRow.set(p, [...(byRow.get(p) ?? []), r]));
      expect([...byRow.keys()].sort((x, y) => x - y)).to.deep.equal([...Array(placed).keys()]);
      let shift = 0;
      const movedRow = new Set<number>();
      for (const [, rs] of byRow) {
        if (rs.length === 1) continue;
        expect(rs.length).to.equal(2);
        const [host, guest] = isHost(rs[0]) ? rs : [rs[1], rs[0]];
        expect(isHost(host) && isGuest(guest), `trial ${trial}: rows ${rs}`).to.equal(true);
        movedRow.add(guest);
      }
      expect(movedRow.size).to.equal(hosted);
      for (let r = 0; r < rows; r++) {
        if (movedRow.has(r)) shift++;
        else expect(map[r], `trial ${trial}: row ${r} keeps its order`).to.equal(r - shift);
        if (r < first) expect(map[r]).to.equal(r);
        if (reads[r] && r + 1 < rows) expect(map[r + 1], `trial ${trial}: row ${r} reads row ${r + 1}`).to.equal(map[r] + 1);
        if (reads[r] && r + 1 >= rows) expect(movedRow.has(r), `trial ${trial}: row ${r} reads past the last row`).to.equal(false);
      }
    }
  });

  it("a product hosting private inputs, lookups, rescales, a constant and Poseidon", () => {
    const program = (fillOpenRows: boolean) => {
      const next = prng(23);
      const b = new CircuitBuilder(1, { fillOpenRows });
      const xs = privateCells(b, Array.from({ length: 24 }, () => (next() % 201n) - 100n));
      const W = Array.from({ length: 6 }, () => Array.from({ length: 24 }, () => (next() % 61n) - 30n));
      const Y = matmul(b, W, xs.map((x) => [x]), W.map((_, i) => BigInt(i) - 3n));
      for (let i = 0; i < 40; i++) checkSigned(b, xs[i % 24], 8, "x");
      for (const x of xs.slice(0, 6)) rescale(b, x, 2, { outRange: { lo: -32n, hi: 31n } });
      constantCell(b, 7n);
      const digest = poseidon(b, [Y[0][0], Y[1][0], Y[2][0]]);
      b.copy(digest, b.setPublicInput(0, b.value(digest)));
      return b;
    };
    const plain = program(false);
    const filled = program(true);
    const { hosted } = expectSameRelation(plain.build(), filled.build(), filled.rows, (r) => filled.placedCell({ col: WIRE.a, row: r }).row);
    expect(hosted).to.equal(filled.hostedRows).and.to.be.greaterThan(0);
  });

  it("a gate that reads a weight row's a keeps that row empty; one that reads past the last row reads 0 still", async () => {
    const program = (fillOpenRows: boolean) => {
      const b = new CircuitBuilder(0, { fillOpenRows });
      const xs = privateCells(b, [3n, -4n, 5n, 6n, -7n, 8n]);
      // a − a(ωX) = 0 on a row followed by the first weight row: its a must stay 0.
      const reader = b.row();
      b.setFixed(reader, FIXED.qL, 1n);
      b.setFixed(reader, FIXED.qN, -1n);
      b.assign(b.cell(WIRE.a, reader), 0n);
      matmul(b, [[1n, 2n, 3n, 4n, 5n, 6n], [6n, 5n, 4n, 3n, 2n, 1n]], xs.map((x) => [x]));
      // Guests with nonzero a: constants, then a last row reading the (unallocated) next row's a.
      for (let v = 1n; v <= 12n; v++) constantCell(b, v);
      const last = b.row();
      b.setFixed(last, FIXED.qL, 1n);
      b.setFixed(last, FIXED.qN, 1n);
      return { b, reader };
    };
    const plain = program(false);
    const filled = program(true);
    const placed = filled.b.build();
    const { hosted } = expectSameRelation(plain.b.build(), placed, filled.b.rows, (r) => filled.b.placedCell({ col: WIRE.a, row: r }).row);
    expect(hosted).to.be.greaterThan(0);
    const weightRow = filled.b.placedCell({ col: WIRE.a, row: filled.reader }).row + 1;
    expect(frVecToBigints(plain.b.build().table.fixed[FIXED.qFWT])[plain.reader + 1]).to.equal(1n);
    expect(frVecToBigints(placed.table.fixed[FIXED.qFWT])[weightRow]).to.equal(1n);
    expect(frVecToBigints(placed.witness.a)[weightRow]).to.equal(0n);
    await expectProves(await keyFor(placed.table), placed.witness);
  });

  /** The model's honest table and witness, hashed input and output, placed as the compiler places. */
  async function compiled(name: string) {
    const dir = join(exampleModelsDir(), name);
    const bytes = new Uint8Array(readFileSync(join(dir, "network.onnx")));
    const graph = loadModelGraph(bytes);
    const samples = parseInputData(JSON.parse(readFileSync(join(dir, "input.json"), "utf8")), graph.graph.inputs, "input");
    const model = await compileModel(bytes, { samples, inputVisibility: "hashed", outputVisibility: "hashed" });
    const plan = planOf(model.manifest);
    const q = quantizeInputs(graph.graph, plan, model.manifest.calibration.layoutSample);
    return { graph, model, plan, q };
  }

  it("1l_mlp, hashed: a tampered guest in a UV row and a tampered hosted cell held only by copies are refused by both verifiers", async () => {
    const { graph, plan, q } = await compiled("1l_mlp");
    const { table, witness } = lowerModel(graph.graph, plan, q).builder.build();
    const T = decode({ table, witness });
    const busy = (r: number) => T.wires.some((w) => w[r] !== 0n);
    const gated = (r: number) => [FIXED.qM, FIXED.qL, FIXED.qR, FIXED.qO, FIXED.qC, FIXED.qN, FIXED.qLK].some((c) => T.fixed[c][r] !== 0n);
    const copied = (r: number) => [0, 1, 2].some((w) => T.sigma[w][r] !== w * T.n + r);
    const rows = [...Array(T.n).keys()];
    const uvGuest = rows.find((r) => T.fixed[FIXED.qFUV][r] === 1n && gated(r) && busy(r));
    const copyOnly = rows.find((r) => (T.fixed[FIXED.qFWT][r] === 1n || T.fixed[FIXED.qFUV][r] === 1n) && !gated(r) && copied(r) && T.wires[0][r] !== 0n);
    expect(uvGuest, "a UV row hosting a gate").to.not.equal(undefined);
    expect(copyOnly, "a host holding copied cells and no gate").to.not.equal(undefined);
    const pk = await keyFor(table);
    const solidity = await solidityVerdict(pk.vk, "PlacedModelVerifier");
    const verdicts = async (w: Witness, honest: boolean): Promise<boolean[]> => {
      const { proof, publicInputs } = await prove(pk, w, { skipSelfCheck: !honest });
      return [await verify(pk.vk, proof, publicInputs), await solidity(proof, publicInputs)];
    };
    expect(await verdicts(witness, true), "honest").to.deep.equal([true, true]);
    const uvCell = { col: T.wires.findIndex((w) => w[uvGuest!] !== 0n) as 0 | 1 | 2, row: uvGuest! };
    const uvCheat = tamper(witness, [[uvCell, cellValue(witness, uvCell) + 1n]]);
    const copyCell = { col: WIRE.a, row: copyOnly! };
    const copyCheat = tamper(witness, [[copyCell, cellValue(witness, copyCell) + 1n]]);
    await expectSelfCheckFails(pk, copyCheat, "permutation");
    expect(await verdicts(uvCheat, false), "UV-row guest").to.deep.equal([false, false]);
    expect(await verdicts(copyCheat, false), "hosted copied cell").to.deep.equal([false, false]);
  });

  for (const name of ["1l_mlp", "2l_relu_sigmoid_conv", "3l_relu_conv_fc"]) {
    it(`${name}, hashed input and output: the compiled layout`, async () => {
      const { graph, model, plan, q } = await compiled(name);
      const plain = lowerModel(graph.graph, plan, q, { fillOpenRows: false }).builder;
      const filled = lowerModel(graph.graph, plan, q).builder;
      const placed = filled.build();
      const { hosted } = expectSameRelation(plain.build(), placed, filled.rows, (r) => filled.placedCell({ col: WIRE.a, row: r }).row);
      expect(hosted).to.equal(filled.hostedRows).and.to.equal(model.manifest.circuit.hostedRows).and.to.be.greaterThan(0);
      // The key is made once: another input places every row in the same place.
      const other = quantizeInputs(graph.graph, plan, model.manifest.calibration.layoutSample.map((l) => l.map((v) => -v / 2)));
      const again = lowerModel(graph.graph, plan, other).builder.build().table;
      expect(again.fixed.every((col, i) => Buffer.compare(col, placed.table.fixed[i]) === 0)).to.equal(true);
    });
  }
});
