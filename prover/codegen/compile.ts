// Offline compilation of a generated verifier with the npm `solc` package (soljson, no download),
// with the settings of the project's hardhat.config.ts: solc 0.8.37, evmVersion cancun, optimizer
// on (200 runs). solc is loaded on first use, so generating a verifier does not need it.
import { createRequire } from "node:module";
import { CodegenError } from "./yul-expression.js";

/** EIP-170: the largest runtime bytecode a contract may deploy. */
export const MAX_RUNTIME_BYTES = 24_576;

export interface CompileOptions {
  /** Optimizer runs (default 200, as hardhat.config.ts). */
  runs?: number;
}

export interface CompiledVerifier {
  contractName: string;
  abi: readonly Record<string, unknown>[];
  /** Creation bytecode, 0x-prefixed. */
  bytecode: `0x${string}`;
  /** Runtime bytecode, 0x-prefixed. */
  deployedBytecode: `0x${string}`;
  /** Runtime bytecode size in bytes (must stay ≤ MAX_RUNTIME_BYTES to deploy). */
  deployedSize: number;
  /** The compiler's warnings, if any. */
  warnings: string[];
}

interface SolcModule {
  compile(input: string): string;
  version(): string;
}

interface SolcError {
  severity: "error" | "warning" | "info";
  formattedMessage: string;
}

interface SolcOutput {
  errors?: SolcError[];
  contracts?: Record<string, Record<string, { abi: Record<string, unknown>[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>>;
}

let solc: SolcModule | undefined;

function loadSolc(): SolcModule {
  if (!solc) {
    try {
      solc = createRequire(import.meta.url)("solc") as SolcModule;
    } catch (err) {
      throw new CodegenError(`compiling a verifier needs the npm package solc 0.8.37 (${(err as Error).message})`, { cause: err });
    }
  }
  return solc;
}

/** Compiles `source` (one file holding `contractName`) through solc's standard JSON interface. */
export function compileVerifier(source: string, contractName: string, options: CompileOptions = {}): CompiledVerifier {
  const compiler = loadSolc();
  const file = `${contractName}.sol`;
  const input = {
    language: "Solidity",
    sources: { [file]: { content: source } },
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: options.runs ?? 200 },
      outputSelection: { [file]: { [contractName]: ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
    },
  };
  const output = JSON.parse(compiler.compile(JSON.stringify(input))) as SolcOutput;
  const problems = output.errors ?? [];
  const errors = problems.filter((e) => e.severity === "error");
  if (errors.length > 0) throw new CodegenError(`solc ${compiler.version()} rejected ${file}:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  const contract = output.contracts?.[file]?.[contractName];
  if (!contract) throw new CodegenError(`solc produced no contract ${contractName} from ${file}`);
  const deployed = contract.evm.deployedBytecode.object;
  return {
    contractName,
    abi: contract.abi,
    bytecode: `0x${contract.evm.bytecode.object}`,
    deployedBytecode: `0x${deployed}`,
    deployedSize: deployed.length / 2,
    warnings: problems.filter((e) => e.severity === "warning").map((e) => e.formattedMessage),
  };
}
