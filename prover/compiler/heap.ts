// The compiler's check of Node's heap limit. A model too large for the JavaScript heap made V8 abort
// ("Ineffective mark-compacts near heap limit", no exit code a script can act on) after minutes of
// lowering; compile looks at the heap every 2^14 circuit rows instead and stops with a CompileError
// that says how to raise the limit. The heap in use counts garbage too, so when it looks full a full
// collection is run first: only live data over the share stops compile (a model that fits never does).
import { totalmem } from "node:os";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { CompileError } from "./errors.js";

/** The share of the heap limit in use at which compile stops rather than risk V8's abort. */
export const HEAP_SHARE = 0.85;

/**
 * Heap a node's lowering holds per weight (constant element) of the node while it runs, on top of
 * the circuit: measured 110 MB for the 524,288 weights of a generator's first ConvTranspose (the
 * conv block's weight and coefficient arrays), rounded up.
 */
export const HEAP_PER_WEIGHT = 256;

export interface HeapStatistics {
  used_heap_size: number;
  heap_size_limit: number;
}

const MiB = 2 ** 20;

let gc: (() => void) | undefined;

/** A full garbage collection (Node exposes gc() to contexts made after the flag is set). */
export function collectGarbage(): void {
  if (!gc) {
    v8.setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
}

export interface HeapCheck {
  /** Bytes the next step is expected to hold on top of what is in use (0). */
  need?: number;
  /** The next step, for the message. */
  what?: string;
  stats?: () => HeapStatistics;
  collect?: () => void;
}

/**
 * Throws a CompileError when, after a full collection, the heap in use plus `need` is more than
 * HEAP_SHARE of Node's heap limit (`rows` circuit rows laid out so far); `stats` and `collect` are
 * for tests.
 */
export function checkHeap(rows: number, { need = 0, what, stats = v8.getHeapStatistics, collect = collectGarbage }: HeapCheck = {}): void {
  const before = stats();
  if (before.used_heap_size + need < HEAP_SHARE * before.heap_size_limit) return;
  collect();
  const { used_heap_size: used, heap_size_limit: limit } = stats();
  if (used + need < HEAP_SHARE * limit) return;
  const limitMiB = Math.round(limit / MiB);
  const machineMiB = Math.floor(totalmem() / MiB);
  const suggested = Math.min(Math.max(2 * limitMiB, Math.ceil((2 * (used + need)) / MiB)), machineMiB);
  const next = need > 0 ? `, ${what ?? "the next step"} needs about ${Math.round(need / MiB)} MiB more` : "";
  throw new CompileError(
    `compile needs more JavaScript heap than Node's limit of ${limitMiB} MiB (${Math.round(used / MiB)} MiB in use after ${rows} circuit rows${next}). ` +
      `Run it again with a larger limit, e.g. NODE_OPTIONS=--max-old-space-size=${suggested} zkinfer compile … ` +
      `(this machine has ${machineMiB} MiB; docs/compiler.md, "Memory")`,
  );
}
