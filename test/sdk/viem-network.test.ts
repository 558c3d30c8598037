import { expect } from "chai";
import { network } from "hardhat";
import { getContract } from "viem";
import { bn254 } from "@noble/curves/bn254.js";

// Proves the SDK's wiring: viem clients against the in-process Hardhat network.
const { viem } = await network.create();

describe("viem against the in-process network", () => {
  it("deploys through a wallet client and reads through a public client", async () => {
    const publicClient = await viem.getPublicClient();
    const [wallet] = await viem.getWalletClients();
    const tauG2 = bn254.G2.Point.BASE.multiply(5n).toAffine();
    const deployed = await viem.deployContract("AccumulatorDecider", [[tauG2.x.c1, tauG2.x.c0, tauG2.y.c1, tauG2.y.c0]], {
      client: { wallet },
    });
    const contract = getContract({ address: deployed.address, abi: deployed.abi, client: publicClient });
    const b = bn254.G1.Point.BASE.toAffine();
    const a = bn254.G1.Point.BASE.multiply(5n).toAffine();
    expect(await contract.read.decide([[a.x, a.y], [b.x, b.y]])).to.equal(true);
    expect(await publicClient.getBlockNumber() > 0n).to.equal(true);
  });
});
