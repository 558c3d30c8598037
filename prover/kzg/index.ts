export type { Accumulator, KzgVerifierKey, OpeningClaim } from "./types.js";
export { commit, open, commitAndOpen, KzgError, type CommitKey } from "./commit.js";
export { accumulateClaims, foldAccumulators, decide, verifyClaim } from "./accumulator.js";
export {
  proveMultiOpening,
  accumulateMultiOpening,
  type OpeningTranscript,
  type ProverQuery,
  type VerifierQuery,
} from "./multiopen.js";
