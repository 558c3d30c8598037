// `npm run conformance [-- --only a,b] [--fixtures <dir>] [--out <file.md>]`: every example model,
// then every operator model of scripts/op-models.ts (written to a temporary directory), through
// zkinfer compile → setup (dev SRS) → prove → verify, the proof's dequantized outputs compared
// with onnxruntime-node's float outputs within the tolerance compile reports. Writes a table per
// set to docs/conformance.md (and the rows as JSON beside it).
import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCompiledModel } from "../prover/compiler/compile.js";
import { main } from "../prover/cli/main.js";
import { releaseEngine } from "../verifier/engine/bn254.js";
import { parseInputData } from "../prover/quantize/calibration.js";
import { FloatReference } from "../prover/quantize/reference.js";
import { exampleModelsDir } from "./example-models.js";
import { writeOpModels } from "./op-models.js";
import { parseScriptArgs } from "./script-args.js";

const USAGE = `Usage: npm run conformance [-- --only a,b] [--fixtures <dir>] [--out <file.md>]

Every example model, then every operator model, through zkinfer compile → setup (dev SRS) → prove →
verify, the proof's dequantized outputs compared with onnxruntime-node's float outputs.

  --only a,b          only these models (by directory or operator-model name)
  --fixtures <dir>    the example models (default: ../shared/fixtures/ezkl-examples/)
  --out <file.md>     the table (default docs/conformance.md; the rows as JSON beside it)
`;

export interface ConformanceRow {
  model: string;
  ops: string;
  status: "pass" | "fail" | "left out";
  reason: string;
  rows?: number;
  logRows?: number;
  proveMs?: number;
  maxError?: number;
  tolerance?: number;
}

async function zk(args: string[]): Promise<{ code: number; out: Record<string, unknown>; err: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main([...args, "--json"], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  let out: Record<string, unknown>;
  try {
    out = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    out = {};
  }
  return { code, out, err: stderr };
}

function firstLine(s: unknown): string {
  return String(s ?? "").split("\n")[0].slice(0, 160);
}

/** Runs one fixture directory (network.onnx + input.json) end to end. */
export async function runFixture(fixtures: string, model: string, options: { keep?: boolean } = {}): Promise<ConformanceRow> {
  const src = join(fixtures, model);
  const onnx = join(src, "network.onnx");
  const input = join(src, "input.json");
  const dir = await mkdtemp(join(tmpdir(), `zkinfer-conf-${model}-`));
  const row: ConformanceRow = { model, ops: "", status: "fail", reason: "" };
  try {
    const compiled = await zk(["compile", onnx, "--out", join(dir, "m"), "--calibration", input]);
    if (compiled.code !== 0) {
      const msg = (compiled.out.error as { message?: string } | undefined)?.message ?? compiled.err;
      row.status = /does not support/.test(msg) ? "left out" : "fail";
      row.reason = `compile: ${firstLine(compiled.err.replace(/^zkinfer compile: /, "").replace(/^.*?: the model/, "the model"))}${/does not support/.test(msg) ? " " + firstLine(compiled.err.split("\n")[1]) : ""}`;
      return row;
    }
    const m = await readCompiledModel(join(dir, "m"));
    row.ops = m.manifest.ops.join(", ");
    row.rows = m.manifest.circuit.rows;
    row.logRows = m.manifest.circuit.logRows;
    row.tolerance = m.manifest.accuracy.tolerance;
    const setup = await zk(["setup", join(dir, "m"), "--dev-srs"]);
    if (setup.code !== 0) return { ...row, reason: `setup: ${firstLine(setup.err)}` };
    const proofPath = join(dir, "proof.json");
    const proved = await zk(["prove", join(dir, "m"), "--input", input, "--out", proofPath]);
    if (proved.code !== 0) return { ...row, reason: `prove: ${firstLine(proved.err)}` };
    row.proveMs = ((proved.out.result as { timingsMs: { prove: number } }).timingsMs).prove;
    const verified = await zk(["verify", join(dir, "m"), proofPath]);
    if (verified.code !== 0) return { ...row, reason: `verify: ${firstLine(verified.err || JSON.stringify((verified.out.result as { reasons?: string[] })?.reasons))}` };
    // The float reference on the same input.
    const proof = JSON.parse(await readFile(proofPath, "utf8")) as { outputs: number[] };
    const graph = m.graph.graph;
    const [sample] = parseInputData(JSON.parse(await readFile(input, "utf8")), graph.inputs, "input");
    const reference = await FloatReference.load(m.bytes ?? new Uint8Array(await readFile(join(dir, "m", m.manifest.model.file))));
    let float: Float64Array[];
    try {
      float = await reference.run(
        graph.inputs.map((v, i) => ({ name: v.name, dtype: m.graph.inputTypes[i], dims: v.dims, values: sample[i] })),
        graph.outputs.map((v) => v.name),
      );
    } finally {
      await reference.release();
    }
    const flat = float.flatMap((f) => Array.from(f));
    if (flat.length !== proof.outputs.length) return { ...row, reason: `the proof has ${proof.outputs.length} outputs, the model ${flat.length}` };
    row.maxError = Math.max(0, ...flat.map((v, i) => Math.abs(v - proof.outputs[i])));
    if (row.maxError <= row.tolerance) {
      row.status = "pass";
      row.reason = "";
    } else row.reason = `max error ${row.maxError.toPrecision(3)} above the tolerance`;
    return row;
  } catch (err) {
    return { ...row, status: "fail", reason: `error: ${firstLine((err as Error).message)}` };
  } finally {
    if (!options.keep) await rm(dir, { recursive: true, force: true });
  }
}

function headCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

/** One set of models: where they come from (for the text) and their rows. */
export interface ConformanceSet {
  source: string;
  rows: readonly ConformanceRow[];
}

function setTable(rows: readonly ConformanceRow[]): string[] {
  const fmt = (v: number | undefined, digits = 3) => (v === undefined ? "" : v.toPrecision(digits));
  return [
    "| model | ops | rows | logRows | prove ms | max error | tolerance | result |",
    "|---|---|---:|---:|---:|---:|---:|---|",
    ...rows.map((r) => `| ${r.model} | ${r.ops} | ${r.rows ?? ""} | ${r.logRows ?? ""} | ${r.proveMs ?? ""} | ${fmt(r.maxError)} | ${fmt(r.tolerance)} | ${r.status}${r.reason ? `: ${r.reason.replace(/\|/g, "/")}` : ""} |`),
  ];
}

export function conformanceMarkdown(sets: readonly ConformanceSet[], commit = headCommit()): string {
  const all = sets.flatMap((s) => s.rows);
  const pass = all.filter((r) => r.status === "pass").length;
  return [
    "# Conformance",
    "",
    `Every model of each set below through \`zkinfer compile\` (default target accuracy, input hashed, output public, calibrated on its own \`input.json\`) → \`setup --dev-srs\` → \`prove --input input.json\` → \`verify\`; the proof's dequantized outputs are compared with onnxruntime-node's float outputs on the same input, within the tolerance compile reports (twice the error seen in calibration plus two output steps). Regenerate with \`npm run conformance\`.`,
    "",
    `${pass} of ${all.length} pass. Generated ${new Date().toISOString()} at commit ${commit}, on the shared 2-core machine (prove times are wall-clock with other jobs running).`,
    ...sets.flatMap((s) => ["", `## ${s.source}`, "", ...setTable(s.rows)]),
    "",
  ].join("\n");
}

async function run(): Promise<void> {
  const { values } = parseScriptArgs("npm run conformance", USAGE, {
    options: { only: { type: "string" }, fixtures: { type: "string" }, out: { type: "string" } },
  });
  const fixtures = values.fixtures ?? exampleModelsDir();
  const out = values.out ?? join("docs", "conformance.md");
  const only = values.only?.split(",");
  const pick = (names: string[]) => (only ? names.filter((m) => only.includes(m)) : names);
  // The second set: one model per operator, written by scripts/op-models.ts.
  const opDir = await mkdtemp(join(tmpdir(), "zkinfer-op-models-"));
  const sets = [
    { source: "Example models (`../shared/fixtures/ezkl-examples/`)", dir: fixtures, models: pick((await readdir(fixtures, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()), rows: [] as ConformanceRow[] },
    { source: "Operator models (written by `scripts/op-models.ts` with the project's ONNX writer)", dir: opDir, models: pick(await writeOpModels(opDir)), rows: [] as ConformanceRow[] },
  ];
  const commit = headCommit();
  try {
    for (const set of sets) {
      for (const model of set.models) {
        const started = performance.now();
        const row = await runFixture(set.dir, model);
        set.rows.push(row);
        console.log(`${model}: ${row.status}${row.reason ? ` (${row.reason})` : ""} [${Math.round(performance.now() - started)} ms]`);
        const md = conformanceMarkdown(sets.filter((s) => s.rows.length > 0), commit);
        await writeFile(`${out}.tmp`, md);
        await rename(`${out}.tmp`, out);
        const json = sets.flatMap((s) => s.rows);
        await writeFile(`${out}.json.tmp`, `${JSON.stringify(json, null, 2)}\n`);
        await rename(`${out}.json.tmp`, out.replace(/\.md$/, ".json"));
      }
    }
  } finally {
    await rm(opDir, { recursive: true, force: true });
    await releaseEngine();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
