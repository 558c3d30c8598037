// zkinfer serve: the proving service's HTTP API on a BullMQ queue (service/, docs/service.md).
import type { Command } from "../command.js";
import { EXIT, UsageError } from "../errors.js";
import { artifactsOption, asInputErrors, countOption, secondsOption, serviceOptions } from "./service-common.js";

export const serveCommand: Command = {
  path: ["serve"],
  summary: "run the proving service: HTTP API, queue, and in-process workers",
  args: "",
  positionals: { min: 0, max: 0 },
  options: {
    ...serviceOptions,
    port: { type: "string", valueName: "<port>", description: "HTTP port (default 8080; 0 picks a free one)" },
    host: { type: "string", valueName: "<host>", description: "address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)" },
    redis: { type: "string", valueName: "<url>", description: "a Redis 7 (redis://host:port) shared with workers; default: a private redis-server on loopback" },
    workers: { type: "string", valueName: "<n>", description: "jobs proved at once in this process (default 1; 0 for an API-only node)" },
    "api-keys": { type: "string", valueName: "<file>", description: "require Authorization: Bearer <key> on /v1: one SHA-256 hex of a key per line (`zkinfer keys new`)" },
  },
  description:
    "POST /v1/proofs queues a proof, GET /v1/proofs/<id> returns its state and, once done, the proof file; GET /v1/models,\n" +
    "/healthz, /metrics (Prometheus), /v1/openapi.json. Workers on other machines join with `zkinfer worker --redis <url>`.\n" +
    "Runs until SIGTERM or SIGINT; then it stops taking requests and lets in-process jobs finish.",
  async run({ values, progress }) {
    const artifacts = artifactsOption(values);
    const rawPort = values.port as string | undefined;
    const port = rawPort === undefined ? 8080 : Number(rawPort);
    if (!/^\d+$/.test(rawPort ?? "0") || port > 65535) throw new UsageError(`--port must be a port number, got "${rawPort}"`);
    const workers = countOption(values, "workers", 1);
    const lockMs = secondsOption(values, "lock-seconds");
    const retention = secondsOption(values, "retention");
    const { startService } = await import("../../../service/serve.js");
    const { readApiKeyFile } = await import("../../../service/api-keys.js");
    const { untilStopSignal } = await import("../../../service/lifecycle.js");
    const keysFile = values["api-keys"] as string | undefined;
    const service = await asInputErrors(async () =>
      startService({
        artifacts,
        port,
        host: values.host as string | undefined,
        redisUrl: values.redis as string | undefined,
        workers,
        apiKeyHashes: keysFile === undefined ? undefined : await readApiKeyFile(keysFile),
        lockMs,
        retentionSeconds: retention === undefined ? undefined : retention / 1000,
        log: progress,
      }),
    );
    progress(`listening on ${service.url} (redis ${service.redisUrl}${keysFile ? ", API keys required" : ", no API keys: /v1 is open"})`);
    const signal = await untilStopSignal(() => process.exit(EXIT.internal));
    progress(`${signal}: stopping`);
    await service.close();
    return { exitCode: EXIT.ok, json: { url: service.url, redis: service.redisUrl, stoppedBy: signal }, text: `stopped (${signal})` };
  },
};
