// BN254 constants and the shared ffjavascript WebAssembly engine.
import type { Bn128 } from "ffjavascript";

export { P, R } from "./constants.js";

/**
 * Whether MSMs and FFTs run on our own kernels (engine/wasm/, the default) or on ffjavascript's
 * (`ZKINFER_ENGINE=ffjavascript`, kept for comparison and tests). Read at every call.
 */
export function ownKernels(): boolean {
  const choice = typeof process === "undefined" ? undefined : process.env.ZKINFER_ENGINE;
  if (choice === undefined || choice === "" || choice === "zkinfer") return true;
  if (choice === "ffjavascript") return false;
  throw new Error(`ZKINFER_ENGINE=${choice}: expected "zkinfer" (the default) or "ffjavascript"`);
}

let engine: Promise<Bn128> | undefined;
let singleThreaded = false;
/**
 * How {@link getEngine} builds the engine: ffjavascript's buildBn128 unless {@link useEngineBuilder}
 * says otherwise. Imported on first use: ffjavascript's entry point loads the code generators of
 * every curve it knows (~0.15 s at start-up), which a process with another builder (the CLI's,
 * from a prebuilt module) never runs.
 */
let build: (singleThread: boolean) => Promise<Bn128> = async (singleThread) => (await import("ffjavascript")).buildBn128(singleThread);
/** Stop functions of thread pools that live as long as the engine (see {@link onEngineRelease}). */
const releaseHooks = new Set<() => Promise<void>>();

/**
 * The process-wide ffjavascript engine. It starts worker threads (unless
 * {@link useSingleThreadedEngine}), so callers that finish with it must call {@link releaseEngine}
 * or the process never exits.
 */
export function getEngine(): Promise<Bn128> {
  engine ??= build(singleThreaded);
  return engine;
}

/**
 * Makes {@link getEngine} build the engine with `builder`, which must build the engine
 * ffjavascript's buildBn128(singleThread) does: in Node, the prover's, from a module generated
 * ahead of time (prover/engine/prebuilt-bn128.ts). Call it before the first getEngine.
 */
export function useEngineBuilder(builder: (singleThread: boolean) => Promise<Bn128>): void {
  if (engine) throw new Error("useEngineBuilder: the engine is already built");
  build = builder;
}

/**
 * Makes {@link getEngine} build a single-threaded engine, which starts no worker threads: for code
 * that itself runs in a worker thread, where a pool of ffjavascript's own per worker would only
 * oversubscribe the cores, and for a process that leaves MSMs and FFTs to our kernels (the CLI),
 * where nothing posts work to that pool: everything else runs on the engine's main-thread instance
 * (Fr vectors, point conversions; a pairing check's Miller loops run there one after the other),
 * and the pool would only cost its start-up. Call it before the first getEngine.
 */
export function useSingleThreadedEngine(): void {
  if (engine && !singleThreaded) throw new Error("useSingleThreadedEngine: the threaded engine is already built");
  singleThreaded = true;
}

/**
 * `workerData` for a worker thread of ours that loads the engine. ffjavascript's `web-worker`
 * (1.2.0) takes any worker thread for one it started and, when imported there, runs the script
 * named by `workerData.mod` (and throws if there is none): this names an empty one. It also turns
 * the thread's global into a WorkerGlobalScope; nothing of ours depends on the global.
 */
export const ENGINE_WORKER_DATA: Readonly<{ mod: string; name: string }> = { mod: "data:text/javascript,", name: "zkinfer" };

/**
 * Registers `stop` to be awaited by the next {@link releaseEngine}: for thread pools of our own
 * that, like the engine's, are kept across calls and must stop for the process to exit.
 */
export function onEngineRelease(stop: () => Promise<void>): void {
  releaseHooks.add(stop);
}

/** Calls of {@link withEngine} in flight, and whether the first of them started the engine. */
let leases = 0;
let leaseStarted = false;

/**
 * Runs `work` (which uses the engine) and, when the engine did not exist before and no other such
 * call is still running, releases it afterwards: for one-off users, such as the SDK's off-chain
 * verification, whose process must exit on its own. An engine built before (by a prover, say) is
 * left running for its owner to release.
 */
export async function withEngine<T>(work: () => Promise<T>): Promise<T> {
  if (leases === 0) leaseStarted = engine === undefined;
  leases++;
  try {
    return await work();
  } finally {
    if (--leases === 0 && leaseStarted) {
      leaseStarted = false;
      await releaseEngine();
    }
  }
}

/** Stops the engine's worker threads (and registered pools). A later {@link getEngine} starts a fresh engine. */
export async function releaseEngine(): Promise<void> {
  const current = engine;
  engine = undefined;
  const hooks = [...releaseHooks];
  releaseHooks.clear();
  await Promise.all(hooks.map((stop) => stop()));
  if (current) await (await current).terminate();
}
