// A record's outputs as numbers: the field elements the registry logs, read as signed integers and
// divided by their fixed-point scale. The scales are not on chain; they come with the key's full
// public-input layout (vk.json), which is only used once its digest is the one the registry holds.
import { bytesToHex, type Hex } from "viem";
import { R } from "../verifier/engine/constants.js";
import { publicInputLayoutDigest, type PublicInputLayout } from "../verifier/plonkish/index.js";
import { InvalidArgumentError } from "./errors.js";

export interface DequantizeOutputsParameters {
  /** The key's full public-input layout (vk.json "publicInputLayout"). */
  layout: PublicInputLayout;
  /** The layout digest the registry holds for the model (ModelInfo.layoutDigest). */
  layoutDigest: Hex;
  /** The record's outputs (InferenceRecord.outputs). */
  outputs: readonly bigint[];
}

/** The outputs' values, or undefined when the outputs are not public values (hashed or private). */
export type DequantizeOutputsReturnType = number[] | undefined;

export function dequantizeOutputs({ layout, layoutDigest, outputs }: DequantizeOutputsParameters): DequantizeOutputsReturnType {
  let digest: Hex;
  try {
    digest = bytesToHex(publicInputLayoutDigest(layout));
  } catch (err) {
    throw new InvalidArgumentError(`malformed public-input layout: ${(err as Error).message}`, { cause: err });
  }
  if (digest.toLowerCase() !== layoutDigest.toLowerCase()) throw new InvalidArgumentError(`the public-input layout's digest ${digest} is not the model's ${layoutDigest}`);
  const range = layout.ranges.find((r) => r.role === "output");
  if (!range || range.visibility !== "public") return undefined;
  if (range.count !== outputs.length) throw new InvalidArgumentError(`the layout declares ${range.count} outputs, the record has ${outputs.length}`);
  const scales = range.scales.flatMap((s) => new Array<number>(s.count).fill(s.scale));
  return outputs.map((x, i) => Number(x > R / 2n ? x - R : x) / 2 ** (scales[i] ?? 0));
}
