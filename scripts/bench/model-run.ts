// SPDX-License-Identifier: GPL-3.0-or-later
// One model of the models suite, run in its own process (forked by models.ts) so that its peak
// memory is its own: `zkinfer compile` → `setup --dev-srs` → `prove` → `verify`, in process through
// the CLI's main(), into a model directory the parent then deploys. Sends back the wall time of
// each command, the timings each reports, and the process's peak resident set size after each
// stage (process.resourceUsage().maxRSS: the kernel's high-water mark for the whole process,
// worker threads included).
import { join } from "node:path";
import { main } from "../../prover/cli/main.js";
import { releaseEngine } from "../../verifier/engine/bn254.js";

export interface ModelJob {
  onnx: string;
  calibration: string;
  input: string;
  /** The quantization target (compile's default, accuracy, unless given). */
  target?: "accuracy" | "resources";
  /** Compile every convolution as im2col copies and a matrix product (compile --im2col). */
  im2col?: boolean;
  /** Working directory: the model directory goes to <work>/model, the proof to <work>/proof.json. */
  work: string;
}

export interface ModelRunResult {
  ok: boolean;
  /** The failing stage and its message. */
  error?: string;
  compileMs?: number;
  setupMs?: number;
  setupTimings?: { srs: number; keygen: number };
  /** The prover alone (prove's timingsMs.prove), then witness building and key loading. */
  proveMs?: number;
  witnessMs?: number;
  loadKeyMs?: number;
  /** The prover's time in MSMs and FFTs (prove's timingsMs.msm and .fft). */
  msmMs?: number;
  fftMs?: number;
  /** The rest of the prover's split (prove's timingsMs): quotient evaluation, derived columns, openings, other. */
  gatesMs?: number;
  deriveMs?: number;
  openingsMs?: number;
  otherMs?: number;
  proveCommandMs?: number;
  verifyMs?: number;
  proofBytes?: number;
  rows?: number;
  logRows?: number;
  publicInputs?: number;
  /** Peak RSS in MiB after each stage (cumulative high-water marks). */
  peakRssMiB: Record<string, number>;
}

async function zk(args: string[]): Promise<{ code: number; json: Record<string, unknown>; err: string; ms: number }> {
  let stdout = "";
  let stderr = "";
  const t0 = performance.now();
  const code = await main([...args, "--json", "--quiet"], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  const ms = performance.now() - t0;
  let json: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(stdout) as { result?: Record<string, unknown> };
    json = parsed.result ?? (parsed as Record<string, unknown>);
  } catch {
    // A failure's message is on stderr.
  }
  return { code, json, err: stderr, ms };
}

const peakMiB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

export async function runModelJob(job: ModelJob): Promise<ModelRunResult> {
  const dir = join(job.work, "model");
  const proofPath = join(job.work, "proof.json");
  const r: ModelRunResult = { ok: false, peakRssMiB: { start: peakMiB() } };
  const fail = (stage: string, res: { err: string; json: Record<string, unknown> }): ModelRunResult => {
    const reasons = res.json.reasons as string[] | undefined;
    r.error = `${stage}: ${(res.err.trim().split("\n")[0] || reasons?.join("; ") || "failed").slice(0, 200)}`;
    return r;
  };

  const compiled = await zk(["compile", job.onnx, "--out", dir, "--calibration", job.calibration, ...(job.target ? ["--target", job.target] : []), ...(job.im2col ? ["--im2col"] : [])]);
  r.peakRssMiB.compile = peakMiB();
  if (compiled.code !== 0) return fail("compile", compiled);
  r.compileMs = compiled.ms;
  const circuit = (compiled.json.manifest as { circuit: { rows: number; logRows: number } }).circuit;
  r.rows = circuit.rows;
  r.logRows = circuit.logRows;

  const set = await zk(["setup", dir, "--dev-srs"]);
  r.peakRssMiB.setup = peakMiB();
  if (set.code !== 0) return fail("setup", set);
  r.setupMs = set.ms;
  const st = set.json.timingsMs as { srs: number; keygen: number };
  r.setupTimings = { srs: st.srs, keygen: st.keygen };
  r.publicInputs = set.json.publicInputCount as number;

  const proved = await zk(["prove", dir, "--input", job.input, "--out", proofPath]);
  r.peakRssMiB.prove = peakMiB();
  if (proved.code !== 0) return fail("prove", proved);
  const pt = proved.json.timingsMs as { prove: number; witness: number; loadKey: number; msm: number; fft: number; gates: number; derive: number; openings: number; other: number };
  r.proveMs = pt.prove;
  r.msmMs = pt.msm;
  r.fftMs = pt.fft;
  r.gatesMs = pt.gates;
  r.deriveMs = pt.derive;
  r.openingsMs = pt.openings;
  r.otherMs = pt.other;
  r.witnessMs = pt.witness;
  r.loadKeyMs = pt.loadKey;
  r.proveCommandMs = proved.ms;
  r.proofBytes = proved.json.proofBytes as number;

  const verified = await zk(["verify", dir, proofPath]);
  r.peakRssMiB.verify = peakMiB();
  if (verified.code !== 0) return fail("verify", verified);
  r.verifyMs = verified.json.timeMs as number;
  r.ok = true;
  return r;
}

// Forked by models.ts: the job is argv[2], the result goes back over the IPC channel.
if (import.meta.url === `file://${process.argv[1]}` && process.send) {
  const job = JSON.parse(process.argv[2]) as ModelJob;
  let result: ModelRunResult;
  try {
    result = await runModelJob(job);
  } catch (err) {
    result = { ok: false, error: `error: ${(err as Error).message.split("\n")[0]}`, peakRssMiB: { end: peakMiB() } };
  }
  await releaseEngine();
  process.send(result, () => process.exit(0));
}
