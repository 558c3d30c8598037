export * from "../../verifier/kzg/index.js";
export { commit, commitLagrange, commitSteps, isLagrangeBasis, open, commitAndOpen, proveMultiOpening, type CommitKey, type ProverQuery } from "./commit.js";
