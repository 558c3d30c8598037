// zkinfer export-verifier: a model directory's key becomes a Solidity file that compiles offline,
// deploys on the in-process network and accepts the directory's proofs; bad input exits 2.
import { expect } from "chai";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";
import type { Abi } from "viem";
import { zk } from "../../helpers/cli.js";
import { compileVerifier, MAX_RUNTIME_BYTES } from "../../../prover/codegen/index.js";
import { releaseEngine } from "../../../verifier/engine/bn254.js";

const { viem } = await network.create();

describe("cli: zkinfer export-verifier", () => {
  let tmp: string;
  let model: string;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), "zkinfer-export-"));
    model = join(tmp, "model");
    expect((await zk("setup", model, "--dev-srs", "--circuit", "matvec", "--param", "m=3", "--param", "k=4", "--param", "bits=4")).code).to.equal(0);
    await writeFile(join(tmp, "input.json"), JSON.stringify({ input_data: [[1, -2, 3, -4]] }));
    expect((await zk("prove", model, "--input", join(tmp, "input.json"), "--out", join(tmp, "proof.json"))).code).to.equal(0);
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
    await releaseEngine();
  });

  it("writes a verifier that compiles, deploys, and accepts the directory's proof", async () => {
    const out = join(tmp, "Verifier.sol");
    const run = await zk("export-verifier", model, "--out", out, "--name", "MatvecVerifier", "--json");
    expect(run.code).to.equal(0);
    const json = JSON.parse(run.stdout) as { result: { contractName: string; insecure: boolean; digest: string } };
    expect(json.result.contractName).to.equal("MatvecVerifier");
    expect(json.result.insecure).to.equal(true);
    expect(run.stderr).to.match(/INSECURE/);
    const source = await readFile(out, "utf8");
    expect(source).to.include(`VK_DIGEST = ${json.result.digest}`);
    const compiled = compileVerifier(source, "MatvecVerifier");
    expect(compiled.deployedSize).to.be.below(MAX_RUNTIME_BYTES);

    const [wallet] = await viem.getWalletClients();
    const client = await viem.getPublicClient();
    const hash = await wallet.deployContract({ abi: compiled.abi as Abi, bytecode: compiled.bytecode });
    const address = (await client.waitForTransactionReceipt({ hash })).contractAddress!;
    const proof = JSON.parse(await readFile(join(tmp, "proof.json"), "utf8")) as { proof: `0x${string}`; publicInputs: string[] };
    const args = [proof.proof, proof.publicInputs.map(BigInt)] as const;
    expect(await client.readContract({ address, abi: compiled.abi as Abi, functionName: "verifyProof", args })).to.equal(true);
    expect(await client.readContract({ address, abi: compiled.abi as Abi, functionName: "INSECURE_DEV_SRS" })).to.equal(true);
  });

  it("exits 2 on a missing directory or key, a damaged key or a bad contract name, and on a missing --out", async () => {
    const out = join(tmp, "X.sol");
    expect((await zk("export-verifier", join(tmp, "nope"), "--out", out)).code).to.equal(2);
    expect((await zk("export-verifier", tmp, "--out", out)).code).to.equal(2); // no vk.bin
    expect((await zk("export-verifier", model)).code).to.equal(2);
    expect((await zk("export-verifier", model, "--out", out, "--name", "not a name")).code).to.equal(2);
    const damaged = join(tmp, "damaged");
    await zk("setup", damaged, "--dev-srs", "--circuit", "matvec", "--param", "m=2", "--param", "k=2", "--param", "bits=2");
    const vk = await readFile(join(damaged, "vk.bin"));
    await writeFile(join(damaged, "vk.bin"), vk.subarray(0, vk.length - 1));
    const run = await zk("export-verifier", damaged, "--out", out);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/vk\.bin/);
  });
});
