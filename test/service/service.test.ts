// End to end, as an operator runs it: `zkinfer serve` with its private redis-server and no
// in-process worker, two `zkinfer worker` processes, six proofs requested over HTTP through the
// SDK's prover client, one worker killed with SIGKILL while it holds a job, and every proof
// checked with `zkinfer verify`. Also: API keys (401), bad requests (400 and no job), idempotency,
// the exit 2 without redis-server, graceful SIGTERM.
import { expect } from "chai";
import { createHash } from "node:crypto";
import { connect } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { zk } from "../helpers/cli.js";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { R } from "../../verifier/engine/constants.js";
import { createProverClient, ProofRequestError, ProverAuthError, type ProverClient } from "../../sdk/prover-client.js";
import { QUEUE_PREFIX, queueName, redisConnection, type ProofJobResult } from "../../service/jobs.js";
import { hasRedisServer } from "../../service/redis-server.js";
import { startZkinfer, type ZkProcess } from "../../scripts/zkinfer-process.js";

const INPUTS = [
  [1, -2, 7, -8],
  [0, 0, 0, 0],
  [3, 3, -3, 5],
  [-8, 7, -8, 7],
  [2, -1, 0, 4],
  [-5, 6, 1, -7],
];

describe("service: zkinfer serve + zkinfer worker on BullMQ and Redis (end to end)", function () {
  this.timeout(240_000);
  let tmp: string;
  let model: string;
  let keysFile: string;
  let apiKey: string;
  let digest: string;
  let serve: ZkProcess | undefined;
  const workers: ZkProcess[] = [];
  let url: string;
  let redisUrl: string;
  let queue: Queue<unknown, ProofJobResult> | undefined;
  let client: ProverClient;

  before(async function () {
    expect(hasRedisServer(), "redis-server is not installed: `apt-get install -y redis-server` (.ci/run does it)").to.equal(true);
    tmp = await mkdtemp(join(tmpdir(), "zkinfer-service-"));
    model = join(tmp, "tiny");
    const setup = await zk("setup", model, "--dev-srs", "--circuit", "matvec", "--param", "m=3", "--param", "k=4", "--param", "bits=4", "--json", "--quiet");
    expect(setup.code, setup.stderr).to.equal(0);
    digest = JSON.parse(setup.stdout).result.digest;
    const keys = await zk("keys", "new", "--json");
    expect(keys.code, keys.stderr).to.equal(0);
    const { key, line } = JSON.parse(keys.stdout).result as { key: string; line: string };
    expect(line).to.equal(createHash("sha256").update(key).digest("hex"));
    apiKey = key;
    keysFile = join(tmp, "keys.txt");
    await writeFile(keysFile, `# service keys\n${line}\n`);
  });

  after(async () => {
    for (const p of [...workers, ...(serve ? [serve] : [])]) p.signal("SIGKILL");
    await Promise.all([...workers, ...(serve ? [serve] : [])].map((p) => p.exited));
    await queue?.close();
    await releaseEngine();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("serve without redis-server on PATH exits 2 and says how to install it", async () => {
    const path = process.env.PATH;
    process.env.PATH = join(tmp, "empty-bin");
    try {
      const run = await zk("serve", "--artifacts", model, "--port", "0");
      expect(run.code).to.equal(2);
      expect(run.stderr).to.match(/redis-server was not found/).and.match(/apt-get install -y redis-server/);
    } finally {
      process.env.PATH = path;
    }
  });

  it("serve (private redis-server, no worker) answers /healthz, and /v1 only with an API key", async () => {
    serve = startZkinfer(["serve", "--artifacts", model, "--workers", "0", "--port", "0", "--api-keys", keysFile]);
    const [, listening, redis] = await serve.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+) \(redis (redis:\/\/127\.0\.0\.1:\d+)/, 90_000);
    url = listening;
    redisUrl = redis;
    queue = new Queue(queueName(digest), { connection: redisConnection(redisUrl), prefix: QUEUE_PREFIX });
    client = createProverClient({ url, apiKey });

    expect((await fetch(`${url}/healthz`)).status).to.equal(200);
    const noKey = await fetch(`${url}/v1/proofs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "tiny", input: { input_data: [INPUTS[0]] } }) });
    expect(noKey.status).to.equal(401);
    expect((await fetch(`${url}/v1/models`, { headers: { authorization: "Bearer zk_not-a-key" } })).status).to.equal(401);
    let error: unknown;
    await createProverClient({ url }).listModels().catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(ProverAuthError);

    const models = await client.listModels();
    expect(models).to.have.length(1);
    expect(models[0]).to.deep.include({ id: "tiny", digest, circuit: "matvec", insecure: true });
    const openapi = (await (await fetch(`${url}/v1/openapi.json`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as { openapi: string; paths: object };
    expect(openapi.openapi).to.equal("3.1.0");
    expect(openapi.paths).to.have.keys("/v1/proofs", "/v1/proofs/{id}", "/v1/models", "/v1/openapi.json", "/healthz", "/metrics");
    expect(await jobCount()).to.equal(0);
  });

  it("a malformed or out-of-range request gets 400 with the reason, and makes no job", async () => {
    const cases: [unknown, RegExp][] = [
      [{ model: "tiny", input: { input_data: [[1, 2, 3]] } }, /input_data\[0\] has 3 values; matvec \(k=4, P=1\) takes 4 integers/],
      [{ model: "tiny", input: { input_data: [[1, 2, 3, 9]] } }, /input_data\[0\]\[3\] = 9 is outside the input range \[-8, 7\]/],
      [{ model: "tiny", input: { input_data: [[1, 2, 3, 0.5]] } }, /is not an integer/],
      [{ model: "nope", input: { input_data: [INPUTS[0]] } }, /unknown model "nope"/],
      [{ model: "tiny", input: { input_data: "x" } }, /invalid request: body\/input\/input_data must be array/],
      [{ model: "tiny" }, /must have required property 'input'/],
      [{ model: "tiny", input: { input_data: [INPUTS[0]] }, extra: 1 }, /must NOT have additional properties/],
    ];
    for (const [body, reason] of cases) {
      const res = await fetch(`${url}/v1/proofs`, { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(((await res.json()) as { error: string }).error).to.match(reason);
    }
    const notJson = await fetch(`${url}/v1/proofs`, { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: "{" });
    expect(notJson.status).to.equal(400);
    let error: unknown;
    await client.requestProof({ model: "tiny", input: { input_data: [[1, 2]] } }).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(ProofRequestError);
    expect(await jobCount()).to.equal(0);
  });

  it("six jobs, two workers, one killed with SIGKILL while it holds a job: all six complete and verify", async () => {
    const ids: string[] = [];
    for (const [i, x] of INPUTS.entries()) {
      // Half by the directory's name, half by the VK digest; the first with an idempotency key.
      const { id } = await client.requestProof({ model: i % 2 ? digest : "tiny", input: { input_data: [x] }, ...(i === 0 ? { idempotencyKey: "order-0" } : {}) });
      ids.push(id);
    }
    expect(new Set(ids).size).to.equal(6);
    expect((await client.requestProof({ model: "tiny", input: { input_data: [INPUTS[0]] }, idempotencyKey: "order-0" })).id).to.equal(ids[0]);
    let conflict: unknown;
    await client.requestProof({ model: "tiny", input: { input_data: [INPUTS[1]] }, idempotencyKey: "order-0" }).catch((err: unknown) => (conflict = err));
    expect(conflict).to.be.instanceOf(ProofRequestError).with.property("status", 409);
    expect(await jobCount()).to.equal(6);
    expect((await client.getProof(ids[0])).state).to.equal("queued");

    for (let i = 0; i < 2; i++) workers.push(startZkinfer(["worker", "--redis", redisUrl, "--artifacts", model, "--lock-seconds", "3"]));
    // Kill whichever worker starts a job first, right then (its first proof also warms its engine up: a second or more).
    const firstStart = Promise.race(workers.map((w, i) => w.waitFor(/job (\S+) started/, 90_000).then((m) => ({ i, job: m[1] }))));
    const ready = Promise.all(workers.map((w) => w.waitFor(/worker (\S+) ready/, 90_000)));
    const started = await firstStart;
    workers[started.i].signal("SIGKILL");
    const workerIds = (await ready).map((m) => m[1]);
    expect(await workers[started.i].exited).to.equal("SIGKILL");
    const survivor = 1 - started.i;

    const done = await Promise.all(ids.map((id) => client.waitForProof(id, { timeoutMs: 120_000, intervalMs: 200, maxIntervalMs: 1000 })));
    // The killed worker's job was proved again by the survivor: no job lost.
    expect(ids).to.include(started.job);
    const recovered = await queue!.getJob(started.job.split(".")[1]);
    expect(recovered!.returnvalue.worker, "the job held by the killed worker was finished by it before the kill (the test raced)").to.equal(workerIds[survivor]);
    expect(workers[survivor].stderr()).to.include(`job ${started.job} completed`);

    for (const [i, job] of done.entries()) {
      expect(job.state).to.equal("completed");
      expect(job.progress).to.equal(100);
      // The proof is of the requested input: the circuit's public inputs start with it.
      expect(job.proof.publicInputs.slice(0, 4).map(BigInt)).to.deep.equal(INPUTS[i].map((v) => (v < 0 ? R + BigInt(v) : BigInt(v))));
      const proofPath = join(tmp, `proof-${i}.json`);
      await writeFile(proofPath, JSON.stringify(job.proof));
      const verify = await zk("verify", model, proofPath, "--quiet");
      expect(verify.code, verify.stderr + verify.stdout).to.equal(0);
    }

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).to.match(/^zkinfer_queue_jobs\{model="tiny",state="completed"\} 6$/m);
    expect(metrics).to.match(/^zkinfer_proofs_completed_total\{model="tiny"\} [1-6]$/m);
    expect(metrics).to.match(/^zkinfer_prove_seconds_count\{model="tiny"\} [1-6]$/m);
  });

  it("SIGTERM stops a worker after its current job (exit 0), then serve, and serve's private redis-server with it", async () => {
    const survivor = workers.find((w) => w.child.exitCode === null && w.child.signalCode === null)!;
    // Four jobs back to back, so that the worker holds one when the signal comes, whenever it lands.
    const ids = await Promise.all([2, 3, 4, 5].map(async (i) => (await client.requestProof({ model: "tiny", input: { input_data: [INPUTS[i]] } })).id));
    await survivor.waitFor(new RegExp(`job ${ids[0].replace(".", "\\.")} started`));
    survivor.signal("SIGTERM");
    expect(await survivor.exited).to.equal(0);
    const log = survivor.stderr();
    const signalAt = log.indexOf("SIGTERM: finishing the current job");
    expect(signalAt, log).to.be.greaterThan(-1);
    const states = await Promise.all(ids.map(async (id) => (await client.getProof(id)).state));
    for (const [i, id] of ids.entries()) {
      const startedAt = log.indexOf(`job ${id} started`);
      if (startedAt === -1) {
        expect(states[i], `${id} was never taken`).to.equal("queued"); // left for another worker
        continue;
      }
      // Every job it took, it finished.
      expect(states[i], id).to.equal("completed");
      expect(log.indexOf(`job ${id} completed`), log).to.be.greaterThan(startedAt);
    }
    // It held a job when the signal came (BullMQ hands the next job over as the last one completes)
    // and finished it before exiting; then it took no more.
    expect(log.slice(signalAt), log).to.match(/job \S+ completed/);
    expect(states, log).to.include("queued");
    const port = Number(new URL(redisUrl).port);
    await queue!.close();
    queue = undefined;
    serve!.signal("SIGTERM");
    expect(await serve!.exited).to.equal(0);
    expect(await accepts(port), "the private redis-server still listens after serve stopped").to.equal(false);
  });

  async function jobCount(): Promise<number> {
    const counts = await queue!.getJobCounts("waiting", "prioritized", "delayed", "active", "completed", "failed");
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }
});

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
