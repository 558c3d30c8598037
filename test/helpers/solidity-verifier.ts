// The generated Solidity verifier of a key, deployed on an in-process Hardhat network, as a function
// that returns its verdict on a proof (tests compare it with the TS verifier's).
import { network } from "hardhat";
import { toHex, type Abi } from "viem";
import { compileVerifier, generateVerifier } from "../../prover/codegen/index.js";
import type { VerificationKey } from "../../prover/plonkish/index.js";

export async function solidityVerdict(vk: VerificationKey, contractName: string): Promise<(proof: Uint8Array, publicInputs: readonly bigint[]) => Promise<boolean>> {
  const { viem } = await network.create();
  const generated = generateVerifier(vk, { contractName });
  const { abi, bytecode } = compileVerifier(generated.source, generated.contractName);
  const [wallet] = await viem.getWalletClients();
  const client = await viem.getPublicClient();
  const receipt = await client.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi: abi as Abi, bytecode }) });
  const address = receipt.contractAddress;
  if (!address) throw new Error("deployment created no contract");
  return async (proof, publicInputs) => (await client.readContract({ address, abi: abi as Abi, functionName: "verifyProof", args: [toHex(proof), publicInputs] })) as boolean;
}
