// The `zkinfer` entry point: the prover API a model owner uses from code — compile an ONNX model,
// make keys from an SRS, prove, verify (one proof or a batch), read and write proof files, and
// generate the Solidity verifier. The CLI (prover/cli) is built on the same functions.
// ffjavascript keeps worker threads alive: call releaseEngine() when done so the process can exit.
export { releaseEngine } from "../verifier/engine/bn254.js";
export { loadPtau, checkPtau, devSrs, SrsError, type Srs } from "./srs/index.js";
export { loadOnnx, OnnxError, type OnnxModel } from "./onnx/index.js";
export { loadGraph, evaluateGraph, IrError, UnsupportedOpsError, type Graph } from "./ir/index.js";
export { compileModel, readCompiledModel, type CompileOptions, type CompiledModel } from "./compiler/compile.js";
export { compiledCircuit } from "./compiler/circuit.js";
export { CompileError, QuantRangeError, UnsupportedModelError } from "./compiler/errors.js";
export { FloatReferenceUnavailableError } from "./quantize/reference.js";
export type { CompiledManifest } from "./compiler/manifest.js";
export {
  setup,
  prove,
  verify,
  verifyBatch,
  encodeVerificationKey,
  verificationKeyDigest,
  decodeProvingKey,
  decodeVerificationKey,
  encodeProvingKey,
  parseProofFile,
  toProofFile,
  CircuitError,
  ProofFileError,
  ProofFormatError,
  UnsatisfiedError,
  checkPublicCircuit,
  decodePublicCircuit,
  encodePublicCircuit,
  PublicCircuitError,
  PROOF_BYTES,
  type ProvingKey,
  type VerificationKey,
  type ProofFile,
  type ProveResult,
  type PublicCircuit,
  type PublicCircuitCheck,
} from "./plonkish/index.js";
export { generateVerifier, compileVerifier, CodegenError } from "./codegen/index.js";
