// A dApp's Hardhat 3 project that gets zkinfer's tasks (deploy-verifier, submit-proof, audit) by
// adding the plugin to `plugins`. `npx hardhat node` in one terminal, then, with a model directory
// from `zkinfer setup` and a proof from `zkinfer prove`:
//   npx hardhat deploy-verifier --artifacts model --network local
//   npx hardhat submit-proof --artifacts model --proof proof.json --network local
//   npx hardhat audit --network local
import { defineConfig } from "hardhat/config";
import zkinfer from "zkinfer/hardhat";

export default defineConfig({
  plugins: [zkinfer],
  networks: {
    local: { type: "http", url: process.env.RPC_URL ?? "http://127.0.0.1:8545" },
  },
});
