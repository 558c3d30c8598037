// Polynomials over Fr: domains, FFTs, evaluation, division and ring operations.
export { COSET_GENERATOR, Domain, MAX_LOG_SIZE } from "../../verifier/poly/domain.js";
export { NonZeroRemainderError, PolyError } from "../../verifier/poly/errors.js";
export { cosetFft, cosetIfft, fft, ifft, onThisThread, padTo, threaded, type Transform } from "./fft.js";
export { divideByLinear, evaluate, evaluateLagrange } from "./evaluate.js";
export {
  divideByVanishing,
  linearCombination,
  polyAdd,
  polyMul,
  polyScale,
  polySub,
  type VanishingDivision,
} from "./arithmetic.js";
