// Retries of idempotent RPC requests (reads, logs, receipts) on transient transport failures;
// after the last attempt the failure surfaces as RpcError. Reverts are answers, never retried.
import { RpcError, ZkinferError } from "../errors.js";
import { isRevert, RevertedCall } from "./backend.js";

export interface RetryOptions {
  /** Attempts in all, first included (default 3). */
  attempts?: number;
  /** Delay before the first retry, doubled for each next one (default 250 ms). */
  delayMs?: number;
}

const TRANSIENT = /timeout|timed out|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EAI_AGAIN|socket hang up|fetch failed|network|rate limit|429|502|503|504/i;

export function isTransient(err: unknown): boolean {
  if (err instanceof RevertedCall || isRevert(err)) return false;
  for (let e = err as { message?: unknown; code?: unknown; status?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 10; e = e.cause as typeof e, depth++) {
    if (e.code === "NETWORK_ERROR" || e.code === "TIMEOUT" || e.code === "SERVER_ERROR") return true;
    if (typeof e.status === "number" && (e.status === 429 || e.status >= 500)) return true;
    if (typeof e.message === "string" && TRANSIENT.test(e.message)) return true;
  }
  return false;
}

/** Runs `request`, retrying transient failures; reverts pass through, other failures become RpcError. */
export async function withRetry<T>(operation: string, request: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 3);
  let delay = options.delayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (err) {
      if (err instanceof RevertedCall || err instanceof ZkinferError) throw err;
      if (!isTransient(err)) throw new RpcError(attempt, operation, { cause: err });
      if (attempt >= attempts) throw new RpcError(attempt, operation, { cause: err });
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }
}
