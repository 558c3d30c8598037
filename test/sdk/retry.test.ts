import { expect } from "chai";
import { makeError } from "ethers";
import { HttpRequestError, InvalidInputRpcError, RpcRequestError, TimeoutError, TransactionExecutionError, type Hex } from "viem";
import { RpcError } from "../../sdk/errors.js";
import { broadcastFailure, isTransient, withRetry } from "../../sdk/internal/retry.js";

const URL = "http://127.0.0.1:8545";
// Calldata with the digits of HTTP statuses and rate limits in it, as any address or proof may hold.
const CALLDATA: Hex = `0x1234${"503".repeat(6)}429${"502".repeat(4)}504${"00".repeat(20)}`;
const body = { method: "eth_sendRawTransaction", params: [CALLDATA] };

describe("sdk retries: transient failures by type and code, never by the message's data", () => {
  it("does not take a node's refusal for a transient failure because its calldata holds 503", () => {
    const refused = new RpcRequestError({ body, error: { code: -32602, message: `invalid argument 0: ${CALLDATA}` }, url: URL });
    expect(isTransient(refused)).to.equal(false);
    expect(isTransient(new InvalidInputRpcError(refused))).to.equal(false);
    expect(isTransient(new HttpRequestError({ body, status: 400, url: URL, details: `bad request ${CALLDATA}` }))).to.equal(false);
    expect(isTransient(makeError(`invalid transaction ${CALLDATA} (network)`, "INVALID_ARGUMENT", { argument: "tx", value: CALLDATA }))).to.equal(false);
    expect(isTransient(new Error(`nonce too low: ${CALLDATA} timeout`))).to.equal(false);
  });

  it("takes timeouts, dropped sockets, 5xx and rate limits for transient, from viem and ethers alike", () => {
    expect(isTransient(new TimeoutError({ body, url: URL }))).to.equal(true);
    expect(isTransient(new HttpRequestError({ body, url: URL, cause: Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }) }))).to.equal(true);
    expect(isTransient(new HttpRequestError({ body, status: 503, url: URL }))).to.equal(true);
    expect(isTransient(new RpcRequestError({ body, error: { code: -32005, message: "limit exceeded" }, url: URL }))).to.equal(true);
    const wrapped = new TransactionExecutionError(new TimeoutError({ body, url: URL }) as never, { data: CALLDATA, to: `0x${"50".repeat(20)}` } as never);
    expect(isTransient(wrapped)).to.equal(true);
    expect(isTransient(makeError("request timeout", "TIMEOUT", { operation: "eth_blockNumber", reason: "timeout" }))).to.equal(true);
    expect(isTransient(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }))).to.equal(true);
  });

  it("retries a transient failure and gives up at once on another", async () => {
    let calls = 0;
    const flaky = (): Promise<number> => (++calls < 3 ? Promise.reject(new TimeoutError({ body, url: URL })) : Promise.resolve(7));
    expect(await withRetry("eth_call", flaky, { attempts: 3, delayMs: 1 })).to.equal(7);
    calls = 0;
    const refused = (): Promise<number> => {
      calls++;
      return Promise.reject(new RpcRequestError({ body, error: { code: -32602, message: "invalid argument" }, url: URL }));
    };
    const err = await withRetry("eth_call", refused, { attempts: 3, delayMs: 1 }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(RpcError);
    expect(calls).to.equal(1);
  });
});

describe("sdk sends: whether a failed broadcast reached the node", () => {
  it("says not broadcast when the node answered with an error or no connection was made", () => {
    expect(broadcastFailure(new RpcRequestError({ body, error: { code: -32000, message: "nonce too low" }, url: URL }))).to.equal("no");
    expect(broadcastFailure(new InvalidInputRpcError(new Error("nonce too high")))).to.equal("no");
    expect(broadcastFailure(new HttpRequestError({ body, url: URL, cause: Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }) }))).to.equal("no");
    expect(broadcastFailure(makeError("nonce has already been used", "NONCE_EXPIRED", { transaction: {} as never }))).to.equal("no");
  });

  it("says unknown after a timeout or a connection dropped mid-request, from viem and ethers alike", () => {
    expect(broadcastFailure(new TimeoutError({ body, url: URL }))).to.equal("unknown");
    expect(broadcastFailure(new HttpRequestError({ body, url: URL, cause: Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }) }))).to.equal("unknown");
    expect(broadcastFailure(new HttpRequestError({ body, status: 502, url: URL }))).to.equal("unknown");
    expect(broadcastFailure(makeError("request timeout", "TIMEOUT", { operation: "eth_sendRawTransaction", reason: "timeout" }))).to.equal("unknown");
  });
});
