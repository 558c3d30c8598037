// Checks a model directory's public circuit file against its vk.bin with an SRS (docs/protocol.md
// §3.12), for `zkinfer check-circuit` and `zkinfer audit --check … --srs`.
import { stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { checkPublicCircuit, decodePublicCircuit, decodeVerificationKey, KeyFileError, PublicCircuitError, srsSizeFor, type PublicCircuitCheck } from "../plonkish/index.js";
import { loadPtau, SrsError } from "../srs/index.js";
import { InputError } from "./errors.js";
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
  return [
    `circuit ${check.circuit} against ${check.vk} with ${check.srs}:`,
    ...check.checks.map((c) => `  ${c.ok ? "ok      " : "MISMATCH"} ${c.name}: ${c.detail}`),
    check.ok ? "the key's circuit is the published one, and it is well-formed" : "MISMATCH: the key's circuit is not shown to be the published one",
  ];
}
