import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { HardhatPlugin } from "hardhat/types/plugins";
import * as sdk from "../../sdk/index.js";

const ROOT = new URL("../../", import.meta.url);

/**
 * The module an export of package.json names, loaded from the source it is built from
 * (./dist/sdk/index.js ← sdk/index.ts), so that no build is needed here; the built package itself
 * is checked by test/package/pack.test.ts.
 */
async function entry(subpath: string): Promise<Record<string, unknown>> {
  const manifest = JSON.parse(await readFile(new URL("package.json", ROOT), "utf8")) as { exports: Record<string, { default: string }> };
  const target = manifest.exports[subpath].default;
  return (await import(new URL(target.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts"), ROOT).href)) as Record<string, unknown>;
}

/** Bytecode without the trailing CBOR metadata (its hash follows build details, not the code). */
function withoutMetadata(bytecode: string): string {
  const length = parseInt(bytecode.slice(-4), 16);
  return bytecode.slice(0, bytecode.length - 2 * (length + 2));
}

describe("package entry points and generated ABIs", () => {
  it("zkinfer resolves to the prover API", async () => {
    const zkinfer = await entry(".");
    for (const name of ["compileModel", "readCompiledModel", "compiledCircuit", "setup", "prove", "verify", "verifyBatch", "loadPtau", "devSrs", "generateVerifier", "releaseEngine"]) {
      expect(zkinfer[name], name).to.be.a("function");
    }
    expect(zkinfer.PROOF_BYTES).to.equal(2244);
  });

  it("zkinfer/sdk, zkinfer/sdk/ethers and zkinfer/hardhat resolve to the SDK, its ethers client and the plugin", async () => {
    expect(await entry("./sdk")).to.equal(sdk);
    expect(sdk.createClient).to.be.a("function");
    expect((await entry("./sdk/ethers")).createEthersClient).to.be.a("function");
    expect(sdk).not.to.have.property("createEthersClient"); // zkinfer/sdk does not load ethers
    const hardhat = await entry("./hardhat");
    const zkinferPlugin = hardhat.default as HardhatPlugin;
    expect(zkinferPlugin.id).to.equal("zkinfer");
    expect(zkinferPlugin.tasks?.map((t) => t.id.join(" "))).to.deep.equal(["deploy-verifier", "submit-proof", "audit"]);
    // What reads model directories and runs solc is zkinfer/hardhat's, not the browser-safe SDK's.
    for (const name of ["deployModel", "loadModelArtifacts", "compileModelVerifier"]) {
      expect(hardhat[name], name).to.be.a("function");
      expect(sdk, name).not.to.have.property(name);
    }
  });

  it("the SDK's ABIs and registry bytecode are those of the compiled contracts (run scripts/gen-sdk-abi.ts if not)", async () => {
    const artifact = async (path: string) => JSON.parse(await readFile(fileURLToPath(new URL(`artifacts/contracts/${path}`, ROOT)), "utf8"));
    const registry = await artifact("InferenceRegistry.sol/InferenceRegistry.json");
    expect(sdk.inferenceRegistryAbi).to.deep.equal(registry.abi);
    expect(withoutMetadata(sdk.inferenceRegistryBytecode)).to.equal(withoutMetadata(registry.bytecode));
    expect(sdk.zkinferVerifierAbi).to.deep.equal((await artifact("interfaces/IZkinferVerifier.sol/IZkinferVerifier.json")).abi);
  });
});
