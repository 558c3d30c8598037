export * from "../../verifier/kzg/index.js";
export { commit, commitLagrange, commitSteps, isLagrangeBasis, open, commitAndOpen, proveMultiOpening, type CommitKey, type ExtraTerms, type ProverQuery } from "./commit.js";
