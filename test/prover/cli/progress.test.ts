// The progress reporter: live lines on a terminal, plain throttled lines elsewhere, nothing with
// --quiet; and through main: progress only on stderr, stdout stays the result (valid JSON with --json).
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import type { Command } from "../../../prover/cli/command.js";
import { InputError } from "../../../prover/cli/errors.js";
import { main } from "../../../prover/cli/main.js";
import { captured } from "../../helpers/cli.js";
import { formatElapsed, ProgressReporter } from "../../../prover/cli/progress.js";

const ESC = /[\x1b\r]/; // eslint-disable-line no-control-regex
const ERASE = "\r\x1b[2K";

function fakeClock(): { now: () => number; advance(ms: number): void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

function capture(): { out: string[]; write: (t: string) => void; text: () => string } {
  const out: string[] = [];
  return { out, write: (t) => void out.push(t), text: () => out.join("") };
}

describe("cli: progress reporter", () => {
  it("formats elapsed time", () => {
    expect(formatElapsed(0)).to.equal("0.0 s");
    expect(formatElapsed(1234)).to.equal("1.2 s");
    expect(formatElapsed(59_940)).to.equal("59.9 s");
    expect(formatElapsed(125_000)).to.equal("2 min 05 s");
  });

  it("prints plain, throttled lines without escape codes when stderr is not a terminal", () => {
    const clock = fakeClock();
    const sink = capture();
    const r = new ProgressReporter(sink.write, { tty: false, now: clock.now, throttleMs: 1000 });
    const s = r.stage("prove");
    for (let i = 0; i < 50; i++) {
      clock.advance(100);
      s.update(i / 50, `step ${i}`);
    }
    clock.advance(200);
    s.done();
    const lines = sink.text().split("\n").filter(Boolean);
    expect(sink.text()).not.to.match(ESC);
    expect(lines[0]).to.equal("prove …");
    // 5 s of updates every 100 ms with a 1 s throttle: 5 update lines, not 50.
    const updates = lines.filter((l) => l.startsWith("prove:"));
    expect(updates).to.have.length(5);
    // with the time left at the pace so far once a second has gone
    expect(updates[0]).to.equal("prove: 18% step 9 (1.0 s, ~4.6 s left)");
    expect(lines.at(-1)).to.equal("✓ prove (5.2 s)");
    s.update(1, "late"); // after done: ignored
    s.done();
    expect(sink.text().split("\n").filter(Boolean)).to.have.length(lines.length);
  });

  it("draws one line in place on a terminal, with a bar, the percentage and the elapsed time", () => {
    const clock = fakeClock();
    const sink = capture();
    const r = new ProgressReporter(sink.write, { tty: true, now: clock.now, tickMs: 0, columns: 70 });
    const s = r.stage("setup");
    clock.advance(1500);
    s.update(0.5, "keygen");
    const drawn = sink.out.at(-1)!;
    expect(drawn.startsWith(ERASE)).to.equal(true);
    expect(drawn).to.match(/setup {2}█{10}░{10} {2}50% {2}keygen {2}1\.5 s {2}~1\.5 s left$/);
    expect(drawn).not.to.include("\n");
    // A message while the stage runs goes above it, and the stage is redrawn.
    r.message("loaded 75 powers");
    expect(sink.out.at(-2)).to.equal(`${ERASE}loaded 75 powers\n`);
    expect(sink.out.at(-1)!.startsWith(ERASE)).to.equal(true);
    expect(sink.out.at(-1)!.slice(ERASE.length)).to.match(/^. setup {2}█{10}/);
    s.update(0.99, "a message long enough that the line would wrap on a narrow terminal of seventy columns");
    for (const part of sink.out) for (const line of part.replaceAll(ERASE, "").split("\n")) expect(line.length).to.be.at.most(69);
    clock.advance(700);
    s.done("(2^16 rows)");
    expect(sink.out.at(-1)).to.equal(`${ERASE}✓ setup (2^16 rows) (2.2 s)\n`);
  });

  it("assumes 80 columns when the terminal reports none", () => {
    const sink = capture();
    const r = new ProgressReporter(sink.write, { tty: true, tickMs: 0, columns: 0 });
    r.stage("setup").update(0.5, "x".repeat(200));
    const line = sink.out.at(-1)!.slice(ERASE.length);
    expect(line).to.have.length(79);
    expect(line.endsWith("…")).to.equal(true);
    r.finish(true);
  });

  it("moves the spinner and the clock on its own on a terminal", async () => {
    const sink = capture();
    const r = new ProgressReporter(sink.write, { tty: true, tickMs: 5 });
    const s = r.stage("wait");
    await new Promise((resolve) => setTimeout(resolve, 60));
    s.done();
    const frames = new Set(sink.out.filter((p) => !p.includes("\n")).map((p) => p[5]));
    expect(frames.size).to.be.greaterThan(1);
    const before = sink.out.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sink.out.length, "no redraw after done").to.equal(before);
  });

  it("ends a running stage when the next starts, and marks it failed on finish(false)", () => {
    const clock = fakeClock();
    const sink = capture();
    const r = new ProgressReporter(sink.write, { tty: false, now: clock.now });
    r.stage("layout");
    clock.advance(300);
    const srs = r.stage("srs");
    clock.advance(1200);
    r.finish(false);
    srs.done();
    expect(sink.text()).to.equal("layout …\n✓ layout (0.3 s)\nsrs …\n✗ srs failed after 1.2 s\n");
  });

  it("prints nothing but warnings with quiet", () => {
    const sink = capture();
    const r = new ProgressReporter(sink.write, { tty: true, quiet: true });
    const s = r.stage("prove");
    s.update(0.5, "half");
    r.message("a message");
    r.always("warning: insecure");
    s.done();
    r.finish(false);
    expect(sink.text()).to.equal("warning: insecure\n");
  });
});

/** A command that reports progress the way prove and setup do, then returns a result. */
const slowCommand: Command = {
  path: ["slow"],
  summary: "a command with stages",
  args: "[fail]",
  positionals: { min: 0, max: 1 },
  async run({ positionals, progress, stage, warn }) {
    progress("slow: loading");
    warn("this is a test");
    const s = stage("slow: working");
    for (let i = 0; i < 4; i++) s.update(i / 4, `part ${i + 1}`);
    if (positionals[0] === "fail") throw new InputError("the input is bad; fix it");
    if (positionals[0] === "crash") throw new TypeError("x is undefined");
    if (positionals[0] === "enoent") throw Object.assign(new Error("ENOENT: no such file or directory, open 'nope.json'"), { code: "ENOENT" });
    s.done();
    stage("slow: left running");
    return { exitCode: 0, json: { answer: 42n }, text: "answer 42" };
  },
};

const run = (args: string[], io: { stderrIsTTY?: boolean; debug?: boolean } = {}) => captured((cli) => main(args, cli, [slowCommand]), io);

describe("cli: progress through main", () => {
  it("keeps --json output valid JSON while progress goes to stderr", async () => {
    for (const stderrIsTTY of [false, true]) {
      const r = await run(["slow", "--json"], { stderrIsTTY });
      expect(r.code).to.equal(0);
      expect(JSON.parse(r.stdout)).to.deep.equal({ command: "slow", exitCode: 0, result: { answer: "42" } });
      expect(r.stderr).to.include("slow: loading").and.include("warning: this is a test").and.include("✓ slow: working (");
      // The stage left running is ended before the result is printed.
      expect(r.stderr).to.match(/✓ slow: left running \(\d+\.\d s\)\n$/);
      if (!stderrIsTTY) expect(r.stderr).not.to.match(ESC);
      else expect(r.stderr).to.include("\x1b[2K");
    }
  });

  it("prints plain progress on a non-terminal and the text result alone on stdout", async () => {
    const r = await run(["slow"]);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.equal("answer 42\n");
    expect(r.stderr.split("\n").slice(0, 3)).to.deep.equal(["slow: loading", "warning: this is a test", "slow: working …"]);
  });

  it("--quiet and -q keep warnings only", async () => {
    for (const flag of ["--quiet", "-q"]) {
      const r = await run(["slow", flag, "--json"], { stderrIsTTY: true });
      expect(r.code).to.equal(0);
      expect(JSON.parse(r.stdout).result.answer).to.equal("42");
      expect(r.stderr).to.equal("warning: this is a test\n");
    }
  });

  it("ends the stage as failed before the error and exits 2 on bad input", async () => {
    const r = await run(["slow", "fail"]);
    expect(r.code).to.equal(2);
    expect(r.stdout).to.equal("");
    expect(r.stderr).to.match(/✗ slow: working failed after \d+\.\d s\nzkinfer slow: the input is bad; fix it\n$/);
  });

  it("maps a file-system error that escaped the command to exit 2 with what to check", async () => {
    const r = await run(["slow", "enoent", "--json"]);
    expect(r.code).to.equal(2);
    expect(JSON.parse(r.stdout)).to.deep.include({ exitCode: 2, error: { type: "InputError", message: "ENOENT: no such file or directory, open 'nope.json'" } });
    expect(r.stderr).to.include("check the path");
  });

  it("reports an unexpected error as a bug with exit 3, and its stack only in debug mode", async () => {
    const r = await run(["slow", "crash"]);
    expect(r.code).to.equal(3);
    expect(r.stderr).to.include("zkinfer slow: internal error: x is undefined\nthis is a bug in zkinfer").and.include("ZKINFER_DEBUG=1");
    expect(r.stderr).not.to.match(/\n\s+at /);
    const debug = await run(["slow", "crash", "--json"], { debug: true });
    expect(debug.code).to.equal(3);
    expect(JSON.parse(debug.stdout)).to.deep.include({ exitCode: 3, error: { type: "InternalError", message: "x is undefined" } });
    expect(debug.stderr).to.match(/TypeError: x is undefined\n\s+at /);
  });
});

describe("cli: setup's progress on a terminal", function () {
  this.timeout(120_000);
  let tmp: string;
  before(async () => (tmp = await mkdtemp(join(tmpdir(), "zkinfer-progress-"))));
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
    await releaseEngine();
  });

  it("keygen shows how far it is in percent", async () => {
    // A table of 2^11 rows: its keygen (~0.35 s here) outlasts the 100 ms between redraws several
    // times over; at 2^9 it took ~0.15 s and on a quiet machine finished before a percentage showed.
    const args = ["setup", join(tmp, "m"), "--dev-srs", "--circuit", "matvec", "--param", "m=64", "--param", "k=64"];
    const r = await captured((io) => main(args, io), { stderrIsTTY: true, columns: 200 });
    expect(r.code, r.stderr).to.equal(0);
    const drawn = r.stderr.split(ERASE).filter((l) => / keygen /.test(l) && !l.startsWith("✓"));
    expect(drawn.some((l) => /█*░* +\d+%/.test(l)), drawn.join("\n")).to.equal(true);
  });
});

