// What the verifier needs of polynomials: the evaluation domains (the prover's FFTs and
// polynomial arithmetic are prover/poly/).
export { COSET_GENERATOR, Domain, MAX_LOG_SIZE } from "./domain.js";
export { NonZeroRemainderError, PolyError } from "./errors.js";
