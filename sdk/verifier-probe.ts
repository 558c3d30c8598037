// Before the SDK deploys or registers a verifier it makes the contract decide a proof nobody made:
// random but well-formed bytes (the right length and header, points on the curve, scalars below
// r) with random public inputs, and a copy one byte short. An honest verifier answers false to the
// first and reverts (or answers false) on the second. A contract that answers true accepts
// forgeries (AcceptingVerifierError); one that answers neither a revert nor a boolean is not a
// zkinfer verifier (NotAZkinferVerifierError). A verifier can still behave differently on other
// proofs: only comparing its code with the generated one (`zkinfer audit --check`) settles that.
import { bn254 } from "@noble/curves/bn254.js";
import { decodeFunctionResult, encodeFunctionData, type Address, type Hex } from "viem";
import { zkinferVerifierAbi } from "./abi/zkinfer-verifier.js";
import { AcceptingVerifierError, NotAZkinferVerifierError } from "./errors.js";
import { RevertedCall } from "./internal/backend.js";
import type { ZkinferClientBase } from "./internal/client.js";
import { R } from "../verifier/engine/constants.js";
import { NUM_EVALUATIONS } from "../verifier/plonkish/layout.js";
import { PROOF_BYTES, PROOF_COMMITMENTS, PROOF_MAGIC } from "../verifier/plonkish/proof.js";
import { OPENING_WITNESSES } from "../verifier/plonkish/schedule.js";

const word = (v: bigint): string => v.toString(16).padStart(64, "0");

function randomScalar(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(48));
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v % R;
}

function randomPoint(): string {
  const p = bn254.G1.Point.BASE.multiply(randomScalar() || 1n).toAffine();
  return word(p.x) + word(p.y);
}

/** A proof in the format of docs/protocol.md §5.6 whose every element is random. */
export function randomWellFormedProof(): Hex {
  const parts = [Array.from(PROOF_MAGIC, (b) => b.toString(16).padStart(2, "0")).join("")];
  for (let i = 0; i < PROOF_COMMITMENTS; i++) parts.push(randomPoint());
  for (let i = 0; i < NUM_EVALUATIONS; i++) parts.push(word(randomScalar()));
  for (let i = 0; i < OPENING_WITNESSES; i++) parts.push(randomPoint());
  const hex = parts.join("");
  if (hex.length !== PROOF_BYTES * 2) throw new Error(`random proof has ${hex.length / 2} bytes, not ${PROOF_BYTES}`);
  return `0x${hex}`;
}

/** The verifier's answer to verifyProof: true, false, "reverted", or "no answer" (not a boolean). */
async function decide(client: ZkinferClientBase, verifier: Address, proof: Hex, publicInputs: bigint[]): Promise<boolean | "reverted" | "no answer"> {
  const data = encodeFunctionData({ abi: zkinferVerifierAbi, functionName: "verifyProof", args: [proof, publicInputs] });
  let answer: Hex;
  try {
    answer = await client.backend.call({ to: verifier, data });
  } catch (err) {
    if (err instanceof RevertedCall) return "reverted";
    throw err;
  }
  if (answer.length !== 66 || !/^0x0{63}[01]$/.test(answer)) return "no answer";
  return decodeFunctionResult({ abi: zkinferVerifierAbi, functionName: "verifyProof", data: answer });
}

/** Refuses a verifier that accepts a random proof, or that is no zkinfer verifier at all. */
export async function probeVerifier(client: ZkinferClientBase, verifier: Address): Promise<void> {
  let answer: Hex;
  try {
    answer = await client.backend.call({ to: verifier, data: encodeFunctionData({ abi: zkinferVerifierAbi, functionName: "PUBLIC_INPUT_COUNT" }) });
  } catch (err) {
    if (!(err instanceof RevertedCall)) throw err;
    answer = "0x";
  }
  if (!/^0x[0-9a-fA-F]{64}$/.test(answer)) throw new NotAZkinferVerifierError(verifier, (await client.backend.getCode(verifier)) !== "0x");
  const count = BigInt(answer);
  // More public inputs than calldata could carry: not a count a verifier reports.
  if (count > 1n << 20n) throw new NotAZkinferVerifierError(verifier, true);
  const publicInputs = Array.from({ length: Number(count) }, randomScalar);
  const proof = randomWellFormedProof();
  const wellFormed = await decide(client, verifier, proof, publicInputs);
  if (wellFormed === true) throw new AcceptingVerifierError(verifier, "a random well-formed proof");
  if (wellFormed === "no answer") throw new NotAZkinferVerifierError(verifier, true);
  if ((await decide(client, verifier, proof.slice(0, -2) as Hex, publicInputs)) === true) throw new AcceptingVerifierError(verifier, "a truncated proof");
}
