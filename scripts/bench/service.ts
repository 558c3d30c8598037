// `npm run -s bench -- service [--model <dir> --input <json>] [--jobs N] [--rounds K] [--json]`:
// the proving service on one machine. A private redis-server, an API node (startService, no
// in-process worker) and `zkinfer worker` processes, as an operator runs them.
//  1. Resident key against one-shot: with one worker up, alternately a `zkinfer prove` process
//     (loads the key, proves, exits) and one job through the service, K rounds.
//  2. Throughput and latency: a burst of N jobs with one worker, then with two (each job's
//     latency is BullMQ's finishedOn − timestamp: from queueing to the stored proof).
// Without --model, a built-in matvec circuit (--dev-srs) is set up in a temporary directory.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Queue } from "bullmq";
import { createProverClient } from "../../sdk/prover-client.js";
import { QUEUE_PREFIX, queueName, redisConnection, type ProofJobResult } from "../../service/jobs.js";
import { startPrivateRedis } from "../../service/redis-server.js";
import { startService } from "../../service/serve.js";
import { startZkinfer, type ZkProcess } from "../zkinfer-process.js";
import { median } from "./report.js";

const BIN = fileURLToPath(new URL("../../bin/zkinfer.js", import.meta.url));
const run = promisify(execFile);

export interface ServiceBenchOptions {
  model?: { dir: string; input: string };
  jobs: number;
  rounds: number;
  log: (line: string) => void;
}

export interface ServiceBenchResult {
  model: string;
  logRows: number;
  oneShot: { wallMs: number; loadKeyMs: number; witnessMs: number; proveMs: number };
  resident: { latencyMs: number; witnessMs: number; proveMs: number };
  throughput: { workers: number; jobs: number; proofsPerMinute: number; latencyP50Ms: number; latencyMaxMs: number }[];
}

export async function benchService(options: ServiceBenchOptions): Promise<ServiceBenchResult> {
  const { log } = options;
  const tmp = await mkdtemp(join(tmpdir(), "zkinfer-bench-service-"));
  const processes: ZkProcess[] = [];
  const stops: (() => Promise<unknown>)[] = [];
  try {
    let dir = options.model?.dir;
    let inputPath = options.model?.input;
    if (!dir || !inputPath) {
      dir = join(tmp, "matvec");
      log("setting up a built-in matvec circuit (m=16, k=64, --dev-srs)");
      await run(process.execPath, [BIN, "setup", dir, "--dev-srs", "--circuit", "matvec", "--param", "m=16", "--param", "k=64", "--param", "bits=8", "--quiet"]);
      inputPath = join(tmp, "input.json");
      await writeFile(inputPath, JSON.stringify({ input_data: [Array.from({ length: 64 }, (_, i) => ((i * 37) % 255) - 127)] }));
    }
    const input = JSON.parse(await readFile(inputPath, "utf8")) as { input_data: unknown[] };
    const vk = JSON.parse(await readFile(join(dir, "vk.json"), "utf8")) as { digest: string; logRows: number };

    const redis = await startPrivateRedis();
    stops.push(() => redis.stop());
    const service = await startService({ artifacts: [dir], redisUrl: redis.url, workers: 0, port: 0 });
    stops.push(() => service.close());
    const queue = new Queue<unknown, ProofJobResult>(queueName(vk.digest), { connection: redisConnection(redis.url), prefix: QUEUE_PREFIX });
    stops.push(() => queue.close());
    const client = createProverClient({ url: service.url });
    const addWorker = async () => {
      const w = startZkinfer(["worker", "--redis", redis.url, "--artifacts", dir!]);
      processes.push(w);
      await w.waitFor(/worker \S+ ready/, 300_000);
    };
    const oneJob = async () => {
      const { id } = await client.requestProof({ model: vk.digest, input });
      await client.waitForProof(id, { intervalMs: 20, maxIntervalMs: 50 });
      const job = (await queue.getJob(id.split(".")[1]))!;
      return { latencyMs: job.finishedOn! - job.timestamp, ...job.returnvalue.timingsMs };
    };

    await addWorker();
    log("warming the worker up (its key's fixed-base table builds after a few proofs)");
    for (let i = 0; i < 4; i++) await oneJob();
    const oneShots: ServiceBenchResult["oneShot"][] = [];
    const residents: { latencyMs: number; witness: number; prove: number }[] = [];
    for (let r = 0; r < options.rounds; r++) {
      const t = performance.now();
      const { stdout } = await run(process.execPath, [BIN, "prove", dir, "--input", inputPath, "--out", join(tmp, "proof.json"), "--json", "--quiet"], { maxBuffer: 1 << 24 });
      const wallMs = performance.now() - t;
      const timings = (JSON.parse(stdout) as { result: { timingsMs: { loadKey: number; witness: number; prove: number } } }).result.timingsMs;
      oneShots.push({ wallMs, loadKeyMs: timings.loadKey, witnessMs: timings.witness, proveMs: timings.prove });
      residents.push(await oneJob());
      log(`round ${r + 1}: zkinfer prove ${wallMs.toFixed(0)} ms wall (load key ${timings.loadKey}, prove ${timings.prove}); service job ${residents.at(-1)!.latencyMs} ms (prove ${residents.at(-1)!.prove})`);
    }

    const throughput: ServiceBenchResult["throughput"] = [];
    for (const workers of [1, 2]) {
      while (processes.length < workers) await addWorker();
      if (workers > 1) for (let i = 0; i < 4; i++) await oneJob(); // warm the new worker too (jobs go to either)
      const ids = await Promise.all(Array.from({ length: options.jobs }, () => client.requestProof({ model: vk.digest, input }).then((r) => r.id)));
      await Promise.all(ids.map((id) => client.waitForProof(id, { intervalMs: 50, maxIntervalMs: 200 })));
      const jobs = await Promise.all(ids.map(async (id) => (await queue.getJob(id.split(".")[1]))!));
      const first = Math.min(...jobs.map((j) => j.timestamp));
      const last = Math.max(...jobs.map((j) => j.finishedOn!));
      const latencies = jobs.map((j) => j.finishedOn! - j.timestamp);
      const row = { workers, jobs: options.jobs, proofsPerMinute: Math.round((options.jobs * 60_000 * 10) / (last - first)) / 10, latencyP50Ms: median(latencies), latencyMaxMs: Math.max(...latencies) };
      throughput.push(row);
      log(`${workers} worker(s): ${row.proofsPerMinute} proofs/min, latency p50 ${row.latencyP50Ms} ms, max ${row.latencyMaxMs} ms (${options.jobs} jobs at once)`);
    }
    return {
      model: dir,
      logRows: vk.logRows,
      oneShot: {
        wallMs: Math.round(median(oneShots.map((o) => o.wallMs))),
        loadKeyMs: median(oneShots.map((o) => o.loadKeyMs)),
        witnessMs: median(oneShots.map((o) => o.witnessMs)),
        proveMs: median(oneShots.map((o) => o.proveMs)),
      },
      resident: { latencyMs: median(residents.map((r) => r.latencyMs)), witnessMs: median(residents.map((r) => r.witness)), proveMs: median(residents.map((r) => r.prove)) },
      throughput,
    };
  } finally {
    for (const p of processes) p.signal("SIGTERM");
    await Promise.all(processes.map((p) => p.exited));
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  }
}

export function serviceTable(r: ServiceBenchResult): string {
  const lines = [
    `model ${r.model} (2^${r.logRows} rows), medians; the machine is shared, so compare within this run`,
    "",
    "| per proof | zkinfer prove (one process per proof) | service job (key resident) |",
    "|---|---|---|",
    `| wall / latency (ms) | ${r.oneShot.wallMs} | ${r.resident.latencyMs} |`,
    `| load key (ms) | ${r.oneShot.loadKeyMs} | 0 (loaded once) |`,
    `| witness (ms) | ${r.oneShot.witnessMs} | ${r.resident.witnessMs} |`,
    `| prove (ms) | ${r.oneShot.proveMs} | ${r.resident.proveMs} |`,
    "",
    "| workers | jobs at once | proofs/min | latency p50 (ms) | latency max (ms) |",
    "|---|---|---|---|---|",
    ...r.throughput.map((t) => `| ${t.workers} | ${t.jobs} | ${t.proofsPerMinute} | ${t.latencyP50Ms} | ${t.latencyMaxMs} |`),
  ];
  return lines.join("\n");
}
