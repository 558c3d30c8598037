// examples/hardhat-project/ and examples/dapp/submit-and-watch.mjs in `npm test`, against the
// repository's sources: a temporary project whose node_modules/zkinfer is this repository as the
// package would be installed, except that its exports point at the TypeScript sources (the map is
// package.json's own, dist/<path>.js read as <path>.ts), so no build is needed. Hardhat loads the
// plugin's sources through its own tsx; the dApp script runs with tsx's loader. The same examples
// run against the packed, installed package in `npm run test:package` (test/package/pack.test.ts).
import { expect } from "chai";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zk } from "../helpers/cli.js";
import { childEnv, ROOT } from "../sdk/node-process.js";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { runHardhatProjectAndDapp } from "./project-and-dapp.js";

type Exports = Record<string, string | { types?: string; default: string }>;

/** package.json's exports with every dist/<path>.js target read as the source <path>.ts. */
export function sourceExports(exports: Exports): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(exports)) {
    const file = typeof target === "string" ? target : target.default;
    const source = /^\.\/dist\/(.+)\.js$/.exec(file);
    out[subpath] = source ? `./${source[1]}.ts` : file;
  }
  return out;
}

/** node_modules/zkinfer in `app`: the source folders linked in, and a package.json that exports the sources. */
async function linkSourcesAsPackage(app: string): Promise<void> {
  const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { name: string; type: string; exports: Exports };
  const dir = join(app, "node_modules", pkg.name);
  await mkdir(dir, { recursive: true });
  const exports = sourceExports(pkg.exports);
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: pkg.name, type: pkg.type, exports }));
  const folders = new Set(Object.values(exports).map((target) => target.split("/")[1]).filter((f) => !f.endsWith(".json")));
  for (const folder of folders) await symlink(join(ROOT, folder), join(dir, folder));
  // The peers the package's user installs: hardhat for the project, viem for both.
  for (const peer of ["hardhat", "viem"]) await symlink(join(ROOT, "node_modules", peer), join(app, "node_modules", peer));
}

describe("examples: the Hardhat project and the dApp script, on the sources (hardhat node)", function () {
  this.timeout(600_000);
  let app: string | undefined;

  after(async () => {
    await releaseEngine();
    if (app) await rm(app, { recursive: true, force: true });
  });

  it("sourceExports maps the built entries to their sources and keeps the rest", () => {
    expect(sourceExports({ ".": { types: "./dist/prover/index.d.ts", default: "./dist/prover/index.js" }, "./hardhat": { default: "./dist/sdk/hardhat/index.js" }, "./package.json": "./package.json" })).to.deep.equal({
      ".": "./prover/index.ts",
      "./hardhat": "./sdk/hardhat/index.ts",
      "./package.json": "./package.json",
    });
  });

  it("the project's plugin deploys, submits and audits; the dApp script submits, reads and watches", async () => {
    app = await mkdtemp(join(tmpdir(), "zkinfer-examples-"));
    await linkSourcesAsPackage(app);
    // The model and proof of test/package/pack.test.ts: matvec, its 4 inputs public, then 3 outputs.
    const setup = await zk("setup", join(app, "model"), "--dev-srs", "--circuit", "matvec", "--param", "m=3", "--param", "k=4", "--param", "bits=4", "--quiet");
    expect(setup.code, setup.stderr).to.equal(0);
    await writeFile(join(app, "input.json"), JSON.stringify({ input_data: [[1, -2, 7, -8]] }));
    const prove = await zk("prove", join(app, "model"), "--input", join(app, "input.json"), "--out", join(app, "proof.json"), "--quiet");
    expect(prove.code, prove.stderr).to.equal(0);
    await runHardhatProjectAndDapp(app, childEnv, ["--import", import.meta.resolve("tsx")]);
  });
});
