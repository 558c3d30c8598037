// `npm run demo [-- --model cnn|mlp|<file.onnx>] [--digit <0-19>] [--input <input.json>]
// [--calibration <data.json>] [--srs <file.ptau>] [--out <dir>] [--json]`: the whole flow once, on
// a real trained MNIST model: compile (calibrated on the shipped test digits) → setup (insecure dev
// SRS unless --srs) → prove one test digit → verify off-chain → in-process Hardhat chain → deploy
// the registry and the generated verifier → submit the proof through the SDK → read the audit
// record back. Prints stage lines on stderr and a summary of measured values on stdout.
// Exit codes: 0 ok, 1 a step or check failed, 2 bad options or input, 3 an internal error of the CLI.
// SPDX-License-Identifier: GPL-3.0-or-later
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseArgsMessage } from "../prover/cli/help.js";
import type { Address, Hex } from "viem";
import { main as zkinfer, type Io } from "../prover/cli/main.js";
import { ptauPowerFor } from "../prover/cli/commands/setup.js";
import { releaseEngine } from "../verifier/engine/bn254.js";
import { srsSizeFor, type ProofFile } from "../prover/plonkish/index.js";
import { deployModel } from "../sdk/hardhat/deployModel.js";
import { createClient, inputHashOf, outputHashOf, zkinferVerifierAbi, type InferenceRecord } from "../sdk/index.js";

const MODELS_DIR = fileURLToPath(new URL("./mnist/models/", import.meta.url));
const BUILTIN_MODELS: Record<string, string> = { cnn: "mnist-cnn.onnx", mlp: "mnist-mlp.onnx" };
const DEFAULT_MODEL = "cnn";
const TEST_DIGITS = "test-digits.json";

export const DEMO_EXIT = { ok: 0, failed: 1, badInput: 2, internal: 3 } as const;

/** A failed step: its exit code and a message that says what to do. */
export class DemoError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = "DemoError";
  }
}

export interface DemoSummary {
  model: { name: string; source: string; ops: string[]; rows: number; logRows: number; weights: number };
  workDir: string;
  digit: { index: number; label: number } | null;
  predicted: number | null;
  outputs: number[];
  proofBytes: number;
  publicInputs: number;
  insecureSetup: boolean;
  minPtauPower: number;
  timingsMs: { compile: number; setup: number; prove: number; verify: number };
  gas: { registry: string; verifier: string; verifyProof: string; registerModel: string; submitInference: string };
  registry: Address;
  verifier: Address;
  modelId: Hex;
  record: { id: Hex; blockNumber: string; submitter: Address; inputHash: Hex; outputHash: Hex };
}

const HELP = `npm run demo [-- options]: compile, set up, prove, verify and record on-chain one inference of a
trained MNIST model, with an in-process Hardhat chain. Everything runs on embedded defaults.

options:
  --model <cnn|mlp|file.onnx>   the shipped MNIST CNN (default) or MLP, or any ONNX model (then give --input)
  --digit <n>                   which shipped test digit to prove (0-19, default 0)
  --input <input.json>          the input to prove, EZKL layout {"input_data": [[…]]} (instead of a test digit)
  --calibration <data.json>     calibration data (default: the 20 shipped test digits, or --input)
  --srs <file.ptau>             a Powers of Tau file for a real setup (default: an INSECURE dev SRS)
  --out <dir>                   keep the model directory, proof and summary here (default: a temp dir, removed)
  --json                        print the summary as JSON on stdout
  -h, --help                    this help

exit codes: 0 ok, 1 a step or check failed, 2 bad options or input, 3 internal error
`;

interface Options {
  model: string;
  modelName: string;
  builtin: boolean;
  digit: number;
  input?: string;
  calibration?: string;
  srs?: string;
  out?: string;
  json: boolean;
}

function parseOptions(argv: string[]): Options | "help" {
  const options = {
    model: { type: "string" },
    digit: { type: "string" },
    input: { type: "string" },
    calibration: { type: "string" },
    srs: { type: "string" },
    out: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  } as const;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, strict: true, allowPositionals: false, options });
  } catch (err) {
    throw new DemoError(DEMO_EXIT.badInput, `${parseArgsMessage(err, Object.keys(options)) ?? (err as Error).message} (see npm run demo -- --help)`);
  }
  const v = parsed.values;
  if (v.help) return "help";
  const modelArg = v.model ?? DEFAULT_MODEL;
  const builtin = modelArg in BUILTIN_MODELS;
  if (!builtin && !modelArg.endsWith(".onnx")) {
    throw new DemoError(DEMO_EXIT.badInput, `--model must be ${Object.keys(BUILTIN_MODELS).join(" or ")} or a path to an .onnx file, not "${modelArg}"`);
  }
  if (!builtin && v.input === undefined) throw new DemoError(DEMO_EXIT.badInput, `--model ${modelArg} needs --input <input.json> (the shipped test digits fit only the MNIST models)`);
  if (v.digit !== undefined && !builtin) throw new DemoError(DEMO_EXIT.badInput, "--digit picks a shipped MNIST test digit: it goes with --model cnn or mlp only");
  if (v.digit !== undefined && v.input !== undefined) throw new DemoError(DEMO_EXIT.badInput, "give either --digit or --input, not both");
  const digit = v.digit === undefined ? 0 : Number(v.digit);
  if (!Number.isInteger(digit) || digit < 0) throw new DemoError(DEMO_EXIT.badInput, `--digit must be a test digit's index (0, 1, …), not "${v.digit}"`);
  return {
    model: builtin ? join(MODELS_DIR, BUILTIN_MODELS[modelArg]) : resolve(modelArg),
    modelName: builtin ? `MNIST ${modelArg.toUpperCase()} (${BUILTIN_MODELS[modelArg]})` : basename(modelArg),
    builtin,
    digit,
    input: v.input === undefined ? undefined : resolve(v.input),
    calibration: v.calibration === undefined ? undefined : resolve(v.calibration),
    srs: v.srs === undefined ? undefined : resolve(v.srs),
    out: v.out === undefined ? undefined : resolve(v.out),
    json: v.json === true,
  };
}

interface TestDigit {
  label: number;
  input_data: number[][];
}

async function readTestDigits(): Promise<TestDigit[]> {
  const path = join(MODELS_DIR, TEST_DIGITS);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    throw new DemoError(DEMO_EXIT.badInput, `cannot read the shipped test digits ${path}: ${(err as Error).message} (regenerate them with npm run train:mnist)`);
  }
  const digits = (parsed as { digits?: unknown }).digits;
  if (!Array.isArray(digits) || digits.length === 0 || !digits.every((d: TestDigit) => Number.isInteger(d?.label) && Array.isArray(d?.input_data?.[0]))) {
    throw new DemoError(DEMO_EXIT.badInput, `${path} must be {"digits": [{"label", "input_data": [[…]]}, …]} (regenerate it with npm run train:mnist)`);
  }
  return digits as TestDigit[];
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Writes stderr text with every line indented under the current stage. */
function indented(write: (text: string) => void): (text: string) => void {
  let atLineStart = true;
  return (text) => {
    let out = "";
    for (const ch of text) {
      if (atLineStart && ch !== "\n") out += "    ";
      out += ch;
      atLineStart = ch === "\n";
    }
    write(out);
  };
}

function argmax(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`;
}

function insecureBanner(power: number, logRows: number): string {
  const file = `powersOfTau28_hez_final_${String(Math.max(power, 8)).padStart(2, "0")}.ptau`;
  const lines = [
    "!!! INSECURE SETUP: a development SRS generated on this machine (--dev-srs) !!!",
    "Whoever generated it knew its secret τ and could forge proofs for these keys. The keys,",
    'the verifier (INSECURE_DEV_SRS = true) and vk.json ("insecure": true) say so. Demo only.',
    `For real keys use a public ceremony's Powers of Tau file of power ≥ ${power} (this model has`,
    `2^${logRows} rows), e.g. the Hermez / Perpetual Powers of Tau file ${file}:`,
    `  https://storage.googleapis.com/zkevm/ptau/${file}`,
    "  (Perpetual Powers of Tau: https://github.com/privacy-scaling-explorations/perpetualpowersoftau)",
    "then:",
    `  zkinfer srs check ${file}`,
    `  npm run demo -- --srs ${file}   (or: zkinfer setup <dir> --srs ${file})`,
  ];
  const width = Math.max(...lines.map((l) => l.length));
  const bar = "#".repeat(width + 4);
  return [bar, ...lines.map((l) => `# ${l.padEnd(width)} #`), bar].join("\n") + "\n";
}

/** Runs the demo; returns its summary or throws a DemoError. Stage lines go to io.stderr. */
export async function demo(argv: string[], io: Pick<Io, "stdout" | "stderr"> = processIo): Promise<DemoSummary | "help"> {
  const options = parseOptions(argv);
  if (options === "help") {
    io.stdout(HELP);
    return "help";
  }
  const log = (line: string): void => io.stderr(`${line}\n`);
  const total = 9;
  let step = 0;
  const stage = (text: string): void => log(`[${++step}/${total}] ${text}`);
  const cliIo: Io = { stdout: () => undefined, stderr: indented(io.stderr), stderrIsTTY: false };

  /** Runs one zkinfer command with --json; returns its result or throws with the CLI's exit code. */
  const run = async <T>(what: string, args: string[]): Promise<T> => {
    let stdout = "";
    const code = await zkinfer([...args, "--json"], { ...cliIo, stdout: (t) => (stdout += t) });
    let parsed: { result?: T; error?: { message?: string } } = {};
    try {
      parsed = JSON.parse(stdout) as typeof parsed;
    } catch {
      // no JSON: the CLI's message on stderr says what went wrong
    }
    if (code !== 0) {
      const why = parsed.error?.message ?? (code === 1 ? "the check failed" : "see the message above");
      throw new DemoError(code, `${what} failed (zkinfer ${args[0]} exited ${code}): ${why}`);
    }
    if (parsed.result === undefined) throw new DemoError(DEMO_EXIT.internal, `${what}: zkinfer ${args[0]} printed no JSON result`);
    return parsed.result;
  };

  for (const [flag, path] of [["--model", options.model], ["--input", options.input], ["--calibration", options.calibration], ["--srs", options.srs]] as const) {
    if (path !== undefined && !(await isFile(path))) throw new DemoError(DEMO_EXIT.badInput, `${flag}: no such file ${path}`);
  }
  const digits = options.builtin ? await readTestDigits() : [];
  if (options.builtin && options.input === undefined && options.digit >= digits.length) {
    throw new DemoError(DEMO_EXIT.badInput, `--digit must be below ${digits.length}: ${digits.length} test digits are shipped`);
  }
  const work = options.out ?? (await mkdtemp(join(tmpdir(), "zkinfer-demo-")));
  await mkdir(work, { recursive: true });
  const modelDir = join(work, "model");
  const proofPath = join(work, "proof.json");
  let succeeded = false;
  try {
    // Inputs: a shipped test digit (and the 20 digits as calibration data), or the given files.
    let digit: DemoSummary["digit"] = null;
    let inputPath = options.input;
    let calibrationPath = options.calibration;
    if (options.builtin) {
      if (inputPath === undefined) {
        digit = { index: options.digit, label: digits[options.digit].label };
        inputPath = join(work, "input.json");
        await writeFile(inputPath, JSON.stringify({ input_data: digits[options.digit].input_data }));
      }
      if (calibrationPath === undefined) {
        calibrationPath = join(work, "calibration.json");
        await writeFile(calibrationPath, JSON.stringify({ input_data: [digits.flatMap((d) => d.input_data[0])] }));
      }
    }
    calibrationPath ??= inputPath!;
    log(`zkinfer demo: ${options.modelName}${digit ? `, test digit #${digit.index} (label ${digit.label})` : `, input ${inputPath}`}; working in ${work}`);

    stage(`compile ${options.model} (calibration: ${options.builtin && options.calibration === undefined ? "the shipped test digits" : calibrationPath})`);
    type Compiled = { manifest: { ops: string[]; circuit: { rows: number; requiredRows: number; logRows: number; weights: number } }; timeMs: number };
    const compiled = await run<Compiled>("compile", ["compile", options.model, "--out", modelDir, "--calibration", calibrationPath]);
    const { logRows } = compiled.manifest.circuit;
    const minPtauPower = ptauPowerFor(srsSizeFor(logRows));
    log(`    → 2^${logRows} rows (${compiled.manifest.circuit.requiredRows} used), ops ${compiled.manifest.ops.join(", ")}, ${seconds(compiled.timeMs)}`);

    type SetupResult = { insecure: boolean; timingsMs: Record<string, number>; srs: { minPtauPower: number } };
    let setup: SetupResult;
    let setupMs: number;
    if (options.srs === undefined) {
      stage(`setup on a development SRS (2^${logRows} rows)`);
      io.stderr(insecureBanner(minPtauPower, logRows));
      const t = performance.now();
      setup = await run<SetupResult>("setup", ["setup", modelDir, "--dev-srs"]);
      setupMs = performance.now() - t;
    } else {
      stage(`setup on ${options.srs} (needs power ≥ ${minPtauPower})`);
      const t = performance.now();
      setup = await run<SetupResult>("setup", ["setup", modelDir, "--srs", options.srs]);
      setupMs = performance.now() - t;
    }
    log(`    → keys written, ${seconds(setupMs)}${setup.insecure ? " (INSECURE: dev SRS)" : ""}`);

    stage(`prove ${digit ? `test digit #${digit.index}` : inputPath} (takes a while at 2^${logRows} rows)`);
    type Proved = { proofBytes: number; publicInputCount: number; outputs: number[]; timingsMs: { prove: number; total: number } };
    const proved = await run<Proved>("prove", ["prove", modelDir, "--input", inputPath!, "--out", proofPath]);
    log(`    → ${proved.proofBytes}-byte proof in ${seconds(proved.timingsMs.prove)}`);

    stage("verify off-chain (the TypeScript verifier)");
    const verified = await run<{ valid: boolean; timeMs: number }>("verify", ["verify", modelDir, proofPath]);
    if (!verified.valid) throw new DemoError(DEMO_EXIT.failed, "the proof does not verify off-chain");
    log(`    → valid, ${verified.timeMs} ms`);

    const proofFile = JSON.parse(await readFile(proofPath, "utf8")) as ProofFile;

    stage("start the in-process Hardhat chain");
    const { network } = await import("hardhat");
    const connection = await network.create();
    try {
      const publicClient = await connection.viem.getPublicClient();
      const [walletClient] = await connection.viem.getWalletClients();
      const submitter = walletClient.account.address;
      const client = createClient({ publicClient, walletClient });
      log(`    → chain id ${await publicClient.getChainId()}, account ${submitter}`);

      stage("deploy the registry");
      const registry = await client.deployRegistry();
      const zk = client.withRegistry(registry.address);
      log(`    → InferenceRegistry at ${registry.address}, ${registry.gasUsed} gas`);

      stage("generate, compile and deploy the verifier; register the model");
      const deployed = await deployModel(zk, { model: modelDir, metadataURI: `zkinfer-demo:${basename(options.model)}` });
      log(`    → ${deployed.contractName} at ${deployed.verifier} (${deployed.gasUsed.verifier} gas), model ${deployed.modelId} (${deployed.gasUsed.registerModel} gas)`);

      // The verifier alone, as a transaction would cost it (base cost and calldata included).
      const verifyProofGas = await publicClient.estimateContractGas({
        address: deployed.verifier,
        abi: zkinferVerifierAbi,
        functionName: "verifyProof",
        args: [proofFile.proof, proofFile.publicInputs.map(BigInt)],
        account: submitter,
      });
      log(`    → verifyProof alone: ${verifyProofGas} gas (estimate of a direct call)`);

      stage("submit the proof through the SDK (submitInference)");
      const submitted = await zk.submitInference({ modelId: deployed.modelId, proof: proofFile });
      log(`    → record ${submitted.recordId} in block ${submitted.blockNumber}, ${submitted.gasUsed} gas`);

      stage("read the audit record back");
      const record: InferenceRecord = await zk.getRecord({ recordId: submitted.recordId });
      const publicInputs = proofFile.publicInputs.map(BigInt);
      const mismatches = [
        record.id !== submitted.recordId && "id",
        record.modelId !== deployed.modelId && "modelId",
        record.submitter.toLowerCase() !== submitter.toLowerCase() && "submitter",
        record.inputHash !== inputHashOf(deployed.layout, publicInputs) && "inputHash",
        record.outputHash !== outputHashOf(deployed.layout, publicInputs) && "outputHash",
      ].filter((m): m is string => m !== false);
      if (mismatches.length > 0) throw new DemoError(DEMO_EXIT.failed, `the record read back does not match the submitted proof: ${mismatches.join(", ")}`);
      log(`    → record matches the proof (model, submitter, input hash, output hash)`);

      const summary: DemoSummary = {
        model: {
          name: options.modelName,
          source: options.model,
          ops: compiled.manifest.ops,
          rows: compiled.manifest.circuit.requiredRows,
          logRows,
          weights: compiled.manifest.circuit.weights,
        },
        workDir: work,
        digit,
        predicted: argmax(proofFile.outputs),
        outputs: proofFile.outputs,
        proofBytes: proved.proofBytes,
        publicInputs: proved.publicInputCount,
        insecureSetup: setup.insecure,
        minPtauPower: setup.srs.minPtauPower,
        timingsMs: { compile: compiled.timeMs, setup: Math.round(setupMs), prove: proved.timingsMs.prove, verify: verified.timeMs },
        gas: {
          registry: registry.gasUsed.toString(),
          verifier: deployed.gasUsed.verifier.toString(),
          verifyProof: verifyProofGas.toString(),
          registerModel: deployed.gasUsed.registerModel.toString(),
          submitInference: submitted.gasUsed.toString(),
        },
        registry: registry.address,
        verifier: deployed.verifier,
        modelId: deployed.modelId,
        record: { id: record.id, blockNumber: record.blockNumber.toString(), submitter: record.submitter, inputHash: record.inputHash, outputHash: record.outputHash },
      };
      if (options.out !== undefined) await writeFile(join(work, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
      succeeded = true;
      return summary;
    } finally {
      await connection.close();
    }
  } finally {
    if (options.out === undefined) {
      if (succeeded) await rm(work, { recursive: true, force: true });
      else log(`(the working directory ${work} is kept for inspection)`);
    }
  }
}

export function formatSummary(s: DemoSummary): string {
  const match = s.digit && s.predicted !== null ? (s.predicted === s.digit.label ? "  (correct)" : `  (WRONG: the label is ${s.digit.label})`) : "";
  const rows: [string, string][] = [
    ["model", `${s.model.name}: ${s.model.ops.join(", ")}; ${s.model.weights} private weights; 2^${s.model.logRows} rows`],
    ...(s.digit ? [["true label", `${s.digit.label} (test digit #${s.digit.index})`] as [string, string]] : []),
    ["predicted", `${s.predicted ?? "—"}${match}  from the proof's outputs [${s.outputs.map((v) => v.toFixed(2)).join(", ")}]`],
    ["proof", `${s.proofBytes} bytes, ${s.publicInputs} public inputs`],
    ["prove time", seconds(s.timingsMs.prove)],
    ["verify time", `${s.timingsMs.verify} ms off-chain`],
    ["gas", `verifier deploy ${s.gas.verifier}, submitInference ${s.gas.submitInference} (verifyProof alone ${s.gas.verifyProof}; registerModel ${s.gas.registerModel}; registry deploy ${s.gas.registry})`],
    ["record id", s.record.id],
    ["record", `block ${s.record.blockNumber}, submitter ${s.record.submitter}, model ${s.modelId}`],
    ["other times", `compile ${seconds(s.timingsMs.compile)}, setup ${seconds(s.timingsMs.setup)}`],
    ["setup", s.insecureSetup ? `INSECURE development SRS: demo only; use --srs <file.ptau> of power ≥ ${s.minPtauPower}` : "Powers of Tau file (--srs)"],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return ["", "zkinfer demo: summary", ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`), ""].join("\n");
}

const processIo = {
  stdout: (text: string) => void process.stdout.write(text),
  stderr: (text: string) => void process.stderr.write(text),
};

/** Runs the demo from a command line: prints the summary and returns the exit code. */
export async function runDemo(argv: string[], io: Pick<Io, "stdout" | "stderr"> = processIo): Promise<number> {
  const json = argv.includes("--json");
  try {
    const summary = await demo(argv, io);
    if (summary === "help") return DEMO_EXIT.ok;
    io.stdout(json ? `${JSON.stringify({ exitCode: 0, summary }, null, 2)}\n` : `${formatSummary(summary)}\n`);
    return DEMO_EXIT.ok;
  } catch (err) {
    const known = err instanceof DemoError;
    const code = known ? err.exitCode : DEMO_EXIT.failed;
    const message = err instanceof Error ? err.message : String(err);
    if (json) io.stdout(`${JSON.stringify({ exitCode: code, error: message.split("\n")[0] }, null, 2)}\n`);
    io.stderr(`demo failed: ${message}\n`);
    if (!known && err instanceof Error && err.stack && process.env.ZKINFER_DEBUG) io.stderr(`${err.stack}\n`);
    return code;
  } finally {
    await releaseEngine();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await runDemo(process.argv.slice(2));
