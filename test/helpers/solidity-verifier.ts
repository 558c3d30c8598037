// The generated Solidity verifier of a key, deployed on an in-process Hardhat network, as functions
// that return its verdict on a proof or a batch (tests compare it with the TS verifier's).
import { network } from "hardhat";
import { toHex, type Abi } from "viem";
import { compileVerifier, generateVerifier } from "../../prover/codegen/index.js";
import type { VerificationKey } from "../../prover/plonkish/index.js";

export interface DeployedVerifier {
  single(proof: Uint8Array, publicInputs: readonly bigint[]): Promise<boolean>;
  batch(items: readonly { proof: Uint8Array; publicInputs: readonly bigint[] }[]): Promise<boolean>;
}

/**
 * Deploys the verifier of `vk`; `patch` may rewrite its source first (tests only: a verifier with a
 * challenge fixed in advance, or a check removed, to show what the unchanged code prevents).
 */
export async function deployVerifier(vk: VerificationKey, contractName: string, patch: (source: string) => string = (s) => s): Promise<DeployedVerifier> {
  const { viem } = await network.create();
  const generated = generateVerifier(vk, { contractName });
  const { abi, bytecode } = compileVerifier(patch(generated.source), generated.contractName);
  const [wallet] = await viem.getWalletClients();
  const client = await viem.getPublicClient();
  const receipt = await client.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi: abi as Abi, bytecode }) });
  const address = receipt.contractAddress;
  if (!address) throw new Error("deployment created no contract");
  const read = async (functionName: string, args: unknown[]): Promise<boolean> => (await client.readContract({ address, abi: abi as Abi, functionName, args })) as boolean;
  return {
    single: (proof, publicInputs) => read("verifyProof", [toHex(proof), publicInputs]),
    batch: (items) => read("verifyProofs", [items.map((i) => toHex(i.proof)), items.map((i) => i.publicInputs)]),
  };
}

export async function solidityVerdict(vk: VerificationKey, contractName: string): Promise<(proof: Uint8Array, publicInputs: readonly bigint[]) => Promise<boolean>> {
  return (await deployVerifier(vk, contractName)).single;
}
