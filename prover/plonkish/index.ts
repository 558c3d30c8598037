export * from "../../verifier/plonkish/index.js";
export { validateTable, validateFixedColumns, type CircuitTable, type FixedTable, type Witness } from "./table.js";
export { setup, srsSizeFor, type ProvingKey, type SetupOptions } from "./keys.js";
export { prove, type ProveOptions, type ProveResult, type ProveStage } from "./prover.js";
export {
  decodeProvingKey,
  encodeProvingKey,
  KeyConsistencyError,
  PK_CHECKSUM_BYTES,
  PK_HEADER_PEEK_BYTES,
  PK_MAGIC,
  PK_VERSION,
  provingKeyChunks,
  provingKeyLogRows,
  type DecodeProvingKeyOptions,
} from "./key-files.js";
export { startProverThreads } from "./gate-pool.js";
export { sameRuns } from "./run-bytes.js";
export {
  checkPublicCircuit,
  decodePublicCircuit,
  encodePublicCircuit,
  publicCircuitFileChunks,
  PublicCircuitError,
  PUBLIC_CIRCUIT_VERSION,
  type CircuitCheckItem,
  type PublicCircuit,
  type PublicCircuitCheck,
} from "./public-circuit.js";
