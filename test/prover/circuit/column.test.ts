import { expect } from "chai";
import { FieldColumn } from "../../../prover/circuit/column.js";
import { R } from "../../../verifier/engine/bn254.js";
import { frVecFromBigints } from "../../../verifier/engine/fr.js";

describe("circuit: flat field columns", () => {
  it("reads back every value mod r: small, negative, at the 2^53 edges, and wide (Poseidon-sized)", () => {
    const c = new FieldColumn();
    const values = [0n, 1n, -1n, 2n ** 53n, -(2n ** 53n), 2n ** 53n + 1n, R - 2n ** 53n, R - 2n ** 53n - 1n, R - 1n, R, R + 5n, -R - 7n, 3n ** 150n % R, 12345678901234567890n];
    values.forEach((v, row) => c.set(row * 3, v));
    values.forEach((v, row) => expect(c.get(row * 3), `row ${row * 3}`).to.equal(((v % R) + R) % R));
    expect(c.get(1)).to.equal(0n);
    expect(c.get(10_000)).to.equal(0n);
    expect(c.length).to.equal((values.length - 1) * 3 + 1);
  });

  it("overwrites a wide value with a small one and back", () => {
    const c = new FieldColumn();
    const wide = R - 2n ** 100n;
    c.set(5, wide);
    c.set(5, 7n);
    expect(c.get(5)).to.equal(7n);
    c.set(5, wide);
    expect(c.get(5)).to.equal(wide);
    c.set(5, 0n);
    expect(c.get(5)).to.equal(0n);
    expect(c.isZero(5)).to.equal(true);
  });

  it("lists the non-zero rows in order, and with presence every row set (0 included)", () => {
    const c = new FieldColumn({ trackPresence: true });
    c.set(4, 0n);
    c.set(2, R - 3n);
    c.set(3000, 1n);
    c.set(7, R);
    const nonZero: number[] = [];
    c.forEachNonZero((row) => nonZero.push(row));
    expect(nonZero).to.deep.equal([2, 3000]);
    const set: number[] = [];
    c.forEachSet((row) => set.push(row));
    expect(set).to.deep.equal([2, 4, 7, 3000]);
    expect([c.has(4), c.has(5), c.isOne(3000), c.isOne(2)]).to.deep.equal([true, false, true, false]);
    expect(() => new FieldColumn().has(0)).to.throw(/presence/);
  });

  it("writes the same Montgomery bytes as a conversion cell by cell, placed rows included", () => {
    const c = new FieldColumn();
    const values = [5n, -5n, 1n, -1n, 2n ** 53n, -(2n ** 53n), R - 2n ** 60n, 3n ** 150n % R, 5n, 0n, 77n];
    values.forEach((v, row) => c.set(row, v));
    const n = 16;
    const cells = (at: (row: number) => number) => {
      const out = new Array<bigint>(n).fill(0n);
      values.forEach((_, row) => (out[at(row)] = c.get(row)));
      return frVecFromBigints(out);
    };
    expect(Buffer.from(c.toFrVec(n)).equals(Buffer.from(cells((row) => row)))).to.equal(true);
    const reversed = (row: number) => n - 1 - row;
    expect(Buffer.from(c.toFrVec(n, reversed)).equals(Buffer.from(cells(reversed)))).to.equal(true);
    expect(() => c.toFrVec(8)).to.throw(/row 8 of a column of 8 rows/);
  });
});
