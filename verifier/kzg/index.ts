// The verifier's side of KZG: the accumulator (A, B) and its decider, and multi-point openings
// reduced to an accumulator. Committing and opening are the prover's (prover/kzg/).
export type { Accumulator, AccumulatorTerms, G1Terms, KzgVerifierKey, OpeningClaim } from "./types.js";
export { KzgError, OpeningPointError } from "./errors.js";
export { accumulateClaims, foldAccumulators, decide, verifyClaim, evaluateTerms, evaluateAccumulator, foldAccumulatorTerms } from "./accumulator.js";
export { accumulateMultiOpening, multiOpeningTerms, pointWeights, type OpeningTranscript, type OpeningWitnesses, type VerifierQuery } from "./multiopen.js";
