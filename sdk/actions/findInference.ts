// Whether a model has been proven to give these outputs on an input with this hash, to a verifier
// whose code hash is the one given (the registry's cheap check for consuming contracts): the id of
// the first such record, or undefined. Records checked by other code never answer, so pinning the
// audited verifier's code hash leaves out whatever another version of the model accepted.
import type { Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { readRegistry } from "../internal/registry.js";
import { checkArray, checkUint256 } from "../internal/validate.js";
import { ZERO_HASH } from "../records.js";

export interface FindInferenceParameters {
  modelId: Hex;
  /**
   * The code hash of the verifier the answer must come from: the one `zkinfer audit --check`
   * prints, compileModelVerifier(artifacts).codeHash.
   */
  codeHash: Hex;
  /** See inputHashOf; zero for a model with a private input. */
  inputHash: Hex;
  /** The outputs as field elements, in the order of the public inputs. */
  outputs: readonly bigint[];
}

export type FindInferenceReturnType = Hex | undefined;

export async function findInference(client: ZkinferClientBase, { modelId, codeHash, inputHash, outputs }: FindInferenceParameters): Promise<FindInferenceReturnType> {
  const words = checkArray("outputs", outputs).map((x, i) => checkUint256(`outputs[${i}]`, x));
  const id = await readRegistry(client, "findInference", [modelId, codeHash, inputHash, words]);
  return id === ZERO_HASH ? undefined : id;
}
