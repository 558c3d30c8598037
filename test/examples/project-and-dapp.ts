// Runs examples/hardhat-project/ and examples/dapp/submit-and-watch.mjs, as written, in a project
// directory that already has zkinfer, hardhat and viem in its node_modules, a model directory
// (`model/`) and a proof of it (`proof.json`), against a `hardhat node`. Two callers: the packed
// package installed (test/package/pack.test.ts) and the repository's sources linked in as the
// package (test/examples/project-and-dapp.test.ts, in `npm test`).
import { expect } from "chai";
import { execFile } from "node:child_process";
import { copyFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { privateKeyToAccount } from "viem/accounts";
import { startHardhatNode, type HardhatNode } from "../sdk/node-process.js";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runIn(file: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
      resolve({ code: e ? (typeof e.code === "number" ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/**
 * The Hardhat project (with the plugin from `app/node_modules/zkinfer`) deploys, submits and
 * audits; then the dApp script, run with `node ...nodeArgs`, checks the proof off-chain, submits it
 * again from another account, reads the record back and sees it through its watch.
 */
export async function runHardhatProjectAndDapp(app: string, env: NodeJS.ProcessEnv, nodeArgs: readonly string[]): Promise<void> {
  const project = join(app, "hardhat-project");
  await mkdir(project);
  for (const f of ["hardhat.config.ts", "package.json"]) await copyFile(join(EXAMPLES, "hardhat-project", f), join(project, f));
  await copyFile(join(EXAMPLES, "dapp", "submit-and-watch.mjs"), join(app, "submit-and-watch.mjs"));
  let chain: HardhatNode | undefined;
  try {
    chain = await startHardhatNode();
    // Without the test runner's HARDHAT_* variables, which would point the project at its config.
    const childEnv: NodeJS.ProcessEnv = { ...env, RPC_URL: chain.url };
    for (const k of Object.keys(childEnv)) if (k.startsWith("HARDHAT_")) delete childEnv[k];
    const cli = join(app, "node_modules", "hardhat", "dist", "src", "cli.js");
    const hardhat = (...args: string[]) => runIn(process.execPath, [cli, ...args, "--network", "local"], project, childEnv, 240_000);
    const deployed = await hardhat("deploy-verifier", "--artifacts", "../model", "--json");
    expect(deployed.code, `${deployed.stderr}\n${chain.output().slice(-2000)}`).to.equal(0);
    const d = JSON.parse(deployed.stdout) as { registry: string; modelId: string };
    const submitted = await hardhat("submit-proof", "--artifacts", "../model", "--proof", "../proof.json");
    expect(submitted.code, submitted.stderr).to.equal(0);
    expect(JSON.parse(await readFile(join(project, "deployments", "local.json"), "utf8")).registry).to.equal(d.registry);

    // Hardhat's account #1 (a well-known development key) submits the same proof again.
    const key = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    const dapp = await runIn(process.execPath, [...nodeArgs, "submit-and-watch.mjs", "model", "proof.json"], app, { ...childEnv, REGISTRY: d.registry, MODEL_ID: d.modelId, PRIVATE_KEY: key }, 60_000);
    expect(dapp.signal, `the dApp script did not exit on its own\n${dapp.stderr}`).to.equal(null);
    expect(dapp.code, dapp.stderr).to.equal(0);
    const out = JSON.parse(dapp.stdout) as Record<string, unknown>;
    expect(out).to.include({ submitter: privateKeyToAccount(key).address, insecureDevSrs: true, listed: true, watched: true });
    expect(out.outputs).to.deep.equal(JSON.parse(await readFile(join(app, "proof.json"), "utf8")).publicInputs.slice(4));

    const audit = await hardhat("audit", "--json");
    expect(audit.code, audit.stderr).to.equal(0);
    expect(audit.stdout).to.include(d.modelId).and.include(out.recordId as string);
  } finally {
    chain?.stop();
  }
}
