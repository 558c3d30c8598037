// Deploys a compiled verifier contract (creation bytecode, e.g. from prover/codegen's compiler
// helper) and checks that it is a zkinfer verifier that refuses a proof nobody made (probeVerifier:
// AcceptingVerifierError, NotAZkinferVerifierError).
import { isHex, type Address, type Hex } from "viem";
import { InvalidArgumentError, ContractRevertError } from "../errors.js";
import type { ZkinferClientBase } from "../internal/client.js";
import { probeVerifier } from "../verifier-probe.js";

export interface DeployVerifierParameters {
  /** Creation bytecode (constructor arguments appended, if any). */
  bytecode: Hex;
}

export interface DeployVerifierReturnType {
  address: Address;
  hash: Hex;
  gasUsed: bigint;
  blockNumber: bigint;
}

export async function deployVerifier(client: ZkinferClientBase, { bytecode }: DeployVerifierParameters): Promise<DeployVerifierReturnType> {
  if (!isHex(bytecode, { strict: true }) || bytecode.length <= 2) throw new InvalidArgumentError("bytecode must be non-empty 0x-prefixed hex");
  await client.backend.account("deployVerifier");
  const outcome = await client.backend.send({ data: bytecode }, { operation: "deployVerifier" });
  if (!outcome.success || !outcome.contractAddress) throw new ContractRevertError("0x", `verifier deployment ${outcome.hash} failed`);
  await probeVerifier(client, outcome.contractAddress);
  return { address: outcome.contractAddress, hash: outcome.hash, gasUsed: outcome.gasUsed, blockNumber: outcome.blockNumber };
}
