// The Solidity verifier generator: verification key → Verifier.sol, and its offline compilation.
export { generateVerifier, CodegenError, type GenerateVerifierOptions, type GeneratedVerifier } from "./generate.js";
export { compileVerifier, MAX_RUNTIME_BYTES, type CompileOptions, type CompiledVerifier } from "./compile.js";
