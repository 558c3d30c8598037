import { expect } from "chai";
import { poseidonChainHash } from "../../../prover/blocks/poseidon.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { CircuitBuilder } from "../../../prover/circuit/builder.js";
import { LoweringContext } from "../../../prover/compiler/context.js";
import type { ModelGraph } from "../../../prover/compiler/graph.js";
import { hashCells, hashValues, packValues, valuesPerElement } from "../../../prover/compiler/visibility.js";
import { R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { TARGETS } from "../../../prover/quantize/targets.js";
import { built, cellValue, expectCheatCaught, expectProves, tamper } from "../blocks/harness.js";

const emptyGraph: ModelGraph = { inputs: [], outputs: [], nodes: [], constants: new Map(), values: new Map() };

describe("compiler: hashed visibility (packed Poseidon)", function () {
  this.timeout(120_000);
  after(releaseEngine);

  it("packs ⌊252/bits⌋ shifted values per element, injectively and below r", () => {
    expect(valuesPerElement(12)).to.equal(21);
    expect(valuesPerElement(252)).to.equal(1);
    const bits = 4;
    const packed = packValues([-8n, 7n, 0n], bits);
    // u = q + 8: 0, 15, 8 → 0 + 15·16 + 8·256
    expect(packed).to.deep.equal([0n + 15n * 16n + 8n * 256n]);
    const extreme = packValues(new Array<bigint>(63).fill(7n), bits);
    expect(extreme).to.have.length(1);
    expect(extreme[0] < 1n << 252n && extreme[0] < R).to.equal(true);
    expect(() => packValues([8n], bits)).to.throw(/does not fit 4 signed bits/);
    expect(() => packValues([-9n], bits)).to.throw(/does not fit/);
    // Two vectors differing in one value hash differently.
    expect(hashValues([1n, 2n, 3n], 8)).to.not.equal(hashValues([1n, 2n, 4n], 8));
    expect(hashValues([1n, 2n, 3n], 8)).to.equal(poseidonChainHash(packValues([1n, 2n, 3n], 8)));
  });

  it("the circuit's hash equals the off-circuit one, proves, and a changed packed element is caught", async () => {
    const bits = 6;
    const values = Array.from({ length: 100 }, (_, i) => BigInt((i * 37) % 64) - 32n);
    const ctx = new LoweringContext(new CircuitBuilder(0), emptyGraph, {}, TARGETS.accuracy);
    const cells = privateCells(ctx.b, values);
    ctx.rangeCheck(cells, bits, "values");
    const digest = hashCells(ctx.b, cells, bits);
    expect(ctx.b.value(digest)).to.equal(hashValues(values, bits));
    expect(packValues(values, bits)).to.have.length(Math.ceil(100 / valuesPerElement(bits)));
    const { witness, pk } = await built(ctx.b);
    expect(cellValue(witness, digest)).to.equal(hashValues(values, bits));
    await expectProves(pk, witness);
    // Changing the digest cell alone breaks the Poseidon rows that compute it.
    await expectCheatCaught(pk, tamper(witness, [[digest, cellValue(witness, digest) + 1n]]), "arithmetic");
  });
});
