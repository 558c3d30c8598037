// zkinfer/sdk is browser-safe (issue 22): bundled from its sources for the browser, it imports no
// Node built-in and no prover code. test/package/pack.test.ts bundles the built package the same way.
import { expect } from "chai";
import { fileURLToPath } from "node:url";
import { bundleForBrowser } from "../package/browser-bundle.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("zkinfer/sdk in a browser bundle", function () {
  this.timeout(60_000);

  it("bundles for the browser without a Node built-in or any prover module, off-chain verifier included", async () => {
    const bundle = await bundleForBrowser('export * from "./sdk/index.ts";', ROOT);
    expect(bundle.problems).to.deep.equal([]);
    expect(bundle.inputs.filter((f) => f.startsWith("prover/") || f.startsWith("sdk/hardhat/"))).to.deep.equal([]);
    expect(bundle.inputs).to.include.members(["verifier/plonkish/verifier.ts", "sdk/actions/verifyOffchain.ts"]);
  });

  it("control: the prover's entry does not bundle for the browser (it needs worker threads and files)", async () => {
    const bundle = await bundleForBrowser('export * from "./prover/index.ts";', ROOT);
    expect(bundle.problems.join("\n")).to.match(/node:worker_threads/);
  });
});
