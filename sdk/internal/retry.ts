// Retries of idempotent RPC requests (reads, logs, receipts) on transient transport failures;
// after the last attempt the failure surfaces as RpcError. Reverts are answers, never retried.
// Failures are classified by their type and code (viem's error classes, ethers' codes, Node's
// socket codes, HTTP status, JSON-RPC error code), never by searching a message: viem's messages
// quote the request body, whose hex calldata can hold any digits ("503" inside an address).
import { RpcError, ZkinferError } from "../errors.js";
import { isRevert, RevertedCall } from "./backend.js";

export interface RetryOptions {
  /** Attempts in all, first included (default 3). */
  attempts?: number;
  /** Delay before the first retry, doubled for each next one (default 250 ms). */
  delayMs?: number;
}

/** viem's transport failures: the request got no JSON-RPC answer (timeout, socket closed, fetch failed). */
const VIEM_TRANSPORT_ERRORS = new Set(["TimeoutError", "SocketClosedError", "WebSocketRequestError"]);
/** ethers' codes for a request that got no usable answer. */
const ETHERS_TRANSPORT_CODES = new Set(["TIMEOUT", "NETWORK_ERROR", "SERVER_ERROR"]);
/** Node's and undici's socket error codes. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);
/** JSON-RPC error codes that mean "try again later": limit exceeded, rate limits, an internal error. */
const TRANSIENT_RPC_CODES = new Set([-32005, -32007, -32603, 429]);
const TRANSIENT_HTTP_STATUS = (status: number): boolean => status === 408 || status === 429 || status >= 500;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  status?: unknown;
  cause?: unknown;
  error?: unknown;
  info?: { error?: unknown };
}

/** The error and its causes (viem nests them in `cause`, ethers in `error` and `info.error` as well). */
export function* errorChain(err: unknown): Generator<ErrorLike> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0 && seen.size < 20) {
    const e = queue.shift();
    if (e === null || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    yield e as ErrorLike;
    queue.push((e as ErrorLike).cause, (e as ErrorLike).error, (e as ErrorLike).info?.error);
  }
}

export function isTransient(err: unknown): boolean {
  if (err instanceof RevertedCall || isRevert(err)) return false;
  for (const e of errorChain(err)) {
    if (typeof e.name === "string" && VIEM_TRANSPORT_ERRORS.has(e.name)) return true;
    // viem's HttpRequestError: without a status the request never got a response.
    if (e.name === "HttpRequestError") return typeof e.status !== "number" || TRANSIENT_HTTP_STATUS(e.status);
    if (typeof e.code === "string" && (ETHERS_TRANSPORT_CODES.has(e.code) || SOCKET_CODES.has(e.code))) return true;
    if (typeof e.code === "number" && TRANSIENT_RPC_CODES.has(e.code)) return true;
    if (typeof e.status === "number" && TRANSIENT_HTTP_STATUS(e.status)) return true;
  }
  return false;
}

/** Socket codes of a connection that was never made: a request that failed so reached no node. */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);
/** ethers' codes for a node's refusal of a transaction. */
const ETHERS_REFUSALS = new Set(["NONCE_EXPIRED", "INSUFFICIENT_FUNDS", "REPLACEMENT_UNDERPRICED", "CALL_EXCEPTION", "UNKNOWN_ERROR", "ACTION_REJECTED", "UNSUPPORTED_OPERATION"]);

/**
 * Whether a failed broadcast request reached no node ("no": the connection was refused, or the node
 * answered with a JSON-RPC error, so it did not take the transaction) or may have ("unknown": a
 * timeout or a dropped connection after the request went out).
 */
export function broadcastFailure(err: unknown): "no" | "unknown" {
  for (const e of errorChain(err)) {
    // A JSON-RPC error object (viem's RpcError classes, an EIP-1193 provider's error, ethers' `error`);
    // -1 is viem's UnknownRpcError, a wrapper of something that was not an answer.
    if (typeof e.code === "number" && e.code !== -1) return "no";
    if (e.name === "RpcRequestError") return "no";
    if (typeof e.code === "string" && (NEVER_CONNECTED.has(e.code) || ETHERS_REFUSALS.has(e.code))) return "no";
  }
  return "unknown";
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
