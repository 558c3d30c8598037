// End to end on a real JSON-RPC node: starts `npx hardhat node` on 127.0.0.1 (a free port), and
// from a separate dApp project that only adds the zkinfer plugin deploys with `deploy-verifier`,
// submits a real proof through the SDK and another with `submit-proof`, reads them back with
// `zkinfer audit` and the `audit` task, and stops the node whatever happens.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createPublicClient, createWalletClient, getAddress, http, type Hex } from "viem";
import { releaseEngine } from "../../prover/engine/bn254.js";
import { createClient, inputHashOf } from "../../sdk/index.js";
import { loadModelArtifacts } from "../../sdk/model-artifacts.js";
import { makeMatvecModel, type MatvecModel } from "./matvec-model.js";
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
        `export default { plugins: [zkinfer], networks: { local: { type: "http", url: ${JSON.stringify(url)} } } };`,
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
    const d = JSON.parse(deployed.stdout) as { verifier: Hex; registry: Hex; modelId: Hex; deployments: string };
    expect(Object.keys(d)).to.include.members(["verifier", "registry", "modelId"]);
    const recorded = JSON.parse(await readFile(join(project, "deployments", "local.json"), "utf8"));
    expect(recorded.registry).to.equal(d.registry);
    expect(recorded.models.map((m: { modelId: Hex }) => m.modelId)).to.deep.equal([d.modelId]);

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

    const badRegistry = await run([ZKINFER, "audit", "--rpc", url, "--registry", d.verifier], ROOT);
    expect(badRegistry.code).to.equal(2);
    const noNode = await run([ZKINFER, "audit", "--rpc", "http://127.0.0.1:9", "--registry", d.registry], ROOT);
    expect(noNode.code).to.equal(2);
    expect(noNode.stderr).to.match(/failed after/);
  });
});
