export { ChallengeRetryError, CircuitError, ProofFileError, ProofFormatError, UnsatisfiedError } from "../../verifier/plonkish/errors.js";
export { validateTable, validateFixedColumns, rowCount, MIN_LOG_ROWS, type CircuitTable, type FixedTable, type Witness } from "./table.js";
export {
  setup,
  srsSizeFor,
  encodeVerificationKey,
  verificationKeyDigest,
  VK_BYTES,
  type ProvingKey,
  type VerificationKey,
  type SetupOptions,
} from "./keys.js";
export { prove, type ProveOptions, type ProveResult, type ProveStage } from "./prover.js";
export { accumulateProof, reduceProof, batchChallenge, verify, verifyBatch, BATCH_PROTOCOL, type ProofReduction } from "../../verifier/plonkish/verifier.js";
export {
  decodeProof,
  encodeProof,
  parseProofFile,
  toProofFile,
  PROOF_BYTES,
  PROOF_VERSION,
  type Proof,
  type ProofFile,
} from "../../verifier/plonkish/proof.js";
export * as layout from "../../verifier/plonkish/layout.js";
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
} from "../../verifier/plonkish/description.js";
export {
  decodeProvingKey,
  decodeVerificationKey,
  encodeProvingKey,
  verificationKeyJson,
  KeyConsistencyError,
  KeyFileError,
  PK_MAGIC,
  PK_VERSION,
  type DecodeProvingKeyOptions,
  type VerificationKeyJson,
} from "./key-files.js";
export { boundPublicInputLayout, BoundLayoutError, outputRange, registryLayout, type RegistryLayout } from "../../verifier/plonkish/bound-layout.js";
export {
  checkPublicCircuit,
  decodePublicCircuit,
  encodePublicCircuit,
  PublicCircuitError,
  PUBLIC_CIRCUIT_VERSION,
  type CircuitCheckItem,
  type PublicCircuit,
  type PublicCircuitCheck,
} from "./public-circuit.js";
