// A client of the proving service (`zkinfer serve`, docs/service.md): queue a proof, read its
// state, wait for it. Browser-safe: the global fetch only, nothing from Node or the prover.
import { ZkinferError } from "./errors.js";

export interface CreateProverClientParameters {
  /** The service's base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>` when the service runs with --api-keys. */
  apiKey?: string;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/** The proof file the service returns: the same JSON as `zkinfer prove` writes. */
export interface ServiceProofFile {
  version: number;
  proof: `0x${string}`;
  publicInputs: string[];
  outputs: number[];
}

export type ProofJobState = "queued" | "active" | "completed" | "failed";

export interface ProofJob {
  id: string;
  model: string;
  state: ProofJobState;
  /** 0–100. */
  progress: number;
  proof?: ServiceProofFile;
  error?: string;
}

export interface RequestProofParameters {
  /** The model's id (its artifacts directory's base name) or its verification-key digest. */
  model: string;
  /** EZKL's layout: {"input_data": [[…]]}. */
  input: { input_data: unknown[] };
  /** A repeated request with the same key names the same job (a retry never proves twice). */
  idempotencyKey?: string;
}

export interface RequestProofReturnType {
  id: string;
}

export interface WaitForProofParameters {
  /** Give up after this long (default 10 minutes). */
  timeoutMs?: number;
  /** First polling interval (default 250 ms); it doubles up to maxIntervalMs. */
  intervalMs?: number;
  maxIntervalMs?: number;
  signal?: AbortSignal;
  onProgress?: (job: ProofJob) => void;
}

export interface ServiceModel {
  id: string;
  digest: string;
  circuit: string;
  input: string;
  logRows: number;
  publicInputCount: number;
  insecure: boolean;
}

export interface ProverClient {
  url: string;
  requestProof(parameters: RequestProofParameters): Promise<RequestProofReturnType>;
  getProof(id: string): Promise<ProofJob>;
  /** Polls with backoff until the job completes; throws ProofJobFailedError or ProofTimeoutError. */
  waitForProof(id: string, parameters?: WaitForProofParameters): Promise<ProofJob & { state: "completed"; proof: ServiceProofFile }>;
  listModels(): Promise<ServiceModel[]>;
}

/** The service answered with an error status (the message is the service's). */
export class ProverServiceError extends ZkinferError {
  override name = "ProverServiceError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** 401: no API key, or one the service does not accept. */
export class ProverAuthError extends ProverServiceError {
  override name = "ProverAuthError";
}

/** 400: unknown model, wrong input shape, value out of range (no job was made). */
export class ProofRequestError extends ProverServiceError {
  override name = "ProofRequestError";
}

/** 404: no such job (never made, or its result outlived the service's retention). */
export class ProofJobNotFoundError extends ProverServiceError {
  override name = "ProofJobNotFoundError";
}

/** The service could not be reached at all. */
export class ProverUnreachableError extends ZkinferError {
  override name = "ProverUnreachableError";
}

export class ProofJobFailedError extends ZkinferError {
  override name = "ProofJobFailedError";
  constructor(
    readonly id: string,
    readonly reason: string,
  ) {
    super(`proof job ${id} failed: ${reason}`);
  }
}

export class ProofTimeoutError extends ZkinferError {
  override name = "ProofTimeoutError";
  constructor(
    readonly id: string,
    readonly lastState: ProofJobState,
    timeoutMs: number,
  ) {
    super(`proof job ${id} was still ${lastState} after ${timeoutMs} ms`);
  }
}

export function createProverClient(parameters: CreateProverClientParameters): ProverClient {
  const base = parameters.url.replace(/\/+$/, "");
  const doFetch = parameters.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const headers: Record<string, string> = parameters.apiKey === undefined ? {} : { authorization: `Bearer ${parameters.apiKey}` };

  async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new ProverUnreachableError(`cannot reach the proving service at ${base}: ${(err as Error).message}`, { cause: err });
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (response.ok) return json as T;
    const message = typeof (json as { error?: unknown })?.error === "string" ? (json as { error: string }).error : `HTTP ${response.status} from ${method} ${path}`;
    if (response.status === 401) throw new ProverAuthError(401, message);
    if (response.status === 400 || response.status === 409) throw new ProofRequestError(response.status, message);
    if (response.status === 404) throw new ProofJobNotFoundError(404, message);
    throw new ProverServiceError(response.status, message);
  }

  const getProof = (id: string) => call<ProofJob>("GET", `/v1/proofs/${encodeURIComponent(id)}`);

  return {
    url: base,
    requestProof: ({ model, input, idempotencyKey }) => call<RequestProofReturnType>("POST", "/v1/proofs", { model, input, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) }),
    getProof,
    listModels: async () => (await call<{ models: ServiceModel[] }>("GET", "/v1/models")).models,
    async waitForProof(id, options = {}) {
      const timeoutMs = options.timeoutMs ?? 600_000;
      const maxInterval = options.maxIntervalMs ?? 5_000;
      let interval = options.intervalMs ?? 250;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        options.signal?.throwIfAborted();
        const job = await getProof(id);
        options.onProgress?.(job);
        if (job.state === "completed" && job.proof) return job as ProofJob & { state: "completed"; proof: ServiceProofFile };
        if (job.state === "failed") throw new ProofJobFailedError(id, job.error ?? "no reason given");
        const left = deadline - Date.now();
        if (left <= 0) throw new ProofTimeoutError(id, job.state, timeoutMs);
        await sleep(Math.min(interval, left), options.signal);
        interval = Math.min(interval * 2, maxInterval);
      }
    },
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
  });
}
