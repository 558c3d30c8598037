// End to end on a real JSON-RPC node: starts `npx hardhat node` on 127.0.0.1 (a free port), and
// from a separate dApp project that only adds the zkinfer plugin deploys with `deploy-verifier`,
// submits a real proof through the SDK and another with `submit-proof`, reads them back with
// `zkinfer audit` and the `audit` task, and stops the node whatever happens.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createPublicClient, createWalletClient, getAddress, http, type Abi, type Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { R } from "../../verifier/engine/constants.js";
import { createClient, inferenceRegistryAbi, inputHashOf } from "../../sdk/index.js";
import { loadModelArtifacts } from "../../sdk/hardhat/model-artifacts.js";
import { acceptAllArgs, makeMatvecModel, type MatvecModel } from "./matvec-model.js";
import { childEnv, HARDHAT, ROOT, startHardhatNode, type HardhatNode } from "./node-process.js";

const ZKINFER = join(ROOT, "bin/zkinfer.js");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, env: childEnv, timeout: 180_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe("end to end: hardhat node, tasks, SDK and zkinfer audit", function () {
  let model: MatvecModel;
  let node: HardhatNode | undefined;
  let project: string;
  let url: string;
  /** What the first test's deploy-verifier printed (the later tests use that deployment). */
  let d: { verifier: Hex; registry: Hex; modelId: Hex };

  before(async () => {
    model = await makeMatvecModel([
      [3, -1, 4, 1],
      [-5, 9, 2, -6],
    ]);
    node = await startHardhatNode();
    url = node.url;
    // A dApp's own Hardhat project: the plugin in `plugins` and a network for the node.
    project = join(model.tmp, "dapp");
    await mkdir(project);
    await symlink(join(ROOT, "node_modules"), join(project, "node_modules"));
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "dapp", type: "module" }));
    await writeFile(
      join(project, "hardhat.config.ts"),
      [
        `import zkinfer from ${JSON.stringify(join(ROOT, "sdk/hardhat/index.js"))};`,
        `export default { plugins: [zkinfer], networks: { local: { type: "http", url: ${JSON.stringify(url)} }, down: { type: "http", url: "http://127.0.0.1:9/key" } } };`,
      ].join("\n"),
    );
  });

  after(async () => {
    node?.stop();
    await releaseEngine();
    if (model) await rm(model.tmp, { recursive: true, force: true });
  });

  it("deploys with the task, submits through the SDK and the task, and reads back with the CLI and the task", async () => {
    const deployed = await run([HARDHAT, "deploy-verifier", "--artifacts", model.dir, "--json", "--network", "local"], project);
    expect(deployed.code, `${deployed.stderr}\nnode:\n${node?.output().slice(-3000)}`).to.equal(0);
    expect(deployed.stderr).to.match(/INSECURE/);
    d = JSON.parse(deployed.stdout) as { verifier: Hex; registry: Hex; modelId: Hex };
    expect(Object.keys(d)).to.include.members(["verifier", "registry", "modelId"]);
    const recorded = JSON.parse(await readFile(join(project, "deployments", "local.json"), "utf8"));
    expect(recorded.registry).to.equal(d.registry);
    expect(recorded.models.map((m: { modelId: Hex }) => m.modelId)).to.deep.equal([d.modelId]);
    // Run again on the same key: the recorded model is reused (no second model id), and it says so.
    const again = await run([HARDHAT, "deploy-verifier", "--artifacts", model.dir, "--network", "local"], project);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.match(new RegExp(`^reused model ${d.modelId}: .*verifier ${d.verifier} has the code generated now; nothing deployed`, "mi")).and.include("--redeploy");
    const recordedAgain = JSON.parse(await readFile(join(project, "deployments", "local.json"), "utf8"));
    expect(recordedAgain.models.map((m: { modelId: Hex }) => m.modelId)).to.deep.equal([d.modelId]);
    expect(await createClient({ publicClient: createPublicClient({ transport: http(url) }), registry: d.registry }).listModels()).to.deep.include({ modelIds: [d.modelId] });

    // The SDK over HTTP, the node's first account sending.
    const publicClient = createPublicClient({ transport: http(url) });
    const [account] = (await publicClient.request({ method: "eth_accounts" } as never)) as string[];
    const walletClient = createWalletClient({ account: getAddress(account), transport: http(url) });
    const client = createClient({ publicClient, walletClient, registry: d.registry });
    const sent = await client.submitInference({ modelId: d.modelId, proof: model.proofs[0] });
    const artifacts = await loadModelArtifacts(model.dir);
    const record = await client.getRecord({ recordId: sent.recordId });
    expect(record.inputHash).to.equal(inputHashOf(artifacts.layout, model.proofs[0].publicInputs.map(BigInt)));

    const submitted = await run([HARDHAT, "submit-proof", "--artifacts", model.dir, "--proof", model.proofPaths[1], "--network", "local"], project);
    expect(submitted.code, submitted.stderr).to.equal(0);
    const [, taskRecordId] = /recordId (0x[0-9a-f]{64})/.exec(submitted.stdout) ?? [];
    expect(taskRecordId).to.match(/^0x/);
    expect(submitted.stdout).to.match(/gasUsed \d{6,}/);

    const audit = await run([ZKINFER, "audit", "--rpc", url, "--registry", d.registry, "--model", d.modelId, "--json"], ROOT);
    expect(audit.code, audit.stderr).to.equal(0);
    const report = JSON.parse(audit.stdout).result as { models: { id: Hex; records: { id: Hex; outputs: string[]; submitter: Hex }[] }[] };
    expect(report.models.map((m) => m.id)).to.deep.equal([d.modelId]);
    expect(report.models[0].records.map((r) => r.id)).to.deep.equal([sent.recordId, taskRecordId]);
    expect(report.models[0].records[0].outputs).to.deep.equal(model.proofs[0].publicInputs.slice(4));

    const auditTask = await run([HARDHAT, "audit", "--network", "local"], project);
    expect(auditTask.code, auditTask.stderr).to.equal(0);
    expect(auditTask.stdout).to.include(sent.recordId).and.to.include(taskRecordId);
    // a dev-SRS model: the warning once, a short mark on each record; the outputs as numbers (the
    // task finds the model directory deploy-verifier recorded)
    expect(auditTask.stdout.match(/\*\*\* INSECURE: .* PROVE NOTHING \(2 records\) \*\*\*/g)?.length).to.equal(1);
    expect(auditTask.stdout.match(/\(INSECURE: development SRS, see above\)/g)?.length).to.equal(2);
    const signed = model.proofs[0].publicInputs.slice(4).map((x) => (BigInt(x) > R / 2n ? BigInt(x) - R : BigInt(x)));
    expect(auditTask.stdout).to.include(`outputs [${signed.join(", ")}]`);

    const checked = await run([ZKINFER, "audit", "--rpc", url, "--registry", d.registry, "--check", model.dir], ROOT);
    expect(checked.code, checked.stderr).to.equal(0);
    expect(checked.stdout).to.match(new RegExp(`model ${d.modelId} version \\d+ \\(verifier ${d.verifier}, 2 records\\): match`, "i"));

    const badRegistry = await run([ZKINFER, "audit", "--rpc", url, "--registry", d.verifier], ROOT);
    expect(badRegistry.code).to.equal(2);
    expect(badRegistry.stderr).to.match(/InferenceRegistry/);
    // The task exits as the CLI does: 2 for bad input (a malformed address, a contract that is no registry).
    const taskBadRegistry = await run([HARDHAT, "audit", "--registry", d.verifier, "--network", "local"], project);
    expect(taskBadRegistry.code, taskBadRegistry.stderr).to.equal(2);
    expect(taskBadRegistry.stderr).to.match(/InferenceRegistry/);
    expect((await run([HARDHAT, "audit", "--registry", "0x12", "--network", "local"], project)).code).to.equal(2);
    const noNode = await run([ZKINFER, "audit", "--rpc", "http://127.0.0.1:9", "--registry", d.registry], ROOT);
    expect(noNode.code).to.equal(2);
    expect(noNode.stderr).to.match(/failed after/);
    // A task on a network whose node does not answer: exit 2, naming where it is (never the URL's path, where an API key may sit).
    const taskNoNode = await run([HARDHAT, "audit", "--network", "down"], project);
    expect(taskNoNode.code, taskNoNode.stderr).to.equal(2);
    expect(taskNoNode.stderr).to.match(/network "down" at http:\/\/127\.0\.0\.1:9 \(is the node running\?\) failed after/).and.not.match(/key/);
  });

  it("refuses a tampered proof once the verifier's code is replaced with accept-all, records nothing, and takes honest proofs when it is back", async () => {
    // the model deploy-verifier deployed in the first test, with its two records
    const publicClient = createPublicClient({ transport: http(url) });
    const client = createClient({ publicClient, registry: d.registry });
    const honest = (await publicClient.getCode({ address: d.verifier }))!;
    const acceptAll = JSON.parse(await readFile(join(ROOT, "artifacts/contracts/test/AcceptAllVerifier.sol/AcceptAllVerifier.json"), "utf8")) as { deployedBytecode: Hex };
    const setCode = (code: Hex) => publicClient.request({ method: "hardhat_setCode", params: [d.verifier, code] } as never);
    const tampered = join(model.tmp, "tampered.json");
    const proof = model.proofs[0];
    await writeFile(tampered, JSON.stringify({ ...proof, publicInputs: proof.publicInputs.map((x, i) => (i === 5 ? String(BigInt(x) + 1n) : x)) }));
    const submit = (file: string) => run([HARDHAT, "submit-proof", "--artifacts", model.dir, "--proof", file, "--model", d.modelId, "--network", "local"], project);

    await setCode(acceptAll.deployedBytecode);
    const refused = await submit(tampered);
    expect(refused.code).to.not.equal(0);
    expect(refused.stderr).to.match(/no longer has the code the registry pinned/);
    expect((await client.listRecords({ modelId: d.modelId })).records.length).to.equal(2);

    await setCode(honest);
    expect((await submit(tampered)).stderr).to.match(/does not verify/);
    const accepted = await submit(model.proofPaths[1]);
    expect(accepted.code, accepted.stderr).to.equal(0);
    expect((await client.listRecords({ modelId: d.modelId })).records.length).to.equal(3);
  });

  it("audit --check says MISMATCH (exit 1) for a model whose pinned verifier is not the generated one; --owner checks only the honest owner's models", async () => {
    const publicClient = createPublicClient({ transport: http(url) });
    const [deployer, stranger] = (await publicClient.request({ method: "eth_accounts" } as never)) as string[];
    // Anyone may register a model under the honest key: here another account does.
    const walletClient = createWalletClient({ account: getAddress(stranger), transport: http(url) });
    const registry = (JSON.parse(await readFile(join(project, "deployments", "local.json"), "utf8")) as { registry: Hex }).registry;
    const artifacts = await loadModelArtifacts(model.dir);
    // An accept-all verifier registered straight through the contract (the SDK's probe would refuse it).
    const acceptAll = JSON.parse(await readFile(join(ROOT, "artifacts/contracts/test/AcceptAllVerifier.sol/AcceptAllVerifier.json"), "utf8")) as { abi: Abi; bytecode: Hex };
    const deployHash = await walletClient.deployContract({ abi: acceptAll.abi, bytecode: acceptAll.bytecode, args: acceptAllArgs(artifacts), chain: null });
    const verifier = (await publicClient.waitForTransactionReceipt({ hash: deployHash })).contractAddress!;
    const registerHash = await walletClient.writeContract({ address: registry, abi: inferenceRegistryAbi, functionName: "registerModel", args: [artifacts.vkDigest, verifier, ""], chain: null });
    await publicClient.waitForTransactionReceipt({ hash: registerHash });
    const check = await run([ZKINFER, "audit", "--rpc", url, "--registry", registry, "--check", model.dir, "--json"], ROOT);
    expect(check.code, check.stderr).to.equal(1);
    const result = JSON.parse(check.stdout).result as { check: { ok: boolean; models: { versions: { verifier: Hex; match: boolean }[] }[] } };
    expect(result.check.ok).to.equal(false);
    const versions = result.check.models.flatMap((m) => m.versions);
    expect(versions.filter((v) => !v.match).map((v) => v.verifier.toLowerCase())).to.deep.equal([verifier.toLowerCase()]);
    expect(versions.filter((v) => v.match).length).to.be.greaterThan(0);
    const text = await run([ZKINFER, "audit", "--rpc", url, "--registry", registry, "--check", model.dir], ROOT);
    expect(text.code).to.equal(1);
    expect(text.stdout).to.match(/: MISMATCH: pinned code hash 0x[0-9a-f]{64}/);
    expect(text.stdout).to.match(new RegExp(`\\(owner ${stranger}\\): MISMATCH`, "i")).and.to.match(new RegExp(`\\(owner ${deployer}\\): every version matches`, "i"));
    // The stranger's model does not spoil the check of the deployer's models, through the CLI and the task.
    const mine = await run([ZKINFER, "audit", "--rpc", url, "--registry", registry, "--check", model.dir, "--owner", deployer], ROOT);
    expect(mine.code, mine.stdout + mine.stderr).to.equal(0);
    expect(mine.stdout).to.match(/^result: every version of the 1 checked model matches$/m).and.to.not.match(new RegExp(verifier, "i"));
    const task = await run([HARDHAT, "audit", "--check", model.dir, "--network", "local"], project);
    expect(task.code, task.stderr).to.equal(1); // a failed check, as `zkinfer audit` exits
    const taskMine = await run([HARDHAT, "audit", "--check", model.dir, "--owner", deployer, "--network", "local"], project);
    expect(taskMine.code, taskMine.stderr).to.equal(0);
    expect(taskMine.stdout).to.match(/^result: every version of the 1 checked model matches$/m);
    const missing = await run([ZKINFER, "audit", "--rpc", url, "--registry", registry, "--check", join(model.tmp, "nowhere")], ROOT);
    expect(missing.code).to.equal(2);
  });

  it("deploy-verifier reuses a recorded model only while the registry holds it as generated now; otherwise, or with --redeploy, deploys and says why", async () => {
    const publicClient = createPublicClient({ transport: http(url) });
    const deploy = async (...extra: string[]) => {
      const r = await run([HARDHAT, "deploy-verifier", "--artifacts", model.dir, "--json", "--network", "local", ...extra], project);
      expect(r.code, r.stderr).to.equal(0);
      return JSON.parse(r.stdout) as { reused: boolean; modelId: Hex; verifier: Hex; skipped: { modelId: Hex; reason: string }[] };
    };
    const recordedIds = async () => (JSON.parse(await readFile(join(project, "deployments", "local.json"), "utf8")) as { models: { modelId: Hex }[] }).models.map((m) => m.modelId);
    const same = await deploy();
    expect(same).to.include({ reused: true, modelId: d.modelId, verifier: d.verifier });
    expect(same.skipped).to.deep.equal([]);

    // The verifier's code is no longer what the key generates: not reused, a new model deployed.
    const honest = (await publicClient.getCode({ address: d.verifier }))!;
    const acceptAll = JSON.parse(await readFile(join(ROOT, "artifacts/contracts/test/AcceptAllVerifier.sol/AcceptAllVerifier.json"), "utf8")) as { deployedBytecode: Hex };
    await publicClient.request({ method: "hardhat_setCode", params: [d.verifier, acceptAll.deployedBytecode] } as never);
    let changed;
    try {
      changed = await deploy();
    } finally {
      await publicClient.request({ method: "hardhat_setCode", params: [d.verifier, honest] } as never);
    }
    expect(changed.reused).to.equal(false);
    expect(changed.modelId).to.not.equal(d.modelId);
    expect(changed.skipped.map((k) => k.modelId)).to.deep.equal([d.modelId]);
    expect(changed.skipped[0].reason.toLowerCase()).to.equal(`the code at its verifier ${d.verifier} is not the one generated now`.toLowerCase());
    expect(await recordedIds()).to.deep.equal([d.modelId, changed.modelId]);

    // Another metadata URI is another registration; --redeploy always deploys, and says so in text.
    const other = await deploy("--metadata-uri", "ipfs://other");
    expect(other.reused).to.equal(false);
    expect(other.skipped.map((k) => k.reason)).to.deep.equal(['its metadata URI is "", not "ipfs://other"', 'its metadata URI is "", not "ipfs://other"']);
    const redeployed = await run([HARDHAT, "deploy-verifier", "--artifacts", model.dir, "--redeploy", "--network", "local"], project);
    expect(redeployed.code, redeployed.stderr).to.equal(0);
    expect(redeployed.stdout).to.match(/^deployed model 0x[0-9a-f]{64} \(--redeploy\)$/m).and.not.match(/reused/);
    expect(await recordedIds()).to.have.length(4);
  });
});
