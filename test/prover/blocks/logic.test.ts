// And / Or / Xor on boolean cells (compare.ts): the truth tables, a proof, and cheats: a wrong
// output of each gate fails its row.
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { CircuitBuilder } from "../../../prover/circuit/builder.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { and, or, xor } from "../../../prover/blocks/compare.js";
import { built, cellValue, expectCheatCaught, expectProves, signed, tamper } from "./harness.js";

describe("blocks: And, Or, Xor", function () {
  this.timeout(60_000);
  after(releaseEngine);
  const b = new CircuitBuilder(0);
  const pairs: [bigint, bigint][] = [
    [0n, 0n],
    [0n, 1n],
    [1n, 0n],
    [1n, 1n],
  ];
  const out = pairs.map(([x, y]) => {
    const [xc, yc] = privateCells(b, [x, y]);
    return { and: and(b, xc, yc), or: or(b, xc, yc), xor: xor(b, xc, yc) };
  });
  // Built when the suite runs (not at load), so another file's releaseEngine cannot cut it off.
  let k: ReturnType<typeof built>;
  before(() => {
    k = built(b);
  });

  it("truth tables; the witness proves", async () => {
    const { witness, pk } = await k;
    const v = (name: "and" | "or" | "xor") => out.map((o) => signed(cellValue(witness, o[name])));
    expect(v("and")).to.deep.equal([0n, 0n, 0n, 1n]);
    expect(v("or")).to.deep.equal([0n, 1n, 1n, 1n]);
    expect(v("xor")).to.deep.equal([0n, 1n, 1n, 0n]);
    await expectProves(pk, witness);
  });

  for (const name of ["and", "or", "xor"] as const) {
    it(`a flipped ${name} output fails its row`, async () => {
      const { witness, pk } = await k;
      const cell = out[3][name];
      await expectCheatCaught(pk, tamper(witness, [[cell, 1n - signed(cellValue(witness, cell))]]), "arithmetic", cell.row);
    });
  }
});
