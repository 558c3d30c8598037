// The service's pieces that need no Redis: API key files, Redis URLs, job ids and states, the
// Prometheus text, and the prover client's errors and backoff against a scripted fetch.
import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { authorized, hashApiKey, newApiKey, readApiKeyFile } from "../../service/api-keys.js";
import { ServiceSetupError } from "../../service/errors.js";
import { parsePublicJobId, proofState, publicJobId, redisConnection } from "../../service/jobs.js";
import { ServiceMetrics } from "../../service/metrics.js";
import { createProverClient, ProofJobFailedError, ProofJobNotFoundError, ProofTimeoutError, ProverServiceError, ProverUnreachableError } from "../../sdk/prover-client.js";

describe("service: units", () => {
  let tmp: string;
  before(async () => void (tmp = await mkdtemp(join(tmpdir(), "zkinfer-service-units-"))));
  after(async () => rm(tmp, { recursive: true, force: true }));

  it("API keys: the file holds SHA-256 hex lines; a key is accepted only as a Bearer token whose hash is listed", async () => {
    const { key, line } = newApiKey();
    expect(line).to.equal(createHash("sha256").update(key).digest("hex")).and.equal(hashApiKey(key));
    expect(newApiKey().key).to.not.equal(key);
    const file = join(tmp, "keys.txt");
    await writeFile(file, `# comment\n\n${line}\n`);
    const hashes = await readApiKeyFile(file);
    expect(authorized(`Bearer ${key}`, hashes)).to.equal(true);
    expect(authorized(`bearer ${key}`, hashes)).to.equal(true);
    expect(authorized(`Bearer ${key}x`, hashes)).to.equal(false);
    expect(authorized(`Bearer ${line}`, hashes), "the hash itself is not a key").to.equal(false);
    expect(authorized(key, hashes)).to.equal(false);
    expect(authorized(undefined, hashes)).to.equal(false);
    await writeFile(file, `${key}\n`);
    await readApiKeyFile(file).then(
      () => expect.fail("a plain key line was accepted"),
      (err: Error) => expect(err).to.be.instanceOf(ServiceSetupError).with.property("message").that.matches(/keys.txt:1: expected the lowercase hex SHA-256/),
    );
    await writeFile(file, "# nothing\n");
    await readApiKeyFile(file).then(
      () => expect.fail("an empty key file was accepted"),
      (err: Error) => expect(err.message).to.match(/holds no key hash/),
    );
  });

  it("Redis URLs: host, port, credentials, database, TLS; anything else is refused", () => {
    expect(redisConnection("redis://127.0.0.1:6390")).to.deep.include({ host: "127.0.0.1", port: 6390, db: 0, maxRetriesPerRequest: null });
    expect(redisConnection("rediss://user:p%40ss@cache.example:6380/3")).to.deep.include({ host: "cache.example", port: 6380, username: "user", password: "p@ss", db: 3, tls: {} });
    expect(() => redisConnection("http://127.0.0.1:6379")).to.throw(ServiceSetupError, /redis:\/\/ or rediss:\/\//);
    expect(() => redisConnection("127.0.0.1:6379")).to.throw(ServiceSetupError);
    expect(() => redisConnection("redis://h:1/x")).to.throw(ServiceSetupError, /database must be a number/);
  });

  it("job ids and states", () => {
    const digest = `0x${"ab".repeat(32)}`;
    const id = publicJobId(digest, "123e4567-e89b-12d3-a456-426614174000");
    expect(id).to.equal("abababababababab.123e4567-e89b-12d3-a456-426614174000");
    expect(parsePublicJobId(id)).to.deep.equal({ tag: "abababababababab", jobId: "123e4567-e89b-12d3-a456-426614174000" });
    for (const bad of ["abababababababab", "ababab.x", "abababababababab.a:b", `ABABABABABABABAB.x`, "abababababababab."]) expect(parsePublicJobId(bad), bad).to.equal(undefined);
    expect(["waiting", "delayed", "prioritized", "active", "completed", "failed", "unknown"].map(proofState)).to.deep.equal(["queued", "queued", "queued", "active", "completed", "failed", undefined]);
  });

  it("metrics: Prometheus text with queue depths, counters, rate and a cumulative histogram", () => {
    const m = new ServiceMetrics();
    const result = (ms: number) => ({ proof: { version: 1, proof: "0x" as const, publicInputs: [], outputs: [] }, worker: "w", timingsMs: { witness: 1, prove: ms } });
    const now = 1_000_000;
    m.completedJob("tiny", result(300), now - 120_000); // outside the rate window
    m.completedJob("tiny", result(800), now - 1000);
    m.completedJob("tiny", result(7000), now - 500);
    m.failedJob("tiny");
    const text = m.render([{ model: "tiny", counts: { waiting: 2, active: 1 } }], now);
    expect(text).to.include('zkinfer_queue_jobs{model="tiny",state="waiting"} 2\n');
    expect(text).to.include('zkinfer_proofs_completed_total{model="tiny"} 3\n');
    expect(text).to.include('zkinfer_proofs_failed_total{model="tiny"} 1\n');
    expect(text).to.include(`zkinfer_proofs_per_second ${(2 / 60).toFixed(4)}\n`);
    expect(text).to.include('zkinfer_prove_seconds_bucket{model="tiny",le="0.25"} 0\n');
    expect(text).to.include('zkinfer_prove_seconds_bucket{model="tiny",le="0.5"} 1\n');
    expect(text).to.include('zkinfer_prove_seconds_bucket{model="tiny",le="1"} 2\n');
    expect(text).to.include('zkinfer_prove_seconds_bucket{model="tiny",le="5"} 2\n');
    expect(text).to.include('zkinfer_prove_seconds_bucket{model="tiny",le="10"} 3\n');
    expect(text).to.include('zkinfer_prove_seconds_bucket{model="tiny",le="+Inf"} 3\n');
    expect(text).to.include('zkinfer_prove_seconds_sum{model="tiny"} 8.100\n');
    expect(text).to.include('zkinfer_prove_seconds_count{model="tiny"} 3\n');
    expect(text).to.match(/# TYPE zkinfer_prove_seconds histogram/);
  });

  it("prover client: typed errors by status, polling with backoff until completed or failed, timeout", async () => {
    const calls: { url: string; init?: RequestInit }[] = [];
    const script: (() => Response)[] = [];
    const fetchStub = (async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      const next = script.shift();
      if (!next) throw new TypeError("connection refused");
      return next();
    }) as typeof fetch;
    const json = (status: number, body: unknown) => () => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    const client = createProverClient({ url: "http://svc:1/", apiKey: "k1", fetch: fetchStub });

    script.push(json(202, { id: "a.b" }));
    expect(await client.requestProof({ model: "m", input: { input_data: [[1]] }, idempotencyKey: "x" })).to.deep.equal({ id: "a.b" });
    expect(calls[0].url).to.equal("http://svc:1/v1/proofs");
    expect(calls[0].init?.headers).to.deep.include({ authorization: "Bearer k1", "content-type": "application/json" });
    expect(JSON.parse(calls[0].init?.body as string)).to.deep.equal({ model: "m", input: { input_data: [[1]] }, idempotencyKey: "x" });

    script.push(json(404, { error: "no proof job a.b" }));
    await client.getProof("a.b").then(
      () => expect.fail("404 accepted"),
      (err) => expect(err).to.be.instanceOf(ProofJobNotFoundError).with.property("message", "no proof job a.b"),
    );
    script.push(() => new Response("oops", { status: 503 }));
    await client.getProof("a.b").then(
      () => expect.fail("503 accepted"),
      (err) => expect(err).to.be.instanceOf(ProverServiceError).with.property("status", 503),
    );
    await client.getProof("a.b").then(
      () => expect.fail("no answer accepted"),
      (err) => expect(err).to.be.instanceOf(ProverUnreachableError),
    );

    const proof = { version: 1, proof: "0x00", publicInputs: [], outputs: [] };
    script.push(json(200, { id: "a.b", model: "m", state: "queued", progress: 0 }), json(200, { id: "a.b", model: "m", state: "active", progress: 40 }), json(200, { id: "a.b", model: "m", state: "completed", progress: 100, proof }));
    const seen: number[] = [];
    const started = Date.now();
    const done = await client.waitForProof("a.b", { intervalMs: 20, maxIntervalMs: 40, onProgress: (j) => seen.push(j.progress) });
    expect(done.proof).to.deep.equal(proof);
    expect(seen).to.deep.equal([0, 40, 100]);
    expect(Date.now() - started).to.be.at.least(55); // 20 ms, then 40 ms

    script.push(json(200, { id: "a.b", model: "m", state: "failed", progress: 10, error: "bad input: x" }));
    await client.waitForProof("a.b").then(
      () => expect.fail("a failed job was returned"),
      (err) => expect(err).to.be.instanceOf(ProofJobFailedError).with.property("reason", "bad input: x"),
    );
    for (let i = 0; i < 20; i++) script.push(json(200, { id: "a.b", model: "m", state: "active", progress: 50 }));
    await client.waitForProof("a.b", { timeoutMs: 60, intervalMs: 10 }).then(
      () => expect.fail("no timeout"),
      (err) => expect(err).to.be.instanceOf(ProofTimeoutError).with.property("lastState", "active"),
    );
  });
});
