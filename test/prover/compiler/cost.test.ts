import { expect } from "chai";
import { estimateProveMs, MEASURED_PROVE_MS } from "../../../prover/compiler/cost.js";

describe("compiler: estimated prove time", () => {
  it("gives the measured time at each measured size", () => {
    for (const [logRows, ms] of MEASURED_PROVE_MS) expect(estimateProveMs(logRows)).to.equal(ms);
  });

  it("interpolates between measured sizes and doubles beyond them", () => {
    expect(estimateProveMs(15)).to.equal(Math.round(Math.sqrt(2_750 * 10_100)));
    expect(estimateProveMs(11)).to.equal(475);
    expect(estimateProveMs(20)).to.equal(144_000);
    for (let k = 4; k < 26; k++) expect(estimateProveMs(k + 1)).to.be.above(estimateProveMs(k));
  });
});
