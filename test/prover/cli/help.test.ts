// zkinfer --help and each command's --help: every command listed and grouped, examples that are
// real command lines of their command, suggestions for unknown commands, and usage errors that
// exit 2 (in process and through bin/zkinfer.js).
import { expect } from "chai";
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { commands } from "../../../prover/cli/commands/index.js";
import { EXAMPLES, GROUPS } from "../../../prover/cli/examples.js";
import { editDistance, examplesOf, suggestCommand } from "../../../prover/cli/help.js";
import { zk } from "../../helpers/cli.js";

const BIN = fileURLToPath(new URL("../../../bin/zkinfer.js", import.meta.url));
const ESC = /[\x1b\r]/; // eslint-disable-line no-control-regex

/** `node bin/zkinfer.js …` as a user runs it, with stdout and stderr pipes (not terminals). */
function bin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return binAt(BIN, ...args);
}

function binAt(path: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return binWith({}, path, ...args);
}

function binWith(env: NodeJS.ProcessEnv, path: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return nodeRun([path, ...args], env);
}

/** An npm script's TypeScript entry as `npm run` starts it (through tsx). */
function runScript(script: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return nodeRun(["--import", "tsx", fileURLToPath(new URL(`../../../${script}`, import.meta.url)), ...args]);
}

function nodeRun(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: 60_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** A copy of bin/zkinfer.js in `root` next to prover/cli/main.ts with `mainTs`, as in a source checkout; returns the copy's path. */
async function checkout(root: string, mainTs: string): Promise<string> {
  await mkdir(join(root, "bin"), { recursive: true });
  await mkdir(join(root, "prover", "cli"), { recursive: true });
  await symlink(fileURLToPath(new URL("../../../node_modules", import.meta.url)), join(root, "node_modules"));
  await writeFile(join(root, "package.json"), JSON.stringify({ type: "module" }));
  await copyFile(BIN, join(root, "bin", "zkinfer.js"));
  await writeFile(join(root, "prover", "cli", "main.ts"), mainTs);
  return join(root, "bin", "zkinfer.js");
}

const pathOf = (c: { path: string[] }) => c.path.join(" ");

describe("cli: help", () => {
  it("zkinfer --help, -h and help list every command by group, with a typical flow", async () => {
    for (const args of [["--help"], ["-h"], ["help"]]) {
      const r = await zk(...args);
      expect(r.code, args.join(" ")).to.equal(0);
      for (const c of commands) expect(r.stdout, pathOf(c)).to.match(new RegExp(`^  zkinfer ${pathOf(c)} .*${c.summary.replace(/[()]/g, "\\$&")}$`, "m"));
      for (const g of GROUPS) expect(r.stdout).to.include(`${g.title}:`);
      expect(r.stdout).to.match(/Typical flow:\n {2}zkinfer compile .*\n {2}zkinfer setup .*\n {2}zkinfer prove /);
      expect(r.stdout).to.include("Exit codes: 0 ok, 1 proof invalid or check failed, 2 bad usage or bad input");
    }
  });

  it("every registered command is in a group", () => {
    const grouped = GROUPS.flatMap((g) => g.commands);
    for (const c of commands) expect(grouped, pathOf(c)).to.include(pathOf(c));
  });

  it("each command's --help shows usage, options, description and examples", async () => {
    for (const c of commands) {
      for (const args of [[...c.path, "--help"], ["help", ...c.path]]) {
        const r = await zk(...args);
        expect(r.code, args.join(" ")).to.equal(0);
        expect(r.stdout).to.match(new RegExp(`^Usage: zkinfer ${pathOf(c)}`));
        expect(r.stdout).to.include(c.summary).and.include("Options:").and.include("--json").and.include("--quiet");
        if (c.description) expect(r.stdout).to.include(c.description);
        const examples = r.stdout.split("Examples:\n")[1];
        expect(examples, `${pathOf(c)} has examples`).to.be.a("string");
        expect(examples).to.match(new RegExp(`^ {2}zkinfer ${pathOf(c)}( |$)`, "m"));
      }
    }
  });

  it("every example is a command line its command accepts", () => {
    for (const c of commands) {
      const examples = examplesOf(c);
      expect(examples.length, pathOf(c)).to.be.greaterThan(0);
      const options: ParseArgsOptionsConfig = { json: { type: "boolean" }, quiet: { type: "boolean", short: "q" } };
      for (const [key, { description: _d, valueName: _v, ...spec }] of Object.entries(c.options ?? {})) options[key] = spec;
      for (const example of examples) {
        const words = example.replace(/\s+#.*$/, "").trim().split(/\s+/);
        expect(words.slice(0, c.path.length + 1), example).to.deep.equal(["zkinfer", ...c.path]);
        const { positionals } = parseArgs({ args: words.slice(c.path.length + 1), options, allowPositionals: true, strict: true });
        expect(positionals.length, example).to.be.within(c.positionals.min, c.positionals.max);
      }
    }
  });

  it("examples.ts has no examples for commands that do not exist", () => {
    const paths = commands.map(pathOf);
    for (const key of Object.keys(EXAMPLES)) expect(paths, key).to.include(key);
  });

  it("zkinfer srs --help lists the srs commands", async () => {
    const r = await zk("srs", "--help");
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/^Usage: zkinfer srs <command>/).and.include("zkinfer srs check <file.ptau>");
    expect(r.stdout).not.to.include("export-verifier");
  });
});

describe("cli: usage errors", () => {
  it("suggests the closest command for an unknown one", async () => {
    const cases: [string[], string | undefined][] = [
      [["provee", "model"], "prove"],
      [["verfy", "model", "proof.json"], "verify"],
      [["complie", "m.onnx"], "compile"],
      [["export", "model"], "export-verifier"],
      [["srs", "chek", "x.ptau"], "srs check"],
      [["srs-check", "x.ptau"], "srs check"],
      [["frobnicate"], undefined],
    ];
    for (const [args, expected] of cases) {
      const r = await zk(...args);
      expect(r.code, args.join(" ")).to.equal(2);
      expect(r.stdout).to.equal("");
      expect(r.stderr).to.match(/unknown command/).and.include("`zkinfer --help`");
      if (expected) expect(r.stderr, args.join(" ")).to.include(`did you mean \`zkinfer ${expected}\`?`);
      else expect(r.stderr).not.to.include("did you mean");
    }
  });

  it("an unknown command with --help is still an error, with the suggestion", async () => {
    const r = await zk("provee", "--help");
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include("did you mean `zkinfer prove`?");
  });

  it("missing or extra arguments print the usage and point at --help", async () => {
    const missing = await zk("prove");
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include("expected 1 argument (<dir>), got 0").and.include("Usage: zkinfer prove <dir> [options]").and.include("`zkinfer prove --help`");
    const extra = await zk("verify", "a", "b", "c");
    expect(extra.code).to.equal(2);
    expect(extra.stderr).to.include('got 3: unexpected "c"').and.include("`zkinfer verify --help`");
    const none = await zk("audit", "x", "--json");
    expect(none.code).to.equal(2);
    expect(JSON.parse(none.stdout)).to.deep.include({ command: "audit", exitCode: 2 });
    expect(JSON.parse(none.stdout).error.message).to.match(/^expected no arguments, got 1/);
  });

  it("an unknown option prints the usage and points at --help", async () => {
    const r = await zk("info", "model", "--frobnicate");
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include("--frobnicate").and.include("`zkinfer info --help`");
    const typo = await zk("prove", "model", "--outt", "p.json");
    expect(typo.code).to.equal(2);
    expect(typo.stderr).to.include("unknown option --outt (did you mean --out?)");
  });

  it("npm run conformance and npm run bench: --help prints the usage, a mistyped option is one line with a suggestion and exit 2", async () => {
    for (const [script, typo, meant] of [
      ["scripts/conformance.ts", "--onyl", "--only"],
      ["scripts/bench.ts", "--quik", "--quick"],
    ]) {
      const help = await runScript(script, "--help");
      expect(help.code, help.stderr).to.equal(0);
      expect(help.stdout).to.match(/^Usage: npm run/);
      const bad = await runScript(script, typo);
      expect(bad.code).to.equal(2);
      expect(bad.stderr).to.include(`unknown option ${typo} (did you mean ${meant}?)`).and.not.include("ERR_PARSE_ARGS");
    }
  });

  it("no command prints the list of commands and exits 2", async () => {
    const r = await zk();
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include("missing command").and.include("Typical flow:");
  });

  it("edit distance and suggestions", () => {
    expect(editDistance("kitten", "sitting")).to.equal(3);
    expect(editDistance("", "abc")).to.equal(3);
    expect(editDistance("prove", "prove")).to.equal(0);
    expect(editDistance("setpu", "setup")).to.equal(1);
    expect(suggestCommand(commands, ["setpu"])).to.equal("setup");
    expect(suggestCommand(commands, ["zz"])).to.equal(undefined);
  });
});

describe("cli: bin/zkinfer.js", function () {
  this.timeout(120_000);
  let tmp: string;
  before(async () => (tmp = await mkdtemp(join(tmpdir(), "zkinfer-help-"))));
  after(async () => rm(tmp, { recursive: true, force: true }));

  it("exits 2 on usage errors, saying what to do", async () => {
    const unknown = await bin("provee", "model");
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include("did you mean `zkinfer prove`?");
    const missing = await bin("verify", "model");
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include("`zkinfer verify --help`");
  });

  it("on a pipe, prints plain progress on stderr and only the JSON result on stdout", async () => {
    const r = await bin("setup", join(tmp, "m"), "--dev-srs", "--circuit", "matvec", "--param", "m=2", "--param", "k=2", "--param", "bits=4", "--json");
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout) as { command: string; result: { insecure: boolean } };
    expect(out.command).to.equal("setup");
    expect(out.result.insecure).to.equal(true);
    expect(r.stderr).to.include("✓ layout matvec").and.include("✓ keygen").and.include("INSECURE");
    expect(r.stderr).not.to.match(ESC);
  });

  it("exits 3 with what to check when the command line's sources do not load", async () => {
    // A copy of bin/zkinfer.js next to a main.ts that throws while loading.
    const r = await binAt(await checkout(join(tmp, "broken"), 'throw new Error("half-applied edit");\nexport const cli = () => undefined;\n'), "--help");
    expect(r.code).to.equal(3);
    expect(r.stderr).to.include("could not load the command line: half-applied edit").and.include("npm install").and.include("ZKINFER_DEBUG=1");
  });

  it("exits 2 on a ZKINFER_ENGINE it does not know, before any command runs", async () => {
    const r = await binWith({ ZKINFER_ENGINE: "gpu" }, BIN, "--version");
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('ZKINFER_ENGINE=gpu: expected "zkinfer" (the default) or "ffjavascript"');
  });

  it("ZKINFER_CLI=dist runs the build in a checkout, says to build it when it is missing, and refuses other values", async () => {
    // A checkout whose sources and build say which one ran.
    const root = join(tmp, "checkout");
    const entry = (what: string) => `export const cli = () => { process.stdout.write("${what}\\n"); };\n`;
    const at = await checkout(root, entry("sources"));
    expect((await binWith({ ZKINFER_CLI: "" }, at)).stdout).to.equal("sources\n");
    const unbuilt = await binWith({ ZKINFER_CLI: "dist" }, at);
    expect(unbuilt.code).to.equal(3);
    expect(unbuilt.stderr).to.include("npm run build:dist");
    await mkdir(join(root, "dist", "prover", "cli"), { recursive: true });
    await writeFile(join(root, "dist", "prover", "cli", "main.js"), entry("dist"));
    expect((await binWith({ ZKINFER_CLI: "dist" }, at)).stdout).to.equal("dist\n");
    const wrong = await binWith({ ZKINFER_CLI: "src" }, at);
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.include('ZKINFER_CLI=src: expected "dist"');
  });
});
