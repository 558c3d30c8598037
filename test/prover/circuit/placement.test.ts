// Rows of ordinary gates placed in the open weight and UV rows of a product (CircuitBuilder's
// fillOpenRows, prover/circuit/placement.ts; docs/blocks.md "Open rows", docs/protocol.md §3.6).
// placeRows keeps every unit of rows linked through q_n together; a product hosting private inputs,
// one-row lookups, rescale pairs and a Poseidon hash proves on half the rows, its weight rows
// unchanged; a tampered hosted cell is refused by the self-check and, proved anyway, by the TS and
// the Solidity verifier.
import { expect } from "chai";
import { network } from "hardhat";
import { toHex, type Abi, type Address } from "viem";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { frGet } from "../../../verifier/engine/fr.js";
import { frMod } from "../../../verifier/engine/scalar.js";
import { CircuitBuilder, type Cell } from "../../../prover/circuit/builder.js";
import { placeRows } from "../../../prover/circuit/placement.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { matmul } from "../../../prover/blocks/matmul.js";
import { poseidon, poseidonHash } from "../../../prover/blocks/poseidon.js";
import { checkSigned } from "../../../prover/blocks/range-check.js";
import { rescale } from "../../../prover/blocks/rescale.js";
import { compileVerifier, generateVerifier } from "../../../prover/codegen/index.js";
import { layout, prove, verify, type CircuitTable, type ProvingKey, type Witness } from "../../../prover/plonkish/index.js";
import { built, cellValue, expectCheatCaught, expectProves, lookupEntry, tamper } from "../blocks/harness.js";
import { prng } from "../plonkish/circuits.js";

const { FIXED, WEIGHT_SLOTS } = layout;

describe("circuit: rows placed in open weight and UV rows", function () {
  this.timeout(600_000);
  after(releaseEngine);

  describe("placeRows", () => {
    // Rows 0–1 fixed, 2–5 hosts, 6 fixed, 7–8 a linked guest pair, 9 a lone guest, 10–12 a guest
    // unit of three, 13–14 a guest pair whose second row is not a guest (stays put).
    const roles = {
      rows: 15,
      isHost: (r: number) => r >= 2 && r <= 5,
      isGuest: (r: number) => r >= 7 && r !== 14,
      readsNext: (r: number) => r === 7 || r === 10 || r === 11 || r === 13,
    };

    it("moves whole units first-fit into runs of hosts and keeps the other rows in order", () => {
      const { map, rows, hosted } = placeRows(roles);
      // The pair (7, 8) and the lone row 9 fill hosts 2–4; the unit of three does not fit in host 5.
      expect([map[7], map[8], map[9]]).to.deep.equal([2, 3, 4]);
      expect(hosted).to.equal(3);
      expect(rows).to.equal(12);
      expect([0, 1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14].map((r) => map[r])).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      // Every row that reads the next row still has it right after it.
      for (let r = 0; r + 1 < roles.rows; r++) if (roles.readsNext(r)) expect(map[r + 1]).to.equal(map[r] + 1);
    });

    it("never moves a unit that reads past the last row (the cyclic next row is row 0)", () => {
      const { hosted, map } = placeRows({ rows: 4, isHost: (r) => r === 0 || r === 1, isGuest: (r) => r >= 2, readsNext: (r) => r === 3 });
      // Row 2 moves; row 3 reads row 0 and stays the last row.
      expect([hosted, map[2], map[3]]).to.deep.equal([1, 0, 2]);
    });
  });

  describe("exponent runs", () => {
    // Weight-row-like rows (q_fwt = 1, open to hosting) declared a run, with steps 1, 0, 1, 2; a
    // matmul after them offers other hosts; guests come before and after.
    it("never moves a run's rows nor hosts a guest in them: the run stays consecutive with its steps", () => {
      const b = new CircuitBuilder(0, { fillOpenRows: true });
      const before = privateCells(b, [1n, 2n, 3n]);
      const first = b.row();
      const steps = [1n, 0n, 1n, 2n];
      for (let i = 0; i < steps.length; i++) {
        const row = i === 0 ? first : b.row();
        b.setFixed(row, FIXED.qFWT, 1n);
        b.setFixed(row, FIXED.idA, 1000n + BigInt(i));
        b.setFixed(row, FIXED.s, steps[i]);
      }
      b.exponentRun(first, first + steps.length);
      matmul(b, [[1n, 2n, 3n]], [[before[0]], [before[1]], [before[2]]]);
      privateCells(b, [4n, 5n, 6n, 7n]);
      const { table } = b.build();
      expect(b.hostedRows).to.be.greaterThan(0);
      const placed = [0, 1, 2, 3].map((i) => b.placedCell({ col: 0, row: first + i }).row);
      expect(placed).to.deep.equal([0, 1, 2, 3].map((i) => placed[0] + i));
      expect(placed.map((r) => frGet(table.fixed[FIXED.s], r))).to.deep.equal(steps);
      // No guest landed in a run row: the run rows hold no gate, lookup or wire.
      const gated = (r: number) => [FIXED.qM, FIXED.qL, FIXED.qLK].some((col) => frGet(table.fixed[col], r) !== 0n);
      expect(placed.filter(gated)).to.deep.equal([]);
    });
  });

  /**
   * A product (2K×40 weights with bias, K = WEIGHT_SLOTS: 82 weight rows and 41 UV rows) of 40 private inputs,
   * 60 signed lookups (49 take the product's open X and Y rows, the rest fresh rows), 5 rescales
   * of inputs (row pairs linked through q_n) and Poseidon of two outputs (406 rows) as the one
   * public input.
   */
  function hosting(fillOpenRows: boolean) {
    const next = prng(19);
    const b = new CircuitBuilder(1, { fillOpenRows });
    const xs = privateCells(b, Array.from({ length: 40 }, () => (next() % 201n) - 100n));
    const W = Array.from({ length: 2 * WEIGHT_SLOTS }, () => Array.from({ length: 40 }, () => (next() % 61n) - 30n));
    const bias = Array.from({ length: 2 * WEIGHT_SLOTS }, () => (next() % 61n) - 30n);
    const Y = matmul(
      b,
      W,
      xs.map((x) => [x]),
      bias,
    );
    const checks = Array.from({ length: 60 }, (_, i) => checkSigned(b, xs[i % 40], 8, "x"));
    const rescaled = xs.slice(0, 5).map((x) => rescale(b, x, 2, { outRange: { lo: -32n, hi: 31n } }));
    const digest = poseidon(b, [Y[0][0], Y[1][0]]);
    b.copy(digest, b.setPublicInput(0, b.value(digest)));
    return { b, xs, W, bias, Y, checks, rescaled, digest };
  }

  const rowsOf = (table: CircuitTable, col: number, pred: (v: bigint) => boolean): number[] =>
    [...Array(2 ** table.logRows).keys()].filter((r) => pred(frGet(table.fixed[col], r)));
  const isWeightRow = (table: CircuitTable, row: number): boolean => frGet(table.fixed[FIXED.qFWT], row) === 1n;

  describe("a product hosting private inputs, lookups, rescales and Poseidon", () => {
    const plain = hosting(false);
    const filled = hosting(true);
    const c = built(filled.b);

    it("places 123 rows in the 82 weight and 41 UV rows: 615 rows (2^10) become 492 (2^9), and the witness proves", async () => {
      expect([plain.b.rows, plain.b.placedRows, plain.b.minLogRows]).to.deep.equal([615, 615, 10]);
      expect([filled.b.rows, filled.b.hostedRows, filled.b.placedRows, filled.b.minLogRows]).to.deep.equal([615, 123, 492, 9]);
      const { table, witness, pk } = await c;
      // Every weight and UV row now holds another block's gate, lookup or wires.
      const hosts = rowsOf(table, FIXED.qFWT, (v) => v === 1n).concat(rowsOf(table, FIXED.qFUV, (v) => v === 1n));
      expect(hosts.length).to.equal(123);
      const busy = (r: number) => [FIXED.qM, FIXED.qL, FIXED.qLK].some((col) => frGet(table.fixed[col], r) !== 0n) || ["a", "b", "c"].some((w) => frGet(witness[w as "a"], r) !== 0n);
      expect(hosts.filter(busy).length).to.equal(123);
      // The private inputs, the lookups past the open rows, both rows of a rescale and Poseidon's
      // S-box rows sit in weight rows.
      expect(isWeightRow(table, filled.b.placedCell(filled.xs[0]).row)).to.equal(true);
      expect(isWeightRow(table, filled.b.placedCell(filled.checks[59]).row)).to.equal(true);
      const q = filled.b.placedCell(filled.rescaled[0]);
      expect([isWeightRow(table, q.row - 1), isWeightRow(table, q.row), frGet(table.fixed[FIXED.qN], q.row - 1) !== 0n]).to.deep.equal([true, true, true]);
      expect(hosts.filter((r) => frGet(table.fixed[FIXED.qM], r) !== 0n).length).to.be.greaterThan(40);
      // The values are the honest ones: Y = W·x + bias, the digest is circomlibjs's Poseidon.
      const y0 = filled.W[0].reduce((s, w, j) => s + w * filled.b.value(filled.xs[j]), filled.bias[0]);
      expect(cellValue(witness, filled.b.placedCell(filled.Y[0][0]))).to.equal(frMod(y0));
      expect(witness.publicInputs[0]).to.equal(poseidonHash([filled.b.value(filled.Y[0][0]), filled.b.value(filled.Y[1][0])]));
      await expectProves(pk, witness);
    });

    it("leaves every weight row's Freivalds role and weights as they were: hosting changes only wires, gates and lookups", async () => {
      const a = plain.b.build().table;
      const { table } = await c;
      const roleOf = (t: CircuitTable) =>
        rowsOf(t, FIXED.qFWT, (v) => v === 1n).map((r) => [FIXED.idA, FIXED.idB, FIXED.idC, FIXED.qFW, FIXED.qFX, FIXED.qFY, FIXED.qFUV].map((col) => frGet(t.fixed[col], r)).concat([...Array(WEIGHT_SLOTS).keys()].map((s) => frGet(t.weights[s], r))));
      expect(roleOf(table)).to.deep.equal(roleOf(a));
      expect(roleOf(table).length).to.equal(82);
    });

    it("refuses a tampered Poseidon cell in a weight row (arithmetic gate), and the proof made anyway", async () => {
      const { table, witness, pk } = await c;
      const row = rowsOf(table, FIXED.qM, (v) => v !== 0n).find((r) => isWeightRow(table, r))!;
      const cell: Cell = { col: 2, row };
      await expectCheatCaught(pk, tamper(witness, [[cell, cellValue(witness, cell) + 1n]]), "arithmetic", row);
    });

    it("refuses a hosted lookup given a value outside its table, and the proof made anyway", async () => {
      const { table, witness, pk } = await c;
      const { row } = filled.b.placedCell(filled.checks[59]);
      expect(isWeightRow(table, row)).to.equal(true);
      await expectCheatCaught(pk, tamper(witness, lookupEntry(row, 300n)), "lookup", row);
    });

    it("refuses a wrong output of the product whose weight rows host the other blocks (Freivalds gate)", async () => {
      const { witness, pk } = await c;
      const y = filled.b.placedCell(filled.Y[3][0]);
      await expectCheatCaught(pk, tamper(witness, [[y, cellValue(witness, y) + 1n]]), "freivalds");
    });

    it("the generated Solidity verifier accepts the honest proof and rejects proofs of tampered hosted cells, as the TS verifier does", async () => {
      const { table, witness, pk } = await c;
      const { viem } = await network.create();
      const generated = generateVerifier(pk.vk, { contractName: "HostingVerifier" });
      const compiled = compileVerifier(generated.source, generated.contractName);
      const [wallet] = await viem.getWalletClients();
      const client = await viem.getPublicClient();
      const hash = await wallet.deployContract({ abi: compiled.abi as Abi, bytecode: compiled.bytecode });
      const address = (await client.waitForTransactionReceipt({ hash })).contractAddress as Address;
      const both = async (w: Witness, key: ProvingKey, want: boolean, what: string): Promise<void> => {
        const { proof, publicInputs } = await prove(key, w, { skipSelfCheck: !want });
        expect(await verify(key.vk, proof, publicInputs), `${what}: TS`).to.equal(want);
        const sol = await client.readContract({ address, abi: compiled.abi as Abi, functionName: "verifyProof", args: [toHex(proof), publicInputs] });
        expect(sol, `${what}: Solidity`).to.equal(want);
      };
      await both(witness, pk, true, "honest");
      const row = rowsOf(table, FIXED.qM, (v) => v !== 0n).find((r) => isWeightRow(table, r))!;
      await both(tamper(witness, [[{ col: 2, row }, cellValue(witness, { col: 2, row }) + 1n]]), pk, false, "hosted Poseidon cell");
      await both(tamper(witness, lookupEntry(filled.b.placedCell(filled.checks[59]).row, 300n)), pk, false, "hosted lookup");
    });
  });
});
