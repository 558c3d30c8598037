// The key build reports its progress (zkinfer setup shows it in percent): the table's checks, the
// SRS's Lagrange basis and its check, then one step per column (its interpolation and commitment),
// fixed columns then weight columns, ending at 1.
import { expect } from "chai";
import { mul } from "../../../prover/blocks/arithmetic.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { CircuitBuilder } from "../../../prover/circuit/builder.js";
import { setup, srsSizeFor } from "../../../prover/plonkish/index.js";
import { devSrs } from "../../../prover/srs/index.js";
import { releaseEngine } from "../../../verifier/engine/bn254.js";

describe("plonkish: setup progress", function () {
  this.timeout(120_000);
  after(releaseEngine);

  it("reports increasing fractions, one per step, the last 1", async () => {
    const b = new CircuitBuilder(0);
    const [x, y] = privateCells(b, [3n, 5n]);
    mul(b, x, y);
    const { table } = b.build();
    const seen: [number, string][] = [];
    await setup(table, await devSrs(srsSizeFor(table.logRows)), { onProgress: (f, step) => seen.push([f, step]) });
    expect(seen.length).to.equal(3 + table.fixed.length + table.weights.length);
    expect(seen.slice(0, 4).map((s) => s[1])).to.deep.equal(["table checks", "Lagrange basis", "Lagrange basis check", `fixed column 1 of ${table.fixed.length}`]);
    expect(seen.at(-1)).to.deep.equal([1, `weight column ${table.weights.length} of ${table.weights.length}`]);
    for (let i = 1; i < seen.length; i++) expect(seen[i][0]).to.be.greaterThan(seen[i - 1][0]);
  });
});
