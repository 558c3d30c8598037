// zkinfer/sdk's verifyOffchain in a real browser: the SDK bundled for the browser (esbuild) runs in
// the system's headless Chromium (`apt-get install chromium`; no browser is downloaded), verifies a
// real proof and refuses it with a changed output, and posts the answer back to a loopback server.
// Skipped, saying so, where there is no Chromium (CHROMIUM names another binary).
import { expect } from "chai";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { bundleForBrowser } from "../package/browser-bundle.js";
import { makeMatvecModel, type MatvecModel } from "./matvec-model.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CHROMIUM = process.env.CHROMIUM ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

// The page: verifies the proof (valid), then the same proof with its last output changed (invalid).
const ENTRY = `import { verifyOffchain } from "./sdk/index.ts";
const vk = Uint8Array.from(atob(VK), (c) => c.charCodeAt(0));
const changed = { proof: PROOF.proof, publicInputs: PROOF.publicInputs.map((x, i, all) => (i === all.length - 1 ? String(BigInt(x) + 1n) : x)) };
const report = (body) => fetch("/result", { method: "POST", body: JSON.stringify(body) });
(async () => ({ valid: await verifyOffchain({ proof: PROOF, vk }), changedOutput: await verifyOffchain({ proof: changed, vk }) }))()
  .then(report, (e) => report({ error: String(e && e.stack ? e.stack : e) }));
`;

(CHROMIUM ? describe : describe.skip)("zkinfer/sdk in headless Chromium: verifyOffchain", function () {
  this.timeout(300_000);
  let model: MatvecModel;
  let profile: string;

  before(async () => {
    model = await makeMatvecModel([[1, -2, 7, -8]], 3);
    profile = await mkdtemp(join(tmpdir(), "zkinfer-chromium-"));
  });

  after(async () => {
    await releaseEngine();
    if (model) await rm(model.tmp, { recursive: true, force: true });
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it("verifies a CLI-made proof in the browser and refuses it with a changed output", async () => {
    const vk = (await readFile(join(model.dir, "vk.bin"))).toString("base64");
    const bundle = await bundleForBrowser(ENTRY, ROOT, { PROOF: JSON.stringify(model.proofs[0]), VK: JSON.stringify(vk) });
    expect(bundle.problems).to.deep.equal([]);
    const page = `<!doctype html><html><body><script type="module">${bundle.code.replace(/<\/script/g, "<\\/script")}</script></body></html>`;

    let server: Server | undefined;
    let browser: ReturnType<typeof spawn> | undefined;
    try {
      const answer = new Promise<Record<string, unknown>>((resolve) => {
        server = createServer((req, res) => {
          if (req.method === "POST" && req.url === "/result") {
            let body = "";
            req.on("data", (c: Buffer) => (body += c));
            req.on("end", () => {
              res.end();
              resolve(JSON.parse(body) as Record<string, unknown>);
            });
            return;
          }
          res.writeHead(req.url === "/" ? 200 : 404, { "content-type": "text/html" });
          res.end(req.url === "/" ? page : "");
        });
      });
      const port = await new Promise<number>((resolve) => server!.listen(0, "127.0.0.1", () => resolve((server!.address() as { port: number }).port)));
      let output = "";
      browser = spawn(CHROMIUM!, ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", `--user-data-dir=${profile}`, `http://127.0.0.1:${port}/`], {
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      browser.stderr!.on("data", (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer from Chromium within 120 s:\n${output}`)), 120_000).unref());
      expect(await Promise.race([answer, timeout])).to.deep.equal({ valid: true, changedOutput: false });
    } finally {
      if (browser?.pid && browser.exitCode === null) process.kill(-browser.pid, "SIGKILL");
      server?.close();
    }
  });
});
