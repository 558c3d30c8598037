// SPDX-License-Identifier: GPL-3.0-or-later
// Side by side with the peer: zkinfer against snarkjs Groth16 on the same models (MLP 784-56-10
// and the small CNN, with the same integer weights and input), built by ../shared/peer/build.sh
// into $ZKINFER_PEER_DIR or ~/.cache/zkinfer-peer. Each model is compiled and set up once; then
// `zkinfer prove` (the built CLI in a fresh process: key load, witness and proof, as an operator
// runs the installed package; the bench builds dist/ first)
// and `snarkjs groth16 prove` (on the peer's precomputed witness) alternate, `reps` times each, with
// one reference MSM timed before each pair, so load on a shared machine hits all three alike. The
// ratio is of the medians; every time is also given in reference MSMs. Both prove the same
// statement: the peer's circuits take the input as a private signal (not hashed) and expose the
// outputs, so the twin is compiled with --input-visibility private (zkinfer's default, hashed,
// would add a Poseidon hash of the input that Groth16 is not asked for).
import { execFile } from "node:child_process";
import { access, mkdtemp, rm } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Bn128 } from "ffjavascript";
import { referenceMsm } from "./core.js";
import { median, type BenchRow } from "./report.js";

export const PEER_MODELS = ["mlp", "cnn"] as const;
export type PeerModel = (typeof PEER_MODELS)[number];

/** Where build.sh puts the peer (its default). */
export function peerDir(): string {
  return process.env.ZKINFER_PEER_DIR ?? join(homedir(), ".cache", "zkinfer-peer");
}

const BIN = fileURLToPath(new URL("../../bin/zkinfer.js", import.meta.url));

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Runs a command; resolves with its wall time and stdout, rejects with its stderr's first lines. */
function run(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 1 << 26, cwd: ROOT, ...(env ? { env } : {}) }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file.split("/").pop()} ${args[0]}: ${(stderr || err.message).trim().split("\n").slice(0, 3).join(" / ")}`));
      else resolve({ ms: performance.now() - t0, stdout });
    });
  });
}

// The built CLI (dist/, as an installed package runs it; see bin/zkinfer.js), built once per run.
const zkinfer = (...args: string[]) => run(process.execPath, [BIN, ...args], { ...process.env, ZKINFER_CLI: "dist" });
let built: Promise<unknown> | undefined;
function buildCli(log: (s: string) => void): Promise<unknown> {
  if (!built) log("peer: building dist/ (npm run build:dist), so that zkinfer runs as the installed package does");
  built ??= run(process.execPath, [fileURLToPath(import.meta.resolve("tsx/cli")), join(ROOT, "scripts", "build-dist.ts")]);
  return built;
}

async function missing(dir: string, model: PeerModel): Promise<string | undefined> {
  for (const f of [`${model}.zkey`, `${model}.wtns`, `models/${model}/network.onnx`, `models/${model}/input.json`, "tools/node_modules/.bin/snarkjs"]) {
    try {
      await access(join(dir, f));
    } catch {
      return f;
    }
  }
  return undefined;
}

interface ProveTimingsMs {
  /** The key's whole load, alongside the witness (see `zkinfer prove`). */
  loadKey: number;
  /** What was left of it after the witness. */
  keyWait: number;
  witness: number;
  prove: number;
  msm: number;
  fft: number;
  gates: number;
}

export async function benchPeer(curve: Bn128, opts: { models?: readonly PeerModel[]; reps?: number; log: (s: string) => void }): Promise<BenchRow[]> {
  const dir = peerDir();
  const reps = opts.reps ?? 3;
  const rows: BenchRow[] = [];
  let reference: (() => Promise<number>) | undefined;
  for (const model of opts.models ?? PEER_MODELS) {
    const lack = await missing(dir, model);
    if (lack) {
      opts.log(`peer ${model}: skipped, ${join(dir, lack)} is missing (build the peer with ../shared/peer/build.sh, about an hour)`);
      rows.push({ suite: "peer", name: model, size: 0, ms: 0, extra: { error: `peer not built (${lack} missing)` } });
      continue;
    }
    const work = await mkdtemp(join(tmpdir(), `zkinfer-peer-${model}-`));
    try {
      await buildCli(opts.log);
      const modelDir = join(work, "model");
      await zkinfer("compile", join(dir, "models", model, "network.onnx"), "--out", modelDir, "--input-visibility", "private", "--quiet");
      await zkinfer("setup", modelDir, "--dev-srs", "--quiet");
      const snarkjs = join(dir, "tools/node_modules/.bin/snarkjs");
      const ours: number[] = [];
      const theirs: number[] = [];
      const refs: number[] = [];
      const parts: ProveTimingsMs[] = [];
      let logRows = 0;
      for (let i = 0; i < reps; i++) {
        reference ??= await referenceMsm(curve);
        refs.push(await reference());
        const proved = await zkinfer("prove", modelDir, "--input", join(dir, "models", model, "input.json"), "--out", join(work, "proof.json"), "--json", "--quiet");
        const result = (JSON.parse(proved.stdout) as { result: { timingsMs: ProveTimingsMs; logRows: number } }).result;
        ours.push(proved.ms);
        parts.push(result.timingsMs);
        logRows = result.logRows;
        theirs.push((await run(snarkjs, ["groth16", "prove", join(dir, `${model}.zkey`), join(dir, `${model}.wtns`), join(work, "g16.json"), join(work, "g16-public.json")])).ms);
      }
      await zkinfer("verify", modelDir, join(work, "proof.json"), "--quiet");
      const ref = median(refs);
      const zk = median(ours);
      const g16 = median(theirs);
      const part = (k: keyof ProveTimingsMs): number => median(parts.map((p) => p[k]));
      const units = (ms: number): number => Math.round((100 * ms) / ref) / 100;
      const share = (k: keyof ProveTimingsMs): string => `${Math.round((100 * part(k)) / part("prove"))}%`;
      rows.push({
        suite: "peer",
        name: model,
        size: 2 ** logRows,
        ms: zk,
        msmUnits: units(zk),
        extra: {
          logRows,
          snarkjsMs: Math.round(g16),
          snarkjsUnits: units(g16),
          ratio: Math.round((100 * zk) / g16) / 100,
          loadKeyMs: Math.round(part("loadKey")),
          keyWaitMs: Math.round(part("keyWait")),
          witnessMs: Math.round(part("witness")),
          proveMs: Math.round(part("prove")),
          msm: share("msm"),
          fft: share("fft"),
          gates: share("gates"),
          referenceMsmMs: Math.round(ref),
        },
      });
      opts.log(
        `peer ${model} (2^${logRows}): zkinfer prove ${(zk / 1000).toFixed(2)} s (${units(zk)} MSMs; key load ${part("loadKey")} ms alongside the witness, ${part("witness")} ms, ${part("keyWait")} ms after it, ` +
          `prove ${part("prove")} ms: MSM ${share("msm")}, FFT ${share("fft")}, gates ${share("gates")}), snarkjs groth16 prove ${(g16 / 1000).toFixed(2)} s ` +
          `(${units(g16)} MSMs), ratio ${(zk / g16).toFixed(2)}; medians of ${reps}, alternating; reference MSM 2^16 ${ref.toFixed(0)} ms`,
      );
    } catch (err) {
      rows.push({ suite: "peer", name: model, size: 0, ms: 0, extra: { error: (err as Error).message.slice(0, 300) } });
      opts.log(`peer ${model}: ${(err as Error).message}`);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  return rows;
}
