// The published package, black box (issue 22): `npm pack` (prepack builds dist/), the tarball
// installed into a fresh project from the npm cache alone (no optional dependencies), then plain
// Node, with type stripping off so that no TypeScript can load: the installed CLI makes a proof,
// an ESM script importing `zkinfer` and `zkinfer/sdk` verifies it and must exit on its own, the
// verifier is generated and compiled (solc), and the worker threads load their built entry files.
// The consumer's own `tsc --strict` checks a typed use of both entries, and esbuild bundles the
// installed zkinfer/sdk for the browser, and runs examples/hardhat-project and examples/dapp on the
// installed package (`npm test` runs them on the sources: test/examples/project-and-dapp.test.ts).
// Slow (a build and an install), so it runs with `npm run test:package` (ZKINFER_PACKAGE_TESTS=pack),
// not in `npm test`.
import { expect } from "chai";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { kernelBinary } from "../../prover/engine/wasm/module.js";
import { writeModel } from "../../prover/onnx/writer.js";
import { runHardhatProjectAndDapp, runIn, type Run } from "../examples/project-and-dapp.js";
import { bundleForBrowser } from "./browser-bundle.js";
import { writeConsumerProject } from "./consumer.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const enabled = process.env.ZKINFER_PACKAGE_TESTS === "pack";

/** npm's own settings from a surrounding `npm run` would leak into the child npm: keep only the cache. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith("npm_") || k.toLowerCase() === "npm_config_cache") env[k] = v;
  return env;
}

function run(file: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<Run> {
  return runIn(file, args, cwd, cleanEnv(), timeoutMs);
}

/** Plain Node: no tsx, and no type stripping, so only the built JavaScript can run. */
const node = (args: readonly string[], cwd: string, timeoutMs = 120_000) => run(process.execPath, ["--no-experimental-strip-types", ...args], cwd, timeoutMs);

(enabled ? describe : describe.skip)("package: npm pack, installed into a fresh project, run with plain Node", function () {
  this.timeout(600_000);
  let tmp: string;
  let app: string;
  let zkinfer: (...args: string[]) => Promise<Run>;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), "zkinfer-pack-"));
    app = join(tmp, "app");
    const packed = await run("npm", ["pack", "--json", "--pack-destination", tmp], ROOT, 600_000);
    expect(packed.code, packed.stderr).to.equal(0);
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as { filename: string }[];
    await mkdir(app);
    await rename(join(tmp, info.filename), join(app, info.filename));
    // typescript and @types/node: what a consumer type-checks with (viem brings its own types).
    await writeConsumerProject(ROOT, app, join(app, info.filename), ["typescript", "@types/node"]);
    const install = (mode: string) => run("npm", ["ci", mode, "--omit=optional", "--ignore-scripts", "--no-audit", "--no-fund"], app, 300_000);
    let installed = await install("--offline");
    // A cache that lacks a tarball (node_modules restored rather than installed): fetch just those.
    if (installed.code !== 0 && installed.stderr.includes("ENOTCACHED")) installed = await install("--prefer-offline");
    expect(installed.code, `npm ci failed:\n${installed.stderr}`).to.equal(0);
    const bin = join(app, "node_modules", "zkinfer", "bin", "zkinfer.js");
    zkinfer = (...args) => node([bin, ...args], app);
  });

  after(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("installs the built code, the contracts' sources and the docs a user reads, without tests, scripts, tsx or the optional onnxruntime-node", async () => {
    const pkg = join(app, "node_modules", "zkinfer");
    expect((await readdir(pkg)).sort()).to.deep.equal(["LICENSE", "README.md", "bin", "contracts", "dist", "package.json"]);
    expect(await readdir(join(pkg, "bin"))).to.deep.equal(["zkinfer.js"]);
    expect((await readdir(join(pkg, "contracts"))).sort()).to.deep.equal(["InferenceRegistry.sol", "interfaces", "lib"]);
    expect((await readdir(join(pkg, "dist"))).sort()).to.deep.equal(["explorer", "prover", "sdk", "service", "verifier"]);
    const files = await readdir(join(pkg, "dist"), { recursive: true });
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")), "TypeScript sources").to.deep.equal([]);
    expect(files).to.include.members(["prover/plonkish/gate-worker.js", "prover/engine/wasm/worker.js", "prover/engine/wasm/kernel.wasm", "prover/cli/key-read-worker.js", "prover/engine/bn128.wasm", "prover/engine/bn128.wasm.license", "prover/codegen/templates/Verifier.sol.template", "sdk/index.d.ts", "verifier/plonkish/verifier.js", "explorer/index.html"]);
    for (const absent of ["tsx", "onnxruntime-node", "hardhat", "ethers", "esbuild"]) expect(existsSync(join(app, "node_modules", absent)), absent).to.equal(false);
    for (const present of ["viem", "solc", "ffjavascript", "bullmq", "fastify"]) expect(existsSync(join(app, "node_modules", present)), present).to.equal(true);
  });

  it("the installed CLI makes and checks a proof with plain Node", async () => {
    await writeFile(join(app, "input.json"), JSON.stringify({ input_data: [[1, -2, 7, -8]] }));
    const setup = await zkinfer("setup", "model", "--dev-srs", "--circuit", "matvec", "--param", "m=3", "--param", "k=4", "--param", "bits=4", "--quiet");
    expect(setup.code, setup.stderr).to.equal(0);
    const prove = await zkinfer("prove", "model", "--input", "input.json", "--out", "proof.json", "--quiet");
    expect(prove.code, prove.stderr).to.equal(0);
    const verify = await zkinfer("verify", "model", "proof.json", "--quiet");
    expect(verify.code, verify.stderr).to.equal(0);
    expect(verify.stdout).to.match(/^valid$/m);
  });

  it("an ESM script importing zkinfer and zkinfer/sdk verifies the proof off-chain and exits on its own within 30 s", async () => {
    await writeFile(
      join(app, "verify.mjs"),
      `import { readFile } from "node:fs/promises";
import { decodeVerificationKey, parseProofFile, PROOF_BYTES } from "zkinfer";
import { createClient, verifyOffchain, InvalidArgumentError } from "zkinfer/sdk";

const file = JSON.parse(await readFile("proof.json", "utf8"));
const vk = new Uint8Array(await readFile("model/vk.bin"));
const parsed = parseProofFile(file);
const outputs = [...file.publicInputs];
outputs[outputs.length - 1] = (BigInt(outputs.at(-1)) + 1n).toString();
console.log(JSON.stringify({
  proofBytes: parsed.proof.length === PROOF_BYTES,
  publicInputs: decodeVerificationKey(vk).vk.publicInputCount,
  valid: await verifyOffchain({ proof: file, vk }),
  wrongOutput: await verifyOffchain({ proof: { proof: file.proof, publicInputs: outputs }, vk }),
  clientFactory: typeof createClient,
  errors: typeof InvalidArgumentError,
}));
`,
    );
    const r = await node(["verify.mjs"], app, 30_000);
    expect(r.signal, `verify.mjs did not exit within 30 s (an engine left running?)\n${r.stderr}`).to.equal(null);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal({ proofBytes: true, publicInputs: 7, valid: true, wrongOutput: false, clientFactory: "function", errors: "function" });
  });

  it("the consumer's own tsc --strict accepts a typed use of zkinfer and zkinfer/sdk", async () => {
    // No skipLibCheck: the package's declarations are checked too. lib "dom", as viem's types need it.
    await writeFile(
      join(app, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2022", "dom"], types: ["node"], noEmit: true }, files: ["app.ts"] }),
    );
    await writeFile(
      join(app, "app.ts"),
      `import { readFile } from "node:fs/promises";
import { createPublicClient, http, type Hex } from "viem";
import { hardhat } from "viem/chains";
import { decodeVerificationKey, parseProofFile, type ProofFile, type VerificationKey } from "zkinfer";
import { createClient, verifyOffchain, getRecord, inputHashOf, ZkinferError, type InferenceRecord, type ZkinferClient } from "zkinfer/sdk";

const file = JSON.parse(await readFile("proof.json", "utf8")) as ProofFile;
const vk: VerificationKey = decodeVerificationKey(new Uint8Array(await readFile("model/vk.bin"))).vk;
const ok: boolean = await verifyOffchain({ proof: file, vk });
const publicInputs: bigint[] = parseProofFile(file).publicInputs;
const client: ZkinferClient = createClient({ publicClient: createPublicClient({ chain: hardhat, transport: http() }), registry: "0x0000000000000000000000000000000000000001" });
async function latest(id: Hex): Promise<InferenceRecord | undefined> {
  try {
    return await getRecord(client, { recordId: id });
  } catch (err) {
    if (err instanceof ZkinferError) return undefined;
    throw err;
  }
}
export { ok, publicInputs, latest, inputHashOf };
`,
    );
    const tsc = join(app, "node_modules", "typescript", "bin", "tsc");
    const r = await node([tsc, "-p", "tsconfig.json", "--strict", "--noEmit"], app, 500_000); // viem's declarations: 1.5-4 min on a loaded machine
    expect(r.code, `tsc failed:\n${r.stdout}${r.stderr}`).to.equal(0);
  });

  it("esbuild bundles the installed zkinfer/sdk for the browser: no Node built-in, no prover code", async () => {
    const bundle = await bundleForBrowser('export * from "zkinfer/sdk";', app);
    expect(bundle.problems).to.deep.equal([]);
    const ours = bundle.inputs.filter((f) => f.startsWith("node_modules/zkinfer/"));
    expect(ours).to.include("node_modules/zkinfer/dist/verifier/plonkish/verifier.js");
    expect(ours.filter((f) => !/^node_modules\/zkinfer\/dist\/(sdk|verifier)\//.test(f) || f.includes("/sdk/hardhat/"))).to.deep.equal([]);
  });

  it("examples/: the Hardhat project with the installed plugin deploys, submits and audits; the dApp script submits, reads and watches", async () => {
    // hardhat is the optional peer a Hardhat project installs itself: link the repository's, after
    // the first test checked that the tarball did not bring it. The chain is a `hardhat node`.
    await symlink(join(ROOT, "node_modules", "hardhat"), join(app, "node_modules", "hardhat"));
    await runHardhatProjectAndDapp(app, cleanEnv(), ["--no-experimental-strip-types"]);
  });

  it("exports the verifier (its template is shipped) and compiles it with the installed solc", async () => {
    const exported = await zkinfer("export-verifier", "model", "--out", "Verifier.sol", "--quiet");
    expect(exported.code, exported.stderr).to.equal(0);
    await writeFile(
      join(app, "solc.mjs"),
      `import { readFile } from "node:fs/promises";
import { compileVerifier } from "zkinfer";
const compiled = compileVerifier(await readFile("Verifier.sol", "utf8"), "ZkinferVerifier");
console.log(JSON.stringify({ deployable: compiled.deployedSize > 0 && compiled.bytecode.startsWith("0x60") }));
`,
    );
    const r = await node(["solc.mjs"], app);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal({ deployable: true });
  });

  it("the prover's worker threads load their built entry files", async () => {
    // Deep imports by path (the exports map does not publish these): forcing two threads starts a
    // gate worker and a kernel worker, whose entry files a build could leave behind as .ts.
    await writeFile(
      join(app, "workers.mjs"),
      `const dist = new URL("./node_modules/zkinfer/dist/prover/", import.meta.url);
const { transformMany } = await import(new URL("plonkish/gate-pool.js", dist));
const { Domain } = await import(new URL("poly/index.js", dist));
const { g1MsmLem } = await import(new URL("engine/wasm/index.js", dist));
const { releaseEngine } = await import(new URL("../verifier/engine/bn254.js", dist));
const domain = Domain.create(4);
const inputs = [0, 1].map((k) => Uint8Array.from({ length: 16 * 32 }, (_, i) => (i % 32 === 0 ? i / 32 + k : 0)));
const one = await transformMany("ifft", inputs, domain, { threads: 1 });
const two = await transformMany("ifft", inputs, domain, { threads: 2 });
const zeros = new Uint8Array(4 * 64);
const scalars = Uint8Array.from({ length: 4 * 32 }, (_, i) => i);
const msm = await g1MsmLem(zeros, scalars, 32, { threads: 2 });
await releaseEngine();
console.log(JSON.stringify({ gates: one.every((v, i) => Buffer.from(v).equals(Buffer.from(two[i]))), kernels: msm.every((b) => b === 0) }));
`,
    );
    const r = await node(["workers.mjs"], app, 60_000);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal({ gates: true, kernels: true });
    // The kernels' module, generated by the build (every thread compiles it instead of generating it), is the generators' output.
    const shipped = await readFile(join(app, "node_modules", "zkinfer", "dist", "prover", "engine", "wasm", "kernel.wasm"));
    expect(Buffer.compare(shipped, kernelBinary())).to.equal(0);
  });

  it("the installed CLI and the worker threads start from bundles, not from zkinfer's ~200 modules one by one", async () => {
    // A load hook in every thread (--import reaches the workers through their execArgv) appends
    // the thread and each zkinfer file it loads to loads.log (one append per line: threads interleave).
    await writeFile(
      join(app, "log-loads.mjs"),
      `import { registerHooks } from "node:module";
import { appendFileSync } from "node:fs";
import { threadId } from "node:worker_threads";
registerHooks({
  load(url, context, next) {
    const at = url.indexOf("/node_modules/zkinfer/");
    if (at >= 0) appendFileSync("loads.log", threadId + " " + url.slice(at + 22) + "\\n");
    return next(url, context);
  },
});
`,
    );
    const logged = async (args: string[]) => {
      await rm(join(app, "loads.log"), { force: true });
      const r = await node(["--import", "./log-loads.mjs", ...args], app);
      expect(r.code, r.stderr).to.equal(0);
      const lines = (await readFile(join(app, "loads.log"), "utf8")).trim().split("\n");
      const files = (main: boolean) => lines.map((l) => l.split(" ")).filter(([thread]) => (thread === "0") === main).map(([, file]) => file);
      return { main: files(true), workers: [...new Set(files(false))].sort() };
    };
    const prove = await logged([join(app, "node_modules", "zkinfer", "bin", "zkinfer.js"), "prove", "model", "--input", "input.json", "--out", "proof-2.json", "--quiet"]);
    expect(prove.main[0]).to.equal("bin/zkinfer.js");
    expect(prove.main.slice(1).every((f) => /^dist\/prover\/cli\/main(-chunk-[A-Z0-9]+)?\.js$/.test(f)), prove.main.join(" ")).to.equal(true);
    expect(prove.main.length).to.be.within(2, 12);
    const entries = ["dist/prover/engine/wasm/worker.js", "dist/prover/plonkish/gate-worker.js"];
    // prove reads a large pk.bin on a thread of its own too (two small files of ours, not bundled).
    const keyReader = ["dist/prover/cli/key-read-worker.js", "dist/prover/cli/read-hashed.js"];
    expect(prove.workers.every((f) => [...entries, ...keyReader].includes(f)), prove.workers.join(" ")).to.equal(true);
    // workers.mjs (above) forces both kinds of worker, through the library's unbundled pools.
    expect((await logged(["workers.mjs"])).workers).to.deep.equal(entries);
  });

  it("compile without onnxruntime-node exits 2 and says what to install", async () => {
    // y = x · Wᵀ, x: [1, 2]
    const model = writeModel({
      inputs: [{ name: "x", dtype: "float32", shape: [1, 2] }],
      outputs: [{ name: "y", dtype: "float32", shape: [1, 2] }],
      initializers: [{ name: "W", dtype: "float32", dims: [2, 2], data: new Float32Array([1, -0.5, 0.25, 2]) }],
      nodes: [{ op: "Gemm", inputs: ["x", "W"], outputs: ["y"], attrs: { transB: { int: 1 } } }],
      opset: 13,
    });
    await writeFile(join(app, "tiny.onnx"), model);
    await writeFile(join(app, "tiny.json"), JSON.stringify({ input_data: [[0.5, -1]] }));
    const r = await zkinfer("compile", "tiny.onnx", "--out", "tiny", "--calibration", "tiny.json");
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.include("onnxruntime-node").and.include("npm install onnxruntime-node@1.30.0");
    expect(existsSync(join(app, "tiny")), "nothing written").to.equal(false);
  });
});
