// A model whose key declares no meaning for its public inputs (the layout with no ranges) has input
// count 0 in the registry like a private input, but nothing says its input is private: the SDK and
// the audit report call it "input not declared", and keep "input private" for a declared private input.
import { expect } from "chai";
import { network } from "hardhat";
import { bytesToHex, parseEventLogs, type Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { plainPublicInputLayout, publicInputLayoutDigest } from "../../prover/plonkish/index.js";
import { auditReportText, createClient } from "../../sdk/index.js";
import { TEST_KEY as key, VK_DIGEST, ZERO_REF as ZERO } from "../helpers/registry-fixture.js";
import { pairingTestProof } from "../contracts/pairing-test-prover.js";

const { viem } = await network.create();
const publicClient = await viem.getPublicClient();
const [walletClient] = await viem.getWalletClients();

describe("records of a model that declares no input", () => {
  after(releaseEngine);

  it('are shown as "input not declared", those of a declared private input as "input private"', async () => {
    const registry = await viem.deployContract("InferenceRegistry");
    const client = createClient({ publicClient, walletClient }).withRegistry(registry.address);
    const publicInputs = [5n, 6n, 7n, 8n];
    // Layout digests: the one of the layout with no ranges, and any other (a declared private input, outputs at 2..4).
    const plain = bytesToHex(publicInputLayoutDigest(plainPublicInputLayout(4)));
    const models: Record<string, Hex> = {};
    for (const [name, digest, ranges] of [
      ["undeclared", plain, [0n, 0n, 0n, 0n]],
      ["private", `0x${"1b".repeat(32)}`, [0n, 0n, 2n, 2n]],
    ] as const) {
      const verifier = await viem.deployContract("PairingTestVerifier", [[...key.tauG2], VK_DIGEST, 4n, false, digest, [...ranges]]);
      const receipt = await publicClient.waitForTransactionReceipt({ hash: await registry.write.registerModel([VK_DIGEST, verifier.address, ""]) });
      models[name] = parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "ModelRegistered" })[0].args.modelId;
      await registry.write.submitInference([models[name], pairingTestProof(key, publicInputs), publicInputs, ZERO, 1n]);
    }

    const report = await client.auditRecords({ fromBlock: 0n });
    const byModel = new Map(report.models.map((m) => [m.model.id, m]));
    const undeclared = byModel.get(models.undeclared)!;
    const declaredPrivate = byModel.get(models.private)!;
    expect([undeclared.model.publicInputsDeclared, declaredPrivate.model.publicInputsDeclared]).to.deep.equal([false, true]);
    expect(undeclared.records.map((r) => [r.inputNotDeclared, r.inputIsPrivate])).to.deep.equal([[true, false]]);
    expect(declaredPrivate.records.map((r) => [r.inputNotDeclared, r.inputIsPrivate])).to.deep.equal([[false, true]]);

    const text = auditReportText(registry.address, report);
    const section = (id: Hex) => text.slice(text.indexOf(`model ${id}`)).split("\n\n")[0];
    expect(section(models.undeclared)).to.include("input not declared").and.not.include("input private");
    expect(section(models.private)).to.include("input private").and.not.include("input not declared");
  });
});
