// What a submission takes as a proof: a zkinfer proof file (as written by `zkinfer prove`) or the
// proof bytes with their public inputs. The file's shape is checked before anything is sent.
import { bytesToHex, isHex, type Hex } from "viem";
import { R } from "../prover/engine/bn254.js";
import { parseProofFile, ProofFileError, ProofFormatError, type ProofFile } from "../prover/plonkish/index.js";
import { InvalidArgumentError } from "./errors.js";

export type ProofInput = ProofFile | { proof: Hex | Uint8Array; publicInputs: readonly (bigint | string)[] };

export interface NormalizedProof {
  proof: Hex;
  publicInputs: bigint[];
}

/** Proof bytes and public inputs of `input`; a proof file is checked as strictly as `zkinfer verify` does. */
export function normalizeProof(input: ProofInput): NormalizedProof {
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
  const proof = input.proof instanceof Uint8Array ? bytesToHex(input.proof) : input.proof;
  if (!isHex(proof, { strict: true }) || proof.length % 2 !== 0) throw new InvalidArgumentError("proof must be bytes or a 0x-prefixed hex string of whole bytes");
  const publicInputs = input.publicInputs.map((x, i) => {
    let v: bigint;
    try {
      v = BigInt(x);
    } catch {
      throw new InvalidArgumentError(`public input ${i} (${String(x)}) is not an integer`);
    }
    if (v < 0n || v >= R) throw new InvalidArgumentError(`public input ${i} is not a BN254 scalar (0 ≤ x < r)`);
    return v;
  });
  return { proof, publicInputs };
}
