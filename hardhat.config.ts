import { fileURLToPath } from "node:url";
import { defineConfig } from "hardhat/config";
import hardhatMocha from "@nomicfoundation/hardhat-mocha";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import zkinfer from "./sdk/hardhat/index.js";

// Compile offline: Hardhat would otherwise download a native solc build.
const solcJs = fileURLToPath(new URL("./node_modules/solc/soljson.js", import.meta.url));

export default defineConfig({
  plugins: [hardhatMocha, hardhatViem, zkinfer],
  solidity: {
    version: "0.8.37",
    path: solcJs,
    settings: {
      // cancun has the BN254 precompiles (0x06, 0x07, 0x08) at their EIP-1108 prices.
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 200 },
    },
  },
  paths: {
    // examples/contracts: the Solidity consumer example, compiled and tested with the project.
    sources: { solidity: ["contracts", "examples/contracts"] },
    tests: { mocha: "test" },
  },
  test: {
    mocha: { timeout: 600_000 },
  },
});
