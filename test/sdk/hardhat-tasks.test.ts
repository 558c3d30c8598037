// The plugin's tasks in this process, on the in-process network (one connection shared by the
// tasks, so state carries from one task to the next; nothing is recorded on disk for it).
import { expect } from "chai";
import { rm, stat } from "node:fs/promises";
import { join } from "node:path";
import hre from "hardhat";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { R } from "../../verifier/engine/constants.js";
import { expectRejection } from "../helpers/assert.js";
import { zk } from "../helpers/cli.js";
import { makePtauFixtures } from "../prover/srs/fixtures.js";
import { makeMatvecModel, type MatvecModel } from "./matvec-model.js";

let model: MatvecModel;

/** Runs a task and returns what it printed with console.log. */
async function runTask(name: string, args: Record<string, unknown>): Promise<string> {
  const printed: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => printed.push(parts.join(" "));
  try {
    await hre.tasks.getTask(name).run(args);
  } finally {
    console.log = log;
  }
  return printed.join("\n");
}

describe("hardhat tasks on the in-process network", () => {
  before(async () => {
    model = await makeMatvecModel([[2, 7, -1, 8]]);
  });

  after(async () => {
    await releaseEngine();
    if (model) await rm(model.tmp, { recursive: true, force: true });
  });

  it("deploy-verifier, submit-proof and audit", async () => {
    const deployed = JSON.parse(await runTask("deploy-verifier", { artifacts: model.dir, json: true }));
    expect(deployed.verifier).to.match(/^0x[0-9a-fA-F]{40}$/);
    expect(deployed.registry).to.match(/^0x[0-9a-fA-F]{40}$/);
    expect(deployed.modelId).to.match(/^0x[0-9a-f]{64}$/);
    expect(deployed.deployments).to.equal(null);
    await expectRejection(stat(join(hre.config.paths.root, "deployments", "default.json")), /ENOENT/);

    const submitted = await runTask("submit-proof", { artifacts: model.dir, proof: model.proofPaths[0], registry: deployed.registry, model: deployed.modelId, json: false });
    const recordId = /recordId (0x[0-9a-f]{64})/.exec(submitted)?.[1];
    expect(recordId).to.match(/^0x/);
    expect(submitted).to.match(/gasUsed \d+/);

    const report = JSON.parse(await runTask("audit", { registry: deployed.registry, json: true }));
    expect(report.models.map((m: { id: string }) => m.id)).to.deep.equal([deployed.modelId]);
    expect(report.models[0].records.map((r: { id: string }) => r.id)).to.deep.equal([recordId]);
    // without the model directory: the signed integers; with it (--artifacts): the values, every one
    const signedOutputs = model.proofs[0].publicInputs.slice(4).map((x) => (BigInt(x) > R / 2n ? BigInt(x) - R : BigInt(x)));
    expect(report.models[0].records[0].outputValues).to.equal(null);
    expect(report.models[0].records[0].outputsSigned).to.deep.equal(signedOutputs.map(String));
    const scaled = JSON.parse(await runTask("audit", { registry: deployed.registry, artifacts: model.dir, json: true }));
    expect(scaled.models[0].records[0].outputValues).to.deep.equal(signedOutputs.map(Number));
    expect(scaled.models[0].warning).to.match(/PROVE NOTHING/);
    const text = await runTask("audit", { registry: deployed.registry, artifacts: model.dir, json: false });
    expect(text).to.include(`outputs [${signedOutputs.join(", ")}]`).and.include(`submitter `);
    expect(text.match(/PROVE NOTHING/g)?.length).to.equal(1);
  });

  it("audit --check --srs checks the published circuit as `zkinfer audit` does: ok for a key made on the .ptau, MISMATCH (the task fails) for a --dev-srs key", async () => {
    // snarkjs and the engine share ffjavascript's curve: make the .ptau with the engine released.
    await releaseEngine();
    const fx = await makePtauFixtures();
    try {
      const dir = join(model.tmp, "on-ptau");
      const devDir = join(model.tmp, "on-dev-srs");
      const params = ["--circuit", "matvec", "--param", "m=3", "--param", "k=2", "--param", "bits=2"];
      for (const [to, srs] of [[dir, ["--srs", fx.plain]], [devDir, ["--dev-srs"]]] as const) {
        const setupRun = await zk("setup", to, ...srs, ...params);
        expect(setupRun.code, setupRun.stderr).to.equal(0);
      }
      const deployed = JSON.parse(await runTask("deploy-verifier", { artifacts: dir, json: true }));
      const audit = (check: string, srs?: string, json = false) => runTask("audit", { registry: deployed.registry, model: deployed.modelId, check, srs, json });

      const ok = await audit(dir, fx.plain);
      expect(ok).to.match(/^result: every version of the 1 checked model matches$/m).and.match(/ok +fixed commitments: /);
      expect(ok).to.include("the key's circuit is the published one, and it is well-formed");
      expect(JSON.parse(await audit(dir, fx.plain, true)).circuit).to.deep.include({ ok: true, mismatchedColumns: [] });
      expect(await audit(dir)).to.match(/^circuit: not checked \(the verifier code was; pass --srs <file\.ptau>/m);
      expect(JSON.parse(await audit(dir, undefined, true)).circuit).to.equal(null);

      // A key made on a dev SRS cannot be checked: the circuit check fails, and so does the task, as `audit` exits 1.
      const devDeployed = JSON.parse(await runTask("deploy-verifier", { artifacts: devDir, json: true }));
      await expectRejection(
        runTask("audit", { registry: devDeployed.registry, model: devDeployed.modelId, check: devDir, srs: fx.plain, json: false }),
        /the key's circuit is not shown to be the one .*public-circuit\.bin publishes \(MISMATCH above\)/,
      );
      await expectRejection(runTask("audit", { registry: deployed.registry, srs: fx.plain, json: false }), /--srs is for --check <dir>/);
      await expectRejection(audit(dir, join(model.tmp, "nowhere.ptau")), /nowhere\.ptau/);
    } finally {
      await fx.remove();
    }
  });

  it("says what is missing or wrong", async () => {
    await expectRejection(runTask("deploy-verifier", { json: false }), /--artifacts <dir> is required/);
    await expectRejection(runTask("deploy-verifier", { artifacts: join(model.tmp, "nowhere"), json: false }), /does not exist/);
    await expectRejection(runTask("submit-proof", { artifacts: model.dir, json: false }), /--proof <proof.json> is required/);
    await expectRejection(runTask("submit-proof", { artifacts: model.dir, proof: model.proofPaths[0], json: false }), /no registry recorded for network/);
    await expectRejection(runTask("audit", { registry: "0x1234", json: false }), /--registry must be an address/);
    await expectRejection(runTask("audit", { registry: "0x000000000000000000000000000000000000dEaD", model: "7", json: false }), /--model must be a model id/);
    await expectRejection(runTask("audit", { registry: "0x000000000000000000000000000000000000dEaD", owner: "0x12", json: false }), /--owner must be an address/);
  });
});
