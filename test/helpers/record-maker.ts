// Records made one transaction each through the registry fixture's pairing-test verifier, for the
// tests that watch records come in: each record takes the maker's next nonce, and its id is known
// before it is made (to have a node hide it).
import type { Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { pairingTestProof } from "../contracts/pairing-test-prover.js";
import { deployRegisteredModel, TEST_KEY, ZERO_REF, type Connection } from "./registry-fixture.js";

/** Four public inputs from one seed. */
export const inputsOf = (seed: bigint): bigint[] => [seed, seed + 1n, seed + 2n, seed + 3n];

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export type Registry = Awaited<ReturnType<typeof deployRegisteredModel>>["registry"];
export type RecordMaker = ReturnType<typeof recordMaker>;

export function recordMaker(connection: Connection, registry: Registry) {
  let nonce = 0n;
  const submitter = async (): Promise<Hex> => (await connection.viem.getWalletClients())[0].account.address;
  const idOf = async (model: Hex, seed: bigint, n: bigint): Promise<Hex> => registry.read.computeRecordId([model, inputsOf(seed), await submitter(), n]);
  return {
    /** The id the next record made, of `model` on `seed`'s inputs, will have. */
    nextId: (model: Hex, seed: bigint): Promise<Hex> => idOf(model, seed, nonce + 1n),
    /** Makes a record of `model` on `seed`'s inputs, waits for its receipt, and returns its id. */
    async submit(model: Hex, seed: bigint): Promise<Hex> {
      nonce += 1n;
      const inputs = inputsOf(seed);
      const id = await idOf(model, seed, nonce);
      const hash = await registry.write.submitInference([model, pairingTestProof(TEST_KEY, inputs), inputs, ZERO_REF, nonce]);
      await (await connection.viem.getPublicClient()).waitForTransactionReceipt({ hash });
      return id;
    },
  };
}

/**
 * In the calling describe: a fresh registry with one model and a maker of its records, handed to
 * `use` before the tests; the proving engine is released after them.
 */
export function withRegisteredModel(connection: Connection, use: (fixture: { registry: Registry; modelId: Hex; maker: RecordMaker }) => void): void {
  before(async () => {
    const { registry, modelId } = await deployRegisteredModel(connection);
    use({ registry, modelId, maker: recordMaker(connection, registry) });
  });
  after(releaseEngine);
}
