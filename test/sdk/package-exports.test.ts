import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import * as zkinfer from "zkinfer";
import * as sdk from "zkinfer/sdk";
import zkinferPlugin from "zkinfer/hardhat";

const ROOT = new URL("../../", import.meta.url);

/** Bytecode without the trailing CBOR metadata (its hash follows build details, not the code). */
function withoutMetadata(bytecode: string): string {
  const length = parseInt(bytecode.slice(-4), 16);
  return bytecode.slice(0, bytecode.length - 2 * (length + 2));
}

describe("package entry points and generated ABIs", () => {
  it("zkinfer resolves to the prover API", () => {
    for (const name of ["compileModel", "readCompiledModel", "compiledCircuit", "setup", "prove", "verify", "verifyBatch", "loadPtau", "devSrs", "generateVerifier", "releaseEngine"]) {
      expect(zkinfer[name as keyof typeof zkinfer], name).to.be.a("function");
    }
    expect(zkinfer.PROOF_BYTES).to.equal(2020);
  });

  it("zkinfer/sdk and zkinfer/hardhat resolve to the SDK and the plugin", () => {
    expect(sdk.createClient).to.be.a("function");
    expect(sdk.createEthersClient).to.be.a("function");
    expect(zkinferPlugin.id).to.equal("zkinfer");
    expect(zkinferPlugin.tasks?.map((t) => t.id.join(" "))).to.deep.equal(["deploy-verifier", "submit-proof", "audit"]);
  });

  it("the SDK's ABIs and registry bytecode are those of the compiled contracts (run scripts/gen-sdk-abi.ts if not)", async () => {
    const artifact = async (path: string) => JSON.parse(await readFile(fileURLToPath(new URL(`artifacts/contracts/${path}`, ROOT)), "utf8"));
    const registry = await artifact("InferenceRegistry.sol/InferenceRegistry.json");
    expect(sdk.inferenceRegistryAbi).to.deep.equal(registry.abi);
    expect(withoutMetadata(sdk.inferenceRegistryBytecode)).to.equal(withoutMetadata(registry.bytecode));
    expect(sdk.zkinferVerifierAbi).to.deep.equal((await artifact("interfaces/IZkinferVerifier.sol/IZkinferVerifier.json")).abi);
  });
});
