// Proofs for contracts/test/PairingTestVerifier.sol: A = tau*B + h*G with h = keccak256(public
// inputs) mod r. Tests know tau, so they can prove any public inputs, and an altered input or
// proof fails the verifier's pairing check.
import { bn254 } from "@noble/curves/bn254.js";
import { encodeAbiParameters, type Hex } from "viem";
import { R } from "../../verifier/engine/bn254.js";
import { hashWords } from "../../sdk/records.js";

export interface PairingTestKey {
  tau: bigint;
  /** [tau]_2 as the verifier's constructor takes it: (x.c1, x.c0, y.c1, y.c0). */
  tauG2: readonly [bigint, bigint, bigint, bigint];
}

export function pairingTestKey(tau: bigint): PairingTestKey {
  const t = bn254.G2.Point.BASE.multiply(tau).toAffine();
  return { tau, tauG2: [t.x.c1, t.x.c0, t.y.c1, t.y.c0] };
}

let counter = 1n;

/** A valid proof of `publicInputs` under `key` (fresh randomness each call). */
export function pairingTestProof(key: PairingTestKey, publicInputs: readonly bigint[]): Hex {
  const h = BigInt(hashWords(publicInputs)) % R;
  const s = (BigInt(hashWords([counter++, key.tau])) % (R - 1n)) + 1n;
  const b = bn254.G1.Point.BASE.multiply(s).toAffine();
  const a = bn254.G1.Point.BASE.multiply((((key.tau * s + h) % R) + R) % R).toAffine();
  return encodeAbiParameters([{ type: "uint256[2]" }, { type: "uint256[2]" }], [[a.x, a.y], [b.x, b.y]]);
}
