import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: [".scratch/", "node_modules/", "dist/", "artifacts/", "cache/", "types/", "coverage/", "bench/out/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: "readonly", process: "readonly", URL: "readonly", Buffer: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // The browser-safe stages: the verifier and zkinfer/sdk (except its Node-only zkinfer/hardhat).
    // test/package/ bundles zkinfer/sdk for the browser to prove it; this says why where it is written.
    files: ["verifier/**/*.ts", "sdk/**/*.ts"],
    ignores: ["sdk/hardhat/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^node:", message: "browser-safe code: no Node built-ins" },
            { regex: "^(fs|path|os|crypto|zlib|child_process|worker_threads|module|url)(/|$)", message: "browser-safe code: no Node built-ins" },
            { regex: "^onnxruntime-node$|^solc$|^hardhat", message: "browser-safe code: Node-only packages belong in zkinfer/hardhat or the CLI" },
            { regex: "(^|/)prover/", message: "the SDK and the verifier import no prover code" },
          ],
        },
      ],
      "no-restricted-globals": ["error", { name: "Buffer", message: "browser-safe code: use Uint8Array (viem's or @noble/hashes' hex helpers)" }],
    },
  },
);
