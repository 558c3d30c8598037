// Runs the generated verifier's differential test with every one of the 2244 proof bytes flipped
// (the default suite flips a sample of 200): both verifiers must reject each corrupted proof, the
// Solidity one with the named error the corrupted bytes call for. Takes a few minutes.
//   npx tsx scripts/verifier-corruption-sweep.ts
import { spawnSync } from "node:child_process";

const run = spawnSync("npx", ["hardhat", "test", "mocha", "test/prover/codegen/verifier.test.ts", "--grep", "single-byte corruptions"], {
  stdio: "inherit",
  env: { ...process.env, ZKINFER_FULL_SWEEP: "1" },
});
process.exit(run.status ?? 1);
