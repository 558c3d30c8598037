// scripts/gen-ops-table.ts: the README's table of supported ops is the compiler's lowering registry.
import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { supportedOps } from "../../prover/compiler/ops/index.js";
import { END, opsTable, START, withTable } from "../../scripts/gen-ops-table.js";

describe("scripts/gen-ops-table.ts (npm run docs:ops)", () => {
  it("lists every op the compiler lowers, and README.md holds the current table", async () => {
    const table = await opsTable();
    for (const op of supportedOps()) expect(table, op).to.match(new RegExp(`[|,] ${op}[ ,]`));
    expect(table).to.include(`${supportedOps().length} ONNX operators`);
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    expect(withTable(readme, table), "README.md's ops table is out of date: run npm run docs:ops").to.equal(readme);
  });

  it("replaces only what is between the markers, and refuses a text without them", () => {
    expect(withTable(`a\n${START}\nold\n${END}\nb`, "NEW")).to.equal("a\nNEW\nb");
    expect(() => withTable("no markers", "NEW")).to.throw(/no ops-table markers/);
  });
});
