// End to end in a real browser: `npx hardhat node`, a registry with one dev-SRS model and two real
// records, `zkinfer explorer` serving the built app, and the system's Chromium (apt-get install
// chromium) driven by playwright-core. The model list shows the dev-SRS warning, the record page
// the proof's dequantized outputs, and "Verify in this browser" says valid for the honest record and
// a mismatch once hardhat_setCode has replaced the verifier's code. The record page's screenshot is
// the one the README shows (docs/img/explorer-record.png). Every process and the browser are stopped
// whatever happens.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { createPublicClient, createWalletClient, getAddress, http, type Hex } from "viem";
import { build } from "vite";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { compileModelVerifier, loadModelArtifacts } from "../../sdk/hardhat/model-artifacts.js";
import { createClient, type InferenceRecord, type ZkinferClient } from "../../sdk/index.js";
import { zk } from "../helpers/cli.js";
import { makeMatvecModel, type MatvecModel } from "../sdk/matvec-model.js";
import { childEnv, freePort, ROOT, startHardhatNode, waitForOutput, type HardhatNode } from "../sdk/node-process.js";

const CHROMIUM = "/usr/bin/chromium";
// A closed network: without these, Chromium waits on connections it will never get.
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
// The README's screenshot is rewritten only on request (its port, times and hashes change every run).
const README_SCREENSHOT = join(ROOT, "docs/img/explorer-record.png");

/** Starts `zkinfer explorer` and resolves once it serves; `stdout` is what it printed there. */
async function startExplorer(args: string[]): Promise<{ child: ChildProcess; output: () => string; stdout: () => string }> {
  const child = spawn(process.execPath, [join(ROOT, "bin/zkinfer.js"), "explorer", ...args], { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  // Killed with this process too, should the test runner die before after().
  const kill = (): void => void child.kill("SIGKILL");
  process.once("exit", kill);
  child.once("exit", () => process.removeListener("exit", kill));
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => void (stdout += chunk.toString()));
  return { child, output: await waitForOutput(child, "explorer: serving", "zkinfer explorer", 60_000), stdout: () => stdout };
}

type RpcRequest = { id: unknown; jsonrpc: string; method: string; params?: unknown[] };

/**
 * A JSON-RPC proxy to the node at `upstream` that answers like a node without archive (a geth full
 * node keeps the state of the last 128 blocks): eth_call at a block more than `kept` below the head
 * fails. Open to any origin, for the browser.
 */
async function startPrunedNode(upstream: string, kept: bigint): Promise<{ url: string; close: () => void }> {
  const forward = async (body: unknown): Promise<unknown> =>
    (await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json();
  const answer = async (request: RpcRequest): Promise<unknown> => {
    const block = request.method === "eth_call" ? request.params?.[1] : undefined;
    if (typeof block === "string" && block.startsWith("0x")) {
      const head = BigInt(((await forward({ id: 0, jsonrpc: "2.0", method: "eth_blockNumber", params: [] })) as { result: Hex }).result);
      if (BigInt(block) < head - kept) return { id: request.id, jsonrpc: "2.0", error: { code: -32000, message: `missing trie node (state of block ${BigInt(block)} is not kept)` } };
    }
    return forward(request);
  };
  const server = createServer((req, res) => {
    res.setHeader("access-control-allow-origin", "*");
    res.setHeader("access-control-allow-headers", "content-type");
    if (req.method === "OPTIONS") return void res.end();
    let body = "";
    req.on("data", (chunk: Buffer) => void (body += chunk.toString()));
    req.on("end", () => {
      const parsed = JSON.parse(body) as RpcRequest | RpcRequest[];
      void (Array.isArray(parsed) ? Promise.all(parsed.map(answer)) : answer(parsed)).then((out) => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(out));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => void server.close() };
}

describe("audit explorer in Chromium (hardhat node, zkinfer explorer, playwright-core)", function () {
  let model: MatvecModel | undefined;
  let node: HardhatNode | undefined;
  let explorer: { child: ChildProcess; output: () => string; stdout: () => string } | undefined;
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  let page: Page;
  let base: string;
  let registry: Hex;
  let verifier: Hex;
  let modelId: Hex;
  const recordIds: Hex[] = [];
  let onRegistry: ZkinferClient;
  let chainRecord: (recordId: Hex) => Promise<InferenceRecord>;

  before(async function () {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)`);
    await build({ configFile: join(ROOT, "explorer/vite.config.ts"), logLevel: "error" });
    model = await makeMatvecModel([
      [3, -1, 4, 1],
      [-5, 9, 2, -6],
    ]);
    node = await startHardhatNode();
    const publicClient = createPublicClient({ transport: http(node.url) });
    const [account] = (await publicClient.request({ method: "eth_accounts" } as never)) as string[];
    const walletClient = createWalletClient({ account: getAddress(account), transport: http(node.url) });
    const client = createClient({ publicClient, walletClient });
    registry = (await client.deployRegistry()).address;
    onRegistry = client.withRegistry(registry);
    chainRecord = (recordId) => onRegistry.getRecord({ recordId });
    // Compiled before the first transaction: a send on a keep-alive socket the node closed while
    // solc ran (seconds) fails without a retry (sends are not retried, so nothing is sent twice).
    const artifacts = await loadModelArtifacts(model.dir);
    const { bytecode } = compileModelVerifier(artifacts);
    await publicClient.getChainId();
    verifier = (await onRegistry.deployVerifier({ bytecode })).address;
    modelId = (await onRegistry.registerModel({ vkDigest: artifacts.vkDigest, verifier, metadataURI: "https://models.example/matvec.json" })).modelId;
    for (const proof of model.proofs) recordIds.push((await onRegistry.submitInference({ modelId, proof })).recordId);

    const port = await freePort();
    // --quiet hides progress, never the result: the URL it serves.
    explorer = await startExplorer(["--rpc", node.url, "--registry", registry, "--port", String(port), "--artifacts", model.dir, "--quiet"]);
    base = `http://127.0.0.1:${port}/`;
    profile = await mkdtemp(join(tmpdir(), "zkinfer-chromium-"));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 1000 } });
    page = context.pages()[0] ?? (await context.newPage());
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    if (explorer?.child.exitCode === null) explorer.child.kill("SIGTERM");
    node?.stop();
    await releaseEngine();
    if (profile) await rm(profile, { recursive: true, force: true });
    if (model) await rm(model.tmp, { recursive: true, force: true });
  });

  it("with --quiet, stdout still says where it serves, and stderr has no progress", () => {
    expect(explorer!.stdout()).to.equal(`explorer: serving ${base} (registry ${getAddress(registry)} on ${node!.url}, chain 31337); Ctrl-C stops it\n`);
    expect(explorer!.output().replace(explorer!.stdout(), "")).to.not.match(/loading|serving/);
  });

  it("the server hands out the settings and the key files of --artifacts, nothing outside the app, and refuses bad usage (exit 2)", async () => {
    const config = (await (await fetch(`${base}config.json`)).json()) as { rpc: string; registry: string; chainId: number; keys: string[] };
    const artifacts = await loadModelArtifacts(model!.dir);
    expect(config).to.deep.equal({ rpc: node!.url, registry: getAddress(registry), chainId: 31337, keys: [artifacts.vkDigest.toLowerCase()] });
    const vk = Buffer.from(await (await fetch(`${base}artifacts/${artifacts.vkDigest}/vk.bin`)).arrayBuffer());
    expect(vk.equals(await readFile(join(model!.dir, "vk.bin")))).to.equal(true);
    expect((await fetch(`${base}artifacts/0x${"00".repeat(32)}/vk.bin`)).status).to.equal(404);
    expect((await fetch(`${base}%2e%2e/%2e%2e/package.json`)).status).to.be.oneOf([403, 404]);
    expect((await fetch(base)).headers.get("content-type")).to.match(/text\/html/);
    const noRegistry = await zk("explorer", "--rpc", node!.url);
    expect(noRegistry.code).to.equal(2);
    expect(noRegistry.stderr).to.match(/--registry is required/);
    expect((await zk("explorer", "--rpc", "not a url", "--registry", registry)).code).to.equal(2);
    expect((await zk("explorer", "--rpc", node!.url, "--registry", registry, "--port", "70000")).code).to.equal(2);
    expect((await zk("explorer", "--rpc", node!.url, "--registry", registry, "--artifacts", join(model!.tmp, "nowhere"))).code).to.equal(2);
  });

  it("lists the model with its versions, record count and dev-SRS warning", async () => {
    await page.goto(base);
    const card = page.locator(`[data-testid=model][data-model-id="${modelId}"]`);
    await card.waitFor({ timeout: 30_000 });
    expect(await card.getByTestId("model-record-count").textContent()).to.equal("2");
    expect(await card.getByTestId("model-metadata").textContent()).to.equal("https://models.example/matvec.json");
    expect(await card.getByTestId("dev-srs-warning").textContent()).to.match(/INSECURE/);
    expect((await card.getByTestId("version-row").textContent())?.toLowerCase()).to.include(verifier.toLowerCase());
  });

  it("lists the model's records and shows a record with the proof's dequantized outputs", async () => {
    await page.goto(`${base}#/model/${modelId}`);
    await page.getByTestId("record-row").first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("record-row").count()).to.equal(2);
    await page.getByTestId("chart").waitFor();
    await page.locator(`[data-testid=record-row][data-record-id="${recordIds[0]}"] [data-testid=record-link]`).click();
    await page.getByTestId("record-fields").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("record-id").textContent()).to.equal(recordIds[0]);
    expect(await page.getByTestId("record-outputs").textContent()).to.equal(model!.proofs[0].outputs.join(", "));
    expect(await page.getByTestId("record-seq").textContent()).to.equal("record 0 of the model (counting from 0)");
  });

  it("filters and pages the records, and adds a new record live (watchRecords)", async () => {
    await page.goto(`${base}#/model/${modelId}`);
    await page.getByTestId("record-row").first().waitFor({ timeout: 30_000 });
    const rows = page.getByTestId("record-row");
    const first = await chainRecord(recordIds[0]);
    await page.getByTestId("filter-input").fill(first.inputHash);
    await page.getByTestId("apply-filters").click();
    await page.waitForFunction('document.querySelectorAll("[data-testid=record-row]").length === 1');
    expect(await rows.first().getAttribute("data-record-id")).to.equal(recordIds[0]);
    await page.getByTestId("filter-input").fill("");
    await page.getByTestId("filter-submitter").fill("0x000000000000000000000000000000000000dEaD");
    await page.getByTestId("apply-filters").click();
    await page.getByTestId("no-records").waitFor();
    await page.getByTestId("filter-submitter").fill("not an address");
    await page.getByTestId("apply-filters").click();
    expect(await page.getByTestId("filter-error").textContent()).to.match(/must be an address/);
    await page.getByRole("button", { name: "Clear" }).click();
    await page.waitForFunction('document.querySelectorAll("[data-testid=record-row]").length === 2');
    expect(await page.getByTestId("filter-error").textContent()).to.equal("");
    expect(await page.getByTestId("pager").textContent()).to.match(/page 1 of 1 \(2 of 2 records\)/);
    // The same proof again (a new nonce, so a new record), while the page watches.
    const third = await onRegistry.submitInference({ modelId, proof: model!.proofs[0] });
    await page.locator(`[data-testid=record-row][data-record-id="${third.recordId}"]`).waitFor({ timeout: 30_000 });
    expect(await rows.count()).to.equal(3);
    expect(await page.getByTestId("live").textContent()).to.match(/1 new record/);
    expect(await page.getByTestId("model-record-count").textContent()).to.equal("3");
  });

  it("adds a new record live through a node without archive state, though the model's newest record is old", async () => {
    const publicClient = createPublicClient({ transport: http(node!.url) });
    // The model's newest record is now far older than the state the node keeps.
    await publicClient.request({ method: "hardhat_mine", params: ["0x20"] } as never);
    const pruned = await startPrunedNode(node!.url, 8n);
    try {
      await page.goto(`${base}?rpc=${encodeURIComponent(pruned.url)}#/model/${modelId}`);
      await page.getByTestId("record-row").first().waitFor({ timeout: 30_000 });
      const before = await page.getByTestId("record-row").count();
      const count = Number(await page.getByTestId("model-record-count").textContent());
      const fresh = await onRegistry.submitInference({ modelId, proof: model!.proofs[1] });
      const row = page.locator(`[data-testid=record-row][data-record-id="${fresh.recordId}"]`);
      await row.waitFor({ timeout: 15_000 }).catch(async () => {
        throw new Error(`the new record never came: ${await page.getByTestId("live").textContent()}`);
      });
      expect(await page.getByTestId("record-row").count()).to.equal(before + 1);
      expect(await page.getByTestId("model-record-count").textContent()).to.equal(String(count + 1));
    } finally {
      pruned.close();
    }
  });

  it("says so when the RPC is unreachable, the network is wrong or the address is not a registry", async () => {
    const state = async (query: string): Promise<[string | null, string | null]> => {
      await page.goto(`${base}?${query}`);
      const el = page.getByTestId("state");
      await el.waitFor({ timeout: 60_000 });
      return [await el.getAttribute("data-state"), await page.getByTestId("state-message").textContent()];
    };
    const [unreachable] = await state("rpc=http://127.0.0.1:9");
    expect(unreachable).to.equal("unreachable");
    const [wrong, wrongMessage] = await state("chainId=1");
    expect(wrong).to.equal("wrong-network");
    expect(wrongMessage).to.match(/serves chain 31337, but the registry is on chain 1/);
    const [contract, contractMessage] = await state(`registry=${verifier}`);
    expect(contract).to.equal("not-registry");
    expect(contractMessage).to.match(/does not answer as an inference registry/);
    const [account, accountMessage] = await state("registry=0x000000000000000000000000000000000000dEaD");
    expect(account).to.equal("not-registry");
    expect(accountMessage).to.match(/holds no contract/);
    await page.goto(`${base}#/record/0x${"00".repeat(32)}`);
    await page.getByTestId("state").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("state").getAttribute("data-state")).to.equal("not-found");
  });

  it("Verify in this browser: valid for the honest record (screenshot for the README)", async () => {
    await page.goto(`${base}#/record/${recordIds[0]}`);
    await page.getByTestId("verify-button").waitFor({ timeout: 30_000 });
    await page.getByTestId("verify-button").click();
    const result = page.getByTestId("verify-result");
    await result.waitFor({ timeout: 120_000 });
    expect(await result.getAttribute("data-status"), await page.getByTestId("verify-panel").textContent() ?? "").to.equal("valid");
    const shot = await page.screenshot({ path: process.env.ZKINFER_UPDATE_SCREENSHOT ? README_SCREENSHOT : join(profile!, "record.png"), fullPage: true });
    expect(shot.length).to.be.greaterThan(10_000);
  });

  it("Verify in this browser: a mismatch once the verifier's code is replaced (hardhat_setCode)", async () => {
    const publicClient = createPublicClient({ transport: http(node!.url) });
    const acceptAll = JSON.parse(await readFile(join(ROOT, "artifacts/contracts/test/AcceptAllVerifier.sol/AcceptAllVerifier.json"), "utf8")) as { deployedBytecode: Hex };
    await publicClient.request({ method: "hardhat_setCode", params: [verifier, acceptAll.deployedBytecode] } as never);
    await page.goto(`${base}#/record/${recordIds[1]}`);
    await page.reload();
    await page.getByTestId("verify-button").click();
    const result = page.getByTestId("verify-result");
    await result.waitFor({ timeout: 120_000 });
    expect(await result.getAttribute("data-status")).to.equal("code-mismatch");
    expect(await page.getByTestId("verify-steps").textContent()).to.match(/now has code hash 0x[0-9a-f]{64}, the registry pinned/);
  });
});
