import { expect } from "chai";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { makePtauFixtures, sectionOffset, tamper, TAU_G1, type PtauFixtures } from "../srs/fixtures.js";

const BIN = fileURLToPath(new URL("../../../bin/zkinfer.js", import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/zkinfer.js …` with this test's Node (22), as a user would. */
function zkinfer(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe("cli: zkinfer srs check", () => {
  let fx: PtauFixtures;
  let swapped: string;
  let truncated: string;

  before(async () => {
    fx = await makePtauFixtures();
    swapped = await tamper(fx.plain, fx.dir, "swapped.ptau", (b) => {
      const at = (i: number) => sectionOffset(b, TAU_G1) + 64 * i;
      b.copyWithin(at(3), at(8), at(8) + 64);
    });
    truncated = await tamper(fx.plain, fx.dir, "truncated.ptau", (b) => b.subarray(0, b.byteLength - 100));
  });

  after(async () => fx?.remove());

  it("exits 0 on a valid file and prints its power, point counts and validity", async () => {
    const run = await zkinfer("srs", "check", fx.prepared);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/power 6/).and.match(/tauG1\s+127 points/).and.match(/prepared for phase 2/);
    expect(run.stdout.trim().split("\n").pop()).to.equal("valid");
    // the check is a stage on stderr (percent and powers on a long one), never on stdout
    expect(run.stderr).to.match(/✓ check .*\.ptau/);
  });

  it("prints a JSON report with --json", async () => {
    const run = await zkinfer("srs", "check", fx.plain, "--json");
    expect(run.code, run.stderr).to.equal(0);
    const out = JSON.parse(run.stdout);
    expect(out).to.deep.include({ command: "srs check", exitCode: 0 });
    expect(out.result).to.deep.include({ path: fx.plain, curve: "BN254", power: 6, ceremonyPower: 6, prepared: false, valid: true });
    expect(out.result.reasons).to.deep.equal([]);
    expect(out.result.checked).to.deep.equal({ g1Powers: 127, g2Powers: 2 });
    expect(out.result.sections.find((s: { name: string }) => s.name === "tauG2")).to.deep.include({ id: 3, points: 64 });
  });

  it("exits 1 when a power fails the consistency check", async () => {
    const text = await zkinfer("srs", "check", swapped);
    expect(text.code, text.stderr).to.equal(1);
    expect(text.stdout).to.match(/INVALID/).and.match(/not consecutive powers/);
    const json = await zkinfer("srs", "check", swapped, "--json");
    expect(json.code).to.equal(1);
    const out = JSON.parse(json.stdout);
    expect(out.exitCode).to.equal(1);
    expect(out.result.valid).to.equal(false);
    expect(out.result.reasons[0]).to.match(/not consecutive powers/);
  });

  it("exits 2 on a malformed file, the wrong curve, or a missing file", async () => {
    const run = await zkinfer("srs", "check", truncated, "--json");
    expect(run.code).to.equal(2);
    expect(JSON.parse(run.stdout)).to.deep.include({ command: "srs check", exitCode: 2 });
    expect(JSON.parse(run.stdout).error).to.deep.include({ type: "InputError" });
    expect(JSON.parse(run.stdout).error.message).to.match(/truncated/);
    const bls = await zkinfer("srs", "check", fx.bls);
    expect(bls.code).to.equal(2);
    expect(bls.stderr).to.match(/wrong curve.*BLS12-381/);
    expect((await zkinfer("srs", "check", `${fx.dir}/nope.ptau`)).code).to.equal(2);
  });

  it("exits 2 on bad usage and 0 on --help", async () => {
    const missing = await zkinfer("srs", "check", "--json");
    expect(missing.code).to.equal(2);
    expect(JSON.parse(missing.stdout).error).to.deep.include({ type: "UsageError" });
    expect((await zkinfer("srs", "check", fx.plain, "--frobnicate")).code).to.equal(2);
    expect((await zkinfer("srs", "frobnicate")).code).to.equal(2);
    expect((await zkinfer()).code).to.equal(2);
    const help = await zkinfer("srs", "check", "--help");
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/Usage: zkinfer srs check <file.ptau>/).and.match(/--json/);
    const top = await zkinfer("--help");
    expect(top.code).to.equal(0);
    expect(top.stdout).to.match(/zkinfer srs check/);
  });
});
