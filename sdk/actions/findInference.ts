// Whether a model has been proven to give these outputs on an input with this hash (the registry's
// cheap check for consuming contracts): the id of the first such record, or undefined.
import type { Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { readRegistry } from "../internal/registry.js";
import { checkArray, checkUint256 } from "../internal/validate.js";
import { ZERO_HASH } from "../records.js";

export interface FindInferenceParameters {
  modelId: Hex;
  /** See inputHashOf; zero for a model with a private input. */
  inputHash: Hex;
  /** The outputs as field elements, in the order of the public inputs. */
  outputs: readonly bigint[];
}

export type FindInferenceReturnType = Hex | undefined;

export async function findInference(client: ZkinferClientBase, { modelId, inputHash, outputs }: FindInferenceParameters): Promise<FindInferenceReturnType> {
  const words = checkArray("outputs", outputs).map((x, i) => checkUint256(`outputs[${i}]`, x));
  const id = await readRegistry(client, "findInference", [modelId, inputHash, words]);
  return id === ZERO_HASH ? undefined : id;
}
