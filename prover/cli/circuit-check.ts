// Checks a model directory's public circuit file against its vk.bin with an SRS (docs/protocol.md
// §3.12), for `zkinfer check-circuit`, and the circuit part of `zkinfer audit --check … --srs` and
// of the Hardhat audit task (the same options, lines and verdict).
import { stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { checkPublicCircuit, decodePublicCircuit, decodeVerificationKey, KeyFileError, PublicCircuitError, srsSizeFor, type PublicCircuitCheck } from "../plonkish/index.js";
import { checkPtauCovers, loadPtau, SrsError } from "../srs/index.js";
import { InputError, UsageError } from "./errors.js";
import { FILES, readInput } from "./model-dir.js";

export interface CircuitFilesCheck extends PublicCircuitCheck {
  circuit: string;
  vk: string;
  srs: string;
}

/** Where the circuit file and the key are: a model directory, or a circuit file with vk.bin beside it. */
export async function circuitFiles(target: string): Promise<{ circuit: string; vk: string }> {
  let isDir: boolean;
  try {
    isDir = (await stat(target)).isDirectory();
  } catch {
    throw new InputError(`${target} does not exist (give a model directory or its ${FILES.publicCircuit})`);
  }
  const dir = isDir ? target : dirname(target);
  return { circuit: isDir ? join(dir, FILES.publicCircuit) : target, vk: join(dir, FILES.vk) };
}

/** Decodes the files and checks them; bad input (missing, malformed, an SRS too small) is InputError. */
export async function checkCircuitFiles(target: string, srsPath: string): Promise<CircuitFilesCheck> {
  const files = await circuitFiles(target);
  const hint = " (`zkinfer setup` writes it next to vk.bin)";
  const circuitBytes = await readInput(files.circuit, "public circuit file", hint);
  const vkBytes = await readInput(files.vk, "verification key", hint);
  try {
    const { vk } = decodeVerificationKey(new Uint8Array(vkBytes.buffer, vkBytes.byteOffset, vkBytes.byteLength));
    // The key's table size is the directory's word, and bounds what is decompressed: first the SRS's
    // header must show it can check a key that large (vk.bin's k is itself at most the prover's
    // 2^26 rows), so a forged k cannot make a small file inflate past what the auditor's SRS covers.
    await checkPtauCovers(srsPath, srsSizeFor(vk.logRows), `that ${files.vk}'s table of 2^${vk.logRows} rows needs (${files.circuit} was not decompressed)`);
    // No table larger than the key's is decompressed (a gzip bomb stops at the size its header declares).
    const circuit = await decodePublicCircuit(new Uint8Array(circuitBytes.buffer, circuitBytes.byteOffset, circuitBytes.byteLength), { maxLogRows: vk.logRows });
    const srs = await loadPtau(srsPath, { size: srsSizeFor(vk.logRows) });
    return { ...(await checkPublicCircuit(circuit, vk, srs)), circuit: files.circuit, vk: files.vk, srs: srsPath };
  } catch (err) {
    if (err instanceof PublicCircuitError) throw new InputError(`${files.circuit}: ${err.message}`, { cause: err });
    if (err instanceof KeyFileError) throw new InputError(`${files.vk}: ${err.message}`, { cause: err });
    if (err instanceof SrsError) throw new InputError(err.message, { cause: err });
    throw err;
  }
}

/** One line per check: ok or MISMATCH, and what it found. */
export function circuitCheckLines(check: CircuitFilesCheck): string[] {
  const verdict = check.ok ? "the key's circuit is the published one, and it is well-formed" : "MISMATCH: the key's circuit is not shown to be the published one";
  return [`circuit ${check.circuit} against ${check.vk} with ${check.srs}:`, ...check.checks.map((c) => `  ${c.ok ? "ok      " : "MISMATCH"} ${c.name}: ${c.detail}`), verdict];
}

/** What an audit with `--check <dir>` (and `--srs <file.ptau>`) says of the key's circuit. */
export interface AuditCircuitSection {
  /** The check, when there was an SRS to make it with. */
  check: CircuitFilesCheck | undefined;
  /** Its report lines: the check's, or that the circuit was not checked. */
  lines: string[];
  /** The check was made and found a mismatch. */
  failed: boolean;
  /** Its part of the JSON report: `circuit` (null when not checked), absent without --check. */
  json: { circuit?: CircuitFilesCheck | null };
}

/**
 * The circuit part of `zkinfer audit` and the Hardhat audit task: with `--check <dir> --srs <file>`
 * the directory's public circuit is checked against its vk.bin; with `--check` alone the report says
 * it was not. `--srs` without `--check` is a UsageError; a bad file is an InputError.
 */
export async function auditCircuitSection(checkDir: string | undefined, srs: string | undefined): Promise<AuditCircuitSection> {
  if (srs !== undefined && checkDir === undefined) throw new UsageError("--srs is for --check <dir>: it checks the directory's public circuit");
  if (checkDir === undefined) return { check: undefined, lines: [], failed: false, json: {} };
  if (srs === undefined) {
    const lines = [`circuit: not checked (the verifier code was; pass --srs <file.ptau> to check ${checkDir}'s public-circuit.bin against its vk.bin)`];
    return { check: undefined, lines, failed: false, json: { circuit: null } };
  }
  const check = await checkCircuitFiles(resolve(checkDir), srs);
  return { check, lines: circuitCheckLines(check), failed: !check.ok, json: { circuit: check } };
}
