// SPDX-License-Identifier: GPL-3.0-or-later
// Shared on-chain measurement for the benchmark suites: an in-process Hardhat network with the SDK
// client and a registry, the intrinsic gas of a transaction, and verifyProof's gas on a deployed
// verifier (whole transaction, and execution alone).
import { network } from "hardhat";
import { encodeFunctionData, type Address, type Hex, type PublicClient, type WalletClient } from "viem";
import { createClient, zkinferVerifierAbi, type ZkinferClient } from "../../sdk/index.js";

/** Calldata gas of bytes [from, to) of `data` (EIP-2028: 16 gas per non-zero byte, 4 per zero byte). */
export function calldataGas(data: Hex, from = 0, to = (data.length - 2) / 2): number {
  let gas = 0;
  for (let i = from; i < to; i++) gas += data.slice(2 + 2 * i, 4 + 2 * i) === "00" ? 4 : 16;
  return gas;
}

/** Transaction base cost plus calldata. */
export function intrinsicGas(data: Hex): number {
  return 21_000 + calldataGas(data);
}

export interface BenchChain {
  publicClient: PublicClient;
  walletClient: WalletClient;
  /** The SDK client bound to a freshly deployed registry. */
  client: ZkinferClient;
  registryDeployGas: bigint;
}

/** A fresh in-process Hardhat network with a deployed InferenceRegistry. */
export async function benchChain(): Promise<BenchChain> {
  const { viem } = await network.create();
  const publicClient = (await viem.getPublicClient()) as unknown as PublicClient;
  const [walletClient] = (await viem.getWalletClients()) as unknown as WalletClient[];
  const base = createClient({ publicClient, walletClient });
  const registry = await base.deployRegistry();
  return { publicClient, walletClient, client: base.withRegistry(registry.address), registryDeployGas: registry.gasUsed };
}

/**
 * Gas of verifyProof(proof, publicInputs) on a deployed verifier: the whole transaction as
 * estimated, and its execution alone (without the 21,000 base and the calldata). Throws unless the
 * verifier accepts the proof.
 */
export async function verifyProofGas(publicClient: PublicClient, verifier: Address, proof: Hex, publicInputs: readonly bigint[]): Promise<{ tx: number; execution: number }> {
  const data = encodeFunctionData({ abi: zkinferVerifierAbi, functionName: "verifyProof", args: [proof, [...publicInputs]] });
  const ok = await publicClient.call({ to: verifier, data });
  if (BigInt(ok.data ?? "0x0") !== 1n) throw new Error(`the verifier at ${verifier} rejects the proof`);
  const tx = Number(await publicClient.estimateGas({ to: verifier, data }));
  return { tx, execution: tx - intrinsicGas(data) };
}
