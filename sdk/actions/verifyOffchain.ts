// Checks a proof against a verification key in TypeScript, without the chain (the same checks as
// `zkinfer verify`): false for a proof that does not verify or whose bytes do not decode. Needs no
// client; the client's method is a shortcut. Releases the engine it started, so a process exits.
import { hexToBytes } from "viem";
import { withEngine } from "../../verifier/engine/bn254.js";
import { decodeVerificationKey, KeyFileError, ProofFormatError, verify, type VerificationKey } from "../../verifier/plonkish/index.js";
import { InvalidArgumentError } from "../errors.js";
import { normalizeProof, type ProofInput } from "../proof-input.js";

export interface VerifyOffchainParameters {
  proof: ProofInput;
  /** A decoded key, or vk.bin's bytes. */
  vk: VerificationKey | Uint8Array;
}

export type VerifyOffchainReturnType = boolean;

export async function verifyOffchain({ proof, vk }: VerifyOffchainParameters): Promise<VerifyOffchainReturnType> {
  let key: VerificationKey;
  if (vk instanceof Uint8Array) {
    try {
      key = decodeVerificationKey(vk).vk;
    } catch (err) {
      if (err instanceof KeyFileError) throw new InvalidArgumentError(`malformed verification key: ${err.message}`, { cause: err });
      throw err;
    }
  } else {
    key = vk;
  }
  const { proof: bytes, publicInputs } = normalizeProof(proof);
  if (publicInputs.length !== key.publicInputCount) return false;
  try {
    // The engine's worker threads stop when done (unless someone else started it), so the process can exit.
    return await withEngine(() => verify(key, hexToBytes(bytes), publicInputs));
  } catch (err) {
    // Bytes that do not decode as a proof are an invalid proof, not a usage error.
    if (err instanceof ProofFormatError) return false;
    throw err;
  }
}
