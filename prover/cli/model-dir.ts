// A model directory and its files, for setup, prove and verify:
//   model.json    a compiled ONNX model's manifest (with model.onnx and graph.bin, the IR graph setup and
//                 prove read; see prover/compiler/manifest.ts)
//   circuit.json  the manifest (built-in circuits: {"builtin": name, "params": {…}}); private for
//                 built-ins, whose params hold the weight seed
//   pk.bin        proving key (private: holds the weights)
//   vk.bin        verification key, canonical bytes (public, authoritative)
//   vk.json       readable view of vk.bin plus where the outputs sit among the public inputs
//   public-circuit.bin  the fixed columns, k, ℓ and the public-input layout, no weights (public:
//                 `zkinfer check-circuit` recomputes vk.bin's fixed commitments from it)
// Files are written to a temporary file in the same directory and renamed, so a reader never
// sees a half-written file.
import { randomBytes } from "node:crypto";
import { constants, statSync } from "node:fs";
import { access, mkdir, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { getEngine } from "../../verifier/engine/bn254.js";
import { CircuitParamError, getBuiltinCircuit, type BuiltCircuit, type BuiltinCircuit, type CircuitManifest, type CircuitParams } from "../circuits/index.js";
import {
  CircuitError,
  decodeProvingKey,
  decodeVerificationKey,
  KeyConsistencyError,
  KeyFileError,
  PK_CHECKSUM_BYTES,
  PK_HEADER_PEEK_BYTES,
  provingKeyLogRows,
  sameRuns,
  startProverThreads,
  type DecodeProvingKeyOptions,
  type ProvingKey,
  type VerificationKey,
} from "../plonkish/index.js";
import { compiledCircuit } from "../compiler/circuit.js";
import { readCompiledModel } from "../compiler/compile.js";
import { CompileError } from "../compiler/errors.js";
import { MANIFEST_FILE } from "../compiler/manifest.js";
import { IrError } from "../ir/errors.js";
import { OnnxError } from "../onnx/errors.js";
import { InputError } from "./errors.js";
import { KeyReadError, readKey } from "./key-read.js";

export const FILES = { manifest: "circuit.json", pk: "pk.bin", vk: "vk.bin", vkJson: "vk.json", publicCircuit: "public-circuit.bin" } as const;

export function modelPath(dir: string, file: keyof typeof FILES): string {
  return join(dir, FILES[file]);
}

/** Writes `data` to `path` through a temporary file in the same directory and a rename. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await writeChunksAtomic(path, [typeof data === "string" ? Buffer.from(data, "utf8") : data]);
}

/**
 * Writes `chunks`, in order, to `path` through a temporary file in the same directory and a rename,
 * one chunk at a time (a multi-GiB key is never whole in memory). If writing or producing a chunk
 * fails, the temporary file is removed and `path` is untouched. Returns the bytes written.
 */
export async function writeChunksAtomic(path: string, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<number> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let bytes = 0;
  try {
    const file = await open(tmp, "wx");
    try {
      for await (const chunk of chunks) {
        // A file handle writes at most 2 GiB per call; columns are far below that.
        for (let o = 0; o < chunk.length; ) o += (await file.write(chunk, o, Math.min(chunk.length - o, 1 << 30))).bytesWritten;
        bytes += chunk.length;
      }
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    if (err instanceof CircuitError) throw err;
    throw new InputError(`cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
  return bytes;
}

/**
 * Throws InputError unless a file can be written at `path` (its directory exists and is writable,
 * and `path` is not a directory): checked before slow work, so a bad --out fails at once.
 */
export async function requireWritableFile(path: string, option: string): Promise<void> {
  const dir = dirname(path);
  const fail = (why: string): never => {
    throw new InputError(`${option} ${path}: ${why}`);
  };
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) fail("is a directory; give a file name");
  const parent = await stat(dir).catch(() => undefined);
  if (!parent) fail(`its directory ${dir} does not exist`);
  if (!parent!.isDirectory()) fail(`${dir} is not a directory`);
  try {
    await access(dir, constants.W_OK);
    if (info) await access(path, constants.W_OK);
  } catch {
    fail(`cannot be written (no write permission${info ? "" : ` in ${dir}`})`);
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Throws InputError unless `dir` is an existing directory. */
export async function requireDir(dir: string, hint = ""): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch {
    throw new InputError(`model directory ${dir} does not exist${hint}`);
  }
  if (!isDir) throw new InputError(`${dir} is not a directory`);
}

export async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new InputError(`cannot create directory ${dir}: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads a file; a missing or unreadable file is an InputError with `hint` appended. */
export async function readInput(path: string, what: string, hint = ""): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw inputReadError(err, path, what, hint);
  }
}

/** Bytes per read of a proving key: each is hashed while libuv's threads read the next. */
export const KEY_READ_CHUNK = 4 << 20;

function inputReadError(err: unknown, path: string, what: string, hint: string): InputError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a directory" : `cannot be read (${(err as Error).message})`;
  return new InputError(`${what} ${path} ${why}${hint}`, { cause: err });
}

export async function readJson(path: string, what: string, hint = ""): Promise<unknown> {
  const text = (await readInput(path, what, hint)).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${what} ${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export interface LoadedManifest {
  manifest: CircuitManifest;
  circuit: BuiltinCircuit;
  params: CircuitParams;
}

/** The circuit laid out without an input (the table setup makes keys for); one that cannot be laid out is an InputError. */
export function layOutCircuit({ circuit, params }: LoadedManifest): BuiltCircuit {
  try {
    return circuit.build(params);
  } catch (err) {
    if (err instanceof CircuitParamError || err instanceof CircuitError) throw new InputError(`${circuit.name}: ${err.message}`, { cause: err });
    throw err;
  }
}

/** Validates a manifest's shape and parameters (errors name `source`). */
export function checkManifest(json: unknown, source: string, options: { fresh?: boolean } = {}): LoadedManifest {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new InputError(`${source} must be a JSON object`);
  const m = json as Record<string, unknown>;
  for (const key of Object.keys(m)) {
    if (key !== "builtin" && key !== "params") throw new InputError(`${source} has an unknown field "${key}" (expected "builtin" and "params")`);
  }
  if (typeof m.builtin !== "string") throw new InputError(`${source} must name a built-in circuit in "builtin"`);
  const rawParams = m.params ?? {};
  if (typeof rawParams !== "object" || rawParams === null || Array.isArray(rawParams)) throw new InputError(`${source}: "params" must be an object`);
  try {
    const circuit = getBuiltinCircuit(m.builtin);
    const params = circuit.normalizeParams(rawParams as Record<string, unknown>, options);
    return { manifest: { builtin: circuit.name, params }, circuit, params };
  } catch (err) {
    if (err instanceof CircuitParamError) throw new InputError(`${source}: ${err.message}`, { cause: err });
    throw err;
  }
}

/** A directory written by `zkinfer compile` (model.json), as a circuit; undefined when there is none. */
export async function loadCompiledManifest(dir: string): Promise<LoadedManifest | undefined> {
  if (!(await exists(join(dir, MANIFEST_FILE)))) return undefined;
  try {
    const circuit = compiledCircuit(await readCompiledModel(dir));
    return { manifest: { builtin: circuit.name, params: {} }, circuit, params: {} };
  } catch (err) {
    if (err instanceof CompileError || err instanceof OnnxError || err instanceof IrError) throw new InputError(err.message, { cause: err });
    throw err;
  }
}

export async function loadManifest(dir: string): Promise<LoadedManifest> {
  const compiled = await loadCompiledManifest(dir);
  if (compiled) return compiled;
  const path = modelPath(dir, "manifest");
  return checkManifest(await readJson(path, "circuit manifest", " (run `zkinfer setup` with --circuit first)"), path);
}

export async function loadVerificationKey(dir: string): Promise<{ vk: VerificationKey; digest: Uint8Array; path: string }> {
  const path = modelPath(dir, "vk");
  const bytes = await readInput(path, "verification key", " (run `zkinfer setup` first)");
  try {
    return { ...decodeVerificationKey(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)), path };
  } catch (err) {
    if (err instanceof KeyFileError) throw new InputError(`${path}: ${err.message}`, { cause: err });
    throw err;
  }
}

export interface LoadProvingKeyOptions extends DecodeProvingKeyOptions {
  /** Bytes per read (tests: small chunks). */
  chunkBytes?: number;
  /** Smallest file read on a thread of its own (default KEY_READ_OFF_THREAD_BYTES; tests: 0). */
  offThreadFrom?: number;
}

/** A proving key being loaded (see {@link startLoadingProvingKey}). */
export interface LoadingProvingKey {
  key: Promise<ProvingKey>;
  /** Stops the read when the key is no longer wanted (the caller failed first), so that it does not hold the process open. */
  cancel(): void;
}

/**
 * Starts loading <dir>/pk.bin with the digest checks, or with `checks: "full"` the full ones (see
 * decodeProvingKey): the file is read and hashed chunk by chunk (key-read.ts), a large one on a
 * worker thread, so that this thread is free meanwhile (it builds the engine that decoding and
 * proving use, and `zkinfer prove` the witness); decoding, with every check, runs here once the
 * bytes are read. A file that cannot be read or decoded is an InputError; parts that do not fit
 * together throw KeyConsistencyError, for `check-key` to report as a failed check.
 */
export function startLoadingProvingKey(dir: string, options: LoadProvingKeyOptions = {}): LoadingProvingKey {
  const path = modelPath(dir, "pk");
  const { chunkBytes, offThreadFrom, ...decodeOptions } = options;
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    // Reading it reports what is wrong.
  }
  const read = readKey({ path, chunkBytes: chunkBytes ?? KEY_READ_CHUNK, checksumBytes: PK_CHECKSUM_BYTES }, size, offThreadFrom);
  const engine = getEngine();
  engine.catch(() => undefined);
  const key = (async () => {
    let bytes: Uint8Array;
    let bodySha256: Uint8Array | undefined;
    try {
      ({ bytes, bodySha256 } = await read.result);
    } catch (err) {
      // A file system error is the path's problem (exit 2); anything else (memory, a bug) is not.
      if (err instanceof KeyReadError && err.code !== undefined) throw inputReadError(err, path, "proving key", " (run `zkinfer setup` first)");
      throw err;
    }
    await engine;
    try {
      // Without a digest (the file changed size while it was read), decoding hashes the bytes itself.
      return await decodeProvingKey(bytes, { ...decodeOptions, ...(bodySha256 ? { bodySha256 } : {}) });
    } catch (err) {
      if (err instanceof KeyFileError && !(err instanceof KeyConsistencyError)) throw new InputError(`${path}: ${err.message}`, { cause: err });
      throw err;
    }
  })();
  // Until the caller awaits it, a failed load must not be an unhandled rejection.
  key.catch(() => undefined);
  return { key, cancel: read.cancel };
}

/** Loads <dir>/pk.bin: {@link startLoadingProvingKey}, awaited. */
export function loadProvingKey(dir: string, options: LoadProvingKeyOptions = {}): Promise<ProvingKey> {
  return startLoadingProvingKey(dir, options).key;
}

/**
 * Starts the worker threads that proving with <dir>/pk.bin will use (see startProverThreads),
 * from the row count in its header, so they start up while the caller reads the manifest, the
 * input and the key. Does nothing when the file is missing or not a key of this version (loading
 * it reports that).
 */
export async function startProverThreadsFor(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(modelPath(dir, "pk"), "r");
    const head = new Uint8Array(PK_HEADER_PEEK_BYTES);
    await handle.read(head, 0, head.length, 0);
    const logRows = provingKeyLogRows(head);
    if (logRows !== undefined) startProverThreads(logRows);
  } catch {
    // loadProvingKey reports an unreadable key.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Whether `table` (the circuit laid out from the manifest now) is the one the proving key was made for. */
export function sameTable(pk: ProvingKey, table: ProvingKey["table"]): boolean {
  const t = pk.table;
  return (
    t.logRows === table.logRows &&
    t.publicInputCount === table.publicInputCount &&
    t.fixed.length === table.fixed.length &&
    t.fixed.every((col, i) => bytesEqual(col, table.fixed[i])) &&
    t.weights.length === table.weights.length &&
    t.weights.every((col, i) => bytesEqual(col, table.weights[i])) &&
    sameRuns(t.runs, table.runs)
  );
}

export const hex = (b: Uint8Array): `0x${string}` => `0x${Buffer.from(b).toString("hex")}`;

/** Milliseconds since `start` (performance.now()), rounded. */
export function since(start: number): number {
  return Math.round(performance.now() - start);
}
