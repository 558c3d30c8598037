// The package's shape, fast (the full black-box check is pack.test.ts, `npm run test:package`):
// what the tarball holds, where the exports point, which dependencies a consumer gets, and which
// code the bin runs.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin", "zkinfer.js");

interface Manifest {
  exports: Record<string, { types: string; default: string } | string>;
  files: string[];
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
}

function exec(file: string, args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  // npm's settings from a surrounding `npm run` (its package, its scripts) must not leak in.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_") || k.toLowerCase() === "npm_config_cache"));
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe("package: shape", function () {
  this.timeout(120_000);
  let manifest: Manifest;
  before(async () => (manifest = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as Manifest));

  it("maps every export to built JavaScript and declarations in dist/, compiled from an existing source", async () => {
    const build = JSON.parse(await readFile(join(ROOT, "tsconfig.build.json"), "utf8")) as { compilerOptions: { outDir: string }; include: string[] };
    expect(build.compilerOptions.outDir).to.equal("dist");
    for (const [path, target] of Object.entries(manifest.exports)) {
      if (path === "./package.json") continue;
      if (typeof target === "string") throw new Error(`export ${path} has no types`);
      const source = target.default.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts");
      expect(target.default, path).to.match(/^\.\/dist\/.*\.js$/);
      expect(target.types, path).to.equal(target.default.replace(/\.js$/, ".d.ts"));
      expect(existsSync(join(ROOT, source)), `${path}: ${source}`).to.equal(true);
      expect(build.include.some((glob) => source.startsWith(glob.replace(/\*\*\/\*\.ts$/, ""))), `${source} is built`).to.equal(true);
    }
    expect(Object.keys(manifest.exports)).to.include.members([".", "./sdk", "./hardhat"]);
    expect(manifest.scripts.prepack).to.match(/\bnpm run -s build\b/);
  });

  it("gives a consumer exact runtime dependencies, viem and (optionally) ethers and hardhat as peers, and no tsx", () => {
    const exact = /^\d+\.\d+\.\d+$/;
    for (const group of [manifest.dependencies, manifest.optionalDependencies, manifest.devDependencies]) {
      for (const [name, version] of Object.entries(group)) expect(version, name).to.match(exact);
    }
    expect(manifest.dependencies).not.to.have.any.keys("tsx", "viem", "ethers", "hardhat", "onnxruntime-node");
    expect(manifest.dependencies).to.have.property("solc"); // prover/codegen/compile.ts loads it at run time
    expect(Object.keys(manifest.optionalDependencies)).to.deep.equal(["onnxruntime-node"]);
    expect(Object.keys(manifest.peerDependencies).sort()).to.deep.equal(["ethers", "hardhat", "viem"]);
    expect(manifest.peerDependenciesMeta).to.deep.equal({ ethers: { optional: true }, hardhat: { optional: true } });
    // Development still gets every one of them, at the version the peer range starts from.
    for (const [name, range] of Object.entries(manifest.peerDependencies)) expect(range, name).to.equal(`^${manifest.devDependencies[name]}`);
  });

  it("packs only the built code (the explorer's page included), the bin, the contracts' sources, README and LICENSE", async () => {
    const r = await exec("npm", ["pack", "--dry-run", "--ignore-scripts", "--json"], ROOT);
    expect(r.code, r.stderr).to.equal(0);
    const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf("["))) as { files: { path: string }[] }[];
    const outside = info.files.map((f) => f.path).filter((p) => !/^(dist\/.*\.(js|js\.map|d\.ts|template|wasm|wasm\.license)|dist\/explorer\/(index\.html|assets\/[\w.-]+\.(js|css))|bin\/zkinfer\.js|contracts\/(\w+\.sol|interfaces\/\w+\.sol|lib\/\w+\.sol)|README\.md|LICENSE|package\.json)$/.test(p));
    expect(outside).to.deep.equal([]);
    expect(info.files.map((f) => f.path)).to.include.members(["bin/zkinfer.js", "contracts/InferenceRegistry.sol", "contracts/interfaces/IZkinferVerifier.sol", "README.md", "LICENSE"]);
    // Where dist/ is built (not only the explorer's page, which its test builds), the WebAssembly
    // the CLI loads at run time is packed with it.
    if (existsSync(join(ROOT, "dist", "prover"))) expect(info.files.map((f) => f.path)).to.include.members(["dist/prover/engine/wasm/kernel.wasm", "dist/prover/engine/bn128.wasm"]);
  });

  it("the bin runs dist/ with plain Node where there are no sources (an installed package)", async () => {
    const tmp = await mkdtemp(join(tmpdir(), "zkinfer-bin-"));
    try {
      await mkdir(join(tmp, "bin"));
      await mkdir(join(tmp, "dist", "prover", "cli"), { recursive: true });
      await writeFile(join(tmp, "package.json"), JSON.stringify({ type: "module" }));
      await copyFile(BIN, join(tmp, "bin", "zkinfer.js"));
      await writeFile(join(tmp, "dist", "prover", "cli", "main.js"), 'export const cli = async () => console.log("built", process.argv.slice(2).join(" "));\n');
      // No node_modules here: loading tsx would fail.
      const r = await exec(process.execPath, ["--no-experimental-strip-types", join(tmp, "bin", "zkinfer.js"), "info", "model"], tmp);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.equal("built info model\n");
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
