import { expect } from "chai";
import { CircuitBuilder } from "../../../prover/circuit/builder.js";
import { CompileError } from "../../../prover/compiler/errors.js";
import { checkHeap, collectGarbage, HEAP_SHARE } from "../../../prover/compiler/heap.js";

const MiB = 2 ** 20;

describe("compiler: the heap limit check", () => {
  const limit = 4096 * MiB;
  // Statistics that read `before` until a collection has run, then `after`.
  const heap = (before: number, after: number) => {
    let collected = 0;
    return {
      stats: () => ({ used_heap_size: collected > 0 ? after : before, heap_size_limit: limit }),
      collect: () => void collected++,
      collections: () => collected,
    };
  };

  it("passes, without collecting, while the heap is below its share of the limit", () => {
    const h = heap(HEAP_SHARE * limit - 1, 0);
    checkHeap(1 << 14, h);
    expect(h.collections()).to.equal(0);
  });

  it("passes when a full collection brings the heap below the share (garbage, not live data)", () => {
    const h = heap(0.95 * limit, 0.5 * limit);
    checkHeap(1 << 14, h);
    expect(h.collections()).to.equal(1);
  });

  it("stops with a CompileError saying how to raise the limit when live data is over the share", () => {
    const h = heap(0.95 * limit, 0.9 * limit);
    expect(() => checkHeap(3 << 20, h))
      .to.throw(CompileError)
      .with.property("message")
      .that.matches(/limit of 4096 MiB \(3686 MiB in use after 3145728 circuit rows\)/)
      .and.matches(/NODE_OPTIONS=--max-old-space-size=\d+ zkinfer compile/);
  });

  it("counts what the next step needs: a node whose weights would not fit stops before it is lowered", () => {
    const h = heap(0.5 * limit, 0.5 * limit);
    checkHeap(0, { ...h, need: 0.3 * limit, what: "node W" });
    expect(() => checkHeap(0, { ...h, need: 0.4 * limit, what: "node W (ConvTranspose)" }))
      .to.throw(CompileError)
      .with.property("message")
      .that.matches(/node W \(ConvTranspose\) needs about 1638 MiB more\)/);
  });

  it("runs a real full collection", () => {
    expect(() => collectGarbage()).not.to.throw();
  });

  it("the builder reports every 2^14 rows allocated", () => {
    const seen: number[] = [];
    const b = new CircuitBuilder(0, { onRows: (rows) => seen.push(rows) });
    for (let i = 0; i < 40_000; i++) b.row();
    expect(seen).to.deep.equal([16_384, 32_768]);
  });
});
