export type { Accumulator, AccumulatorTerms, G1Terms, KzgVerifierKey, OpeningClaim } from "../../verifier/kzg/types.js";
export { commit, commitLagrange, commitSteps, isLagrangeBasis, open, commitAndOpen, KzgError, type CommitKey } from "./commit.js";
export { accumulateClaims, foldAccumulators, decide, verifyClaim, evaluateTerms, evaluateAccumulator, foldAccumulatorTerms } from "../../verifier/kzg/accumulator.js";
export {
  proveMultiOpening,
  accumulateMultiOpening,
  multiOpeningTerms,
  type OpeningTranscript,
  type ProverQuery,
  type VerifierQuery,
} from "../../verifier/kzg/multiopen.js";
