// What a submission takes as a proof: a zkinfer proof file (as written by `zkinfer prove`) or the
// proof bytes with their public inputs. The file's shape is checked before anything is sent.
import { bytesToHex, type Hex } from "viem";
import { R } from "../verifier/engine/constants.js";
import { parseProofFile, PROOF_BYTES, ProofFileError, ProofFormatError, type ProofFile } from "../verifier/plonkish/index.js";
import { InvalidArgumentError } from "./errors.js";
import { checkArray, checkHexBytes } from "./internal/validate.js";

export type ProofInput = ProofFile | { proof: Hex | Uint8Array; publicInputs: readonly (bigint | string)[] };

export interface NormalizedProof {
  proof: Hex;
  publicInputs: bigint[];
}

const INTEGER = /^(0x[0-9a-fA-F]+|[0-9]+)$/;

/**
 * Proof bytes and public inputs of `input`; a proof file is checked as strictly as `zkinfer verify`
 * does, proof bytes and public inputs given apart for their shape (PROOF_BYTES bytes, scalars below r).
 */
export function normalizeProof(input: ProofInput, what = "proof"): NormalizedProof {
  if (typeof input !== "object" || input === null) throw new InvalidArgumentError(`${what} must be a proof file or { proof, publicInputs }, got ${String(input)}`);
  if ("version" in input) {
    try {
      const parsed = parseProofFile(input);
      return { proof: bytesToHex(parsed.proof), publicInputs: parsed.publicInputs };
    } catch (err) {
      if (err instanceof ProofFileError) throw new InvalidArgumentError(`malformed proof file: ${err.message}`, { cause: err });
      // A well-formed file whose proof bytes do not decode holds an invalid proof: the verifier
      // says so (InvalidProofError), as `zkinfer verify` does with exit 1.
      if (err instanceof ProofFormatError) return { proof: input.proof, publicInputs: input.publicInputs.map(BigInt) };
      throw err;
    }
  }
  const proof = checkHexBytes(`${what}.proof`, input.proof instanceof Uint8Array ? bytesToHex(input.proof) : input.proof);
  if ((proof.length - 2) / 2 !== PROOF_BYTES) throw new InvalidArgumentError(`${what}.proof has ${(proof.length - 2) / 2} bytes; zkinfer proofs have exactly ${PROOF_BYTES}`);
  const publicInputs = checkArray(`${what}.publicInputs`, input.publicInputs).map((x, i) => {
    if (!(typeof x === "bigint" || (typeof x === "string" && INTEGER.test(x)))) throw new InvalidArgumentError(`${what}: public input ${i} (${String(x)}) is not an integer (a bigint, or a decimal or 0x-hex string)`);
    const v = BigInt(x);
    if (v < 0n || v >= R) throw new InvalidArgumentError(`${what}: public input ${i} is not a BN254 scalar (0 ≤ x < r)`);
    return v;
  });
  return { proof, publicInputs };
}
