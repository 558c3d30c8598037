// The PLONKish verifier stage: verification keys (vk.bin) and proofs decoded and checked, the
// public-input layout they bind, and the verifier itself. Browser-safe: the prover builds on it
// (prover/plonkish/), and zkinfer/sdk verifies off-chain with it.
export { ChallengeRetryError, CircuitError, ProofFileError, ProofFormatError, UnsatisfiedError } from "./errors.js";
export { accumulateProof, reduceProof, batchChallenge, verify, verifyBatch, BATCH_PROTOCOL, type ProofReduction } from "./verifier.js";
export { decodeProof, encodeProof, parseProofFile, toProofFile, PROOF_BYTES, PROOF_VERSION, type Proof, type ProofFile } from "./proof.js";
export * as layout from "./layout.js";
export { MIN_LOG_ROWS, rowCount } from "./layout.js";
export {
  circuitDescription,
  circuitDescriptionDigest,
  checkPublicInputLayout,
  encodePublicInputLayout,
  plainPublicInputLayout,
  publicInputLayoutDigest,
  CIRCUIT_DIGEST,
  type PublicInputLayout,
  type PublicInputRange,
  type PublicInputRole,
  type PublicInputVisibility,
} from "./description.js";
export {
  decodeVerificationKey,
  encodeVerificationKey,
  verificationKeyDigest,
  verificationKeyJson,
  KeyFileError,
  VK_BYTES,
  type VerificationKey,
  type VerificationKeyJson,
} from "./verification-key.js";
export { boundPublicInputLayout, BoundLayoutError, outputRange, registryLayout, type RegistryLayout } from "./bound-layout.js";
