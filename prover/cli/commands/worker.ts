// zkinfer worker: a proving worker on the service's Redis, on this or any machine (docs/service.md).
import type { Command } from "../command.js";
import { EXIT, UsageError } from "../errors.js";
import { artifactsOption, asInputErrors, countOption, secondsOption, serviceOptions } from "./service-common.js";

export const workerCommand: Command = {
  path: ["worker"],
  summary: "prove the service's queued jobs with resident proving keys",
  args: "",
  positionals: { min: 0, max: 0 },
  options: {
    ...serviceOptions,
    redis: { type: "string", valueName: "<url>", description: "the Redis the service uses (redis://host:port); `zkinfer serve` prints it" },
    concurrency: { type: "string", valueName: "<n>", description: "jobs proved at once per model (default 1)" },
  },
  description:
    "Loads each model's proving key once and keeps it, then proves jobs from that model's queue, reporting progress and\n" +
    "storing the proof file in Redis. SIGTERM or SIGINT: take no new job, finish the current one, exit; a second signal\n" +
    "exits at once (the job goes back to the queue when its lock runs out, as when a worker is killed).",
  async run({ values, progress }) {
    const redisUrl = values.redis as string | undefined;
    if (redisUrl === undefined) throw new UsageError("worker needs --redis <url> (the Redis of `zkinfer serve`)");
    const artifacts = artifactsOption(values);
    const concurrency = countOption(values, "concurrency", 1);
    if (concurrency < 1) throw new UsageError("--concurrency must be at least 1");
    const lockMs = secondsOption(values, "lock-seconds");
    const retention = secondsOption(values, "retention");
    const { loadResidentModel } = await import("../../../service/models.js");
    const { startProvingWorkers } = await import("../../../service/worker.js");
    const { untilStopSignal } = await import("../../../service/lifecycle.js");
    const { ModelCatalog } = await import("../../../service/models.js");
    const workers = await asInputErrors(async () => {
      const catalog = await ModelCatalog.load(artifacts); // same names as serve: duplicates are refused
      const loading = Date.now();
      const models = await Promise.all(catalog.models.map((m) => loadResidentModel(m.dir)));
      progress(`loaded ${models.length} proving key(s) in ${Date.now() - loading} ms: ${models.map((m) => `${m.id} (${m.digest.slice(0, 18)}…)`).join(", ")}`);
      return startProvingWorkers({ redisUrl, models, concurrency, lockMs, retentionSeconds: retention === undefined ? undefined : retention / 1000, log: progress });
    });
    progress(`worker ${workers.id} ready on ${redisUrl}`);
    let forced = false;
    const signal = await untilStopSignal(() => {
      forced = true;
      void workers.close(true).then(() => process.exit(EXIT.ok));
    });
    progress(`${signal}: finishing the current job, then stopping (send it again to stop now)`);
    await workers.close(forced);
    return { exitCode: EXIT.ok, json: { worker: workers.id, stoppedBy: signal }, text: `worker ${workers.id} stopped (${signal})` };
  },
};
