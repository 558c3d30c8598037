// The README's model-owner quick start, pasted: its code block (the one marked
// `<!-- runs in test/docs/quick-start.test.ts -->`) is taken from README.md as it is and run by
// bash, line after line, stopping at the first failure, in a fresh directory that has the
// repository's examples/ (as the repository root has, where a user pastes it). Only `npx zkinfer`
// is stood in for by the repository's bin/zkinfer.js, which is what npx runs in a checkout, so the
// test needs neither npm nor the network. Also: examples/model/ is what its generator writes.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXAMPLE_MODEL_DIR, exampleModelFiles } from "../../scripts/gen-example-model.js";
import { childEnv, ROOT } from "../sdk/node-process.js";

const MARKER = "<!-- runs in test/docs/quick-start.test.ts -->";

/** The code of every fenced block whose previous line is `marker`. */
export function markedBlocks(markdown: string, marker: string): string[] {
  const lines = markdown.split("\n");
  const blocks: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i - 1].trim() !== marker || !/^\s*```/.test(lines[i])) continue;
    const end = lines.findIndex((line, j) => j > i && /^\s*```\s*$/.test(line));
    if (end < 0) throw new Error(`the code block after line ${i} is not closed`);
    blocks.push(lines.slice(i + 1, end).join("\n"));
  }
  return blocks;
}

// `npx zkinfer …` → the checkout's CLI; anything else npx would fetch is refused.
const NPX = 'npx() { if [ "$1" != zkinfer ]; then echo "the quick start may run only npx zkinfer, got: npx $*" >&2; return 127; fi; shift; node "$ZKINFER_CHECKOUT/bin/zkinfer.js" "$@"; }';

function bash(script: string, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("bash", ["-e", "-o", "pipefail", "-c", script], { cwd, env: { ...childEnv, ZKINFER_CHECKOUT: ROOT }, timeout: 540_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe("README quick start (model owner), pasted", function () {
  this.timeout(600_000);
  let dir: string | undefined;

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("examples/model/ holds what scripts/gen-example-model.ts writes, and is small", async () => {
    for (const [name, content] of Object.entries(exampleModelFiles())) {
      const committed = await readFile(join(EXAMPLE_MODEL_DIR, name));
      const expected = typeof content === "string" ? Buffer.from(content) : Buffer.from(content);
      expect(committed.equals(expected), `${name}: run \`npx tsx scripts/gen-example-model.ts\``).to.equal(true);
      expect(committed.length, name).to.be.below(4096);
    }
  });

  it("markedBlocks finds the block after the marker only", () => {
    const md = ["```sh", "no", "```", MARKER, "```sh", "npx zkinfer info model", "echo 1", "```", "text"].join("\n");
    expect(markedBlocks(md, MARKER)).to.deep.equal(["npx zkinfer info model\necho 1"]);
  });

  it("compile → info → setup (--dev-srs) → prove → verify → export-verifier runs as written and leaves what it says", async () => {
    const blocks = markedBlocks(await readFile(join(ROOT, "README.md"), "utf8"), MARKER);
    expect(blocks, `README.md has one block marked ${MARKER}`).to.have.length(1);
    const [block] = blocks;
    expect(block).to.match(/^npx zkinfer compile /m).and.match(/^npx zkinfer export-verifier /m);
    dir = await mkdtemp(join(tmpdir(), "zkinfer-quick-start-"));
    await symlink(join(ROOT, "examples"), join(dir, "examples"));
    const r = await bash(`${NPX}\n${block}\n`, dir);
    expect(r.code, `the quick start failed:\n${r.stderr.slice(-4000)}`).to.equal(0);
    expect(r.stdout).to.match(/^valid$/m);
    expect(r.stderr).to.include("INSECURE");
    for (const file of ["model/model.json", "model/pk.bin", "model/vk.bin", "proof.json", "Verifier.sol"]) expect(existsSync(join(dir, file)), file).to.equal(true);
    expect(await readFile(join(dir, "Verifier.sol"), "utf8")).to.include("contract ZkinferVerifier");
  });
});
