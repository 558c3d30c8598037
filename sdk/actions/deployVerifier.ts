// Deploys a compiled verifier contract (creation bytecode, e.g. from prover/codegen's compiler
// helper) and checks that it answers the IZkinferVerifier interface.
import { encodeFunctionData, isHex, type Address, type Hex } from "viem";
import { zkinferVerifierAbi } from "../abi/zkinfer-verifier.js";
import { InvalidArgumentError, ContractRevertError } from "../errors.js";
import { RevertedCall } from "../internal/backend.js";
import type { ZkinferClientBase } from "../internal/client.js";

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
  // An empty proof must be refused (revert or false); a call that returns nothing means the
  // contract has no verifyProof.
  const probe = encodeFunctionData({ abi: zkinferVerifierAbi, functionName: "verifyProof", args: ["0x", []] });
  try {
    const answer = await client.backend.call({ to: outcome.contractAddress, data: probe });
    if (answer === "0x") throw new InvalidArgumentError(`the contract deployed at ${outcome.contractAddress} has no verifyProof(bytes,uint256[])`);
  } catch (err) {
    if (!(err instanceof RevertedCall)) throw err;
  }
  return { address: outcome.contractAddress, hash: outcome.hash, gasUsed: outcome.gasUsed, blockNumber: outcome.blockNumber };
}
