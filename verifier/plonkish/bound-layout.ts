// The public-input layout a verification key binds, read from vk.json and checked against the key
// (its digest is a field of vk.bin, docs/protocol.md §3.10), and the registry's projection of it.
// Everything that says where a model's input and outputs sit (verify, deployment, the generated
// verifier's constants) reads the layout through here, never vk.json's unbound "outputs".
import { bytesToHex } from "@noble/hashes/utils.js";
import { CircuitError } from "./errors.js";
import { publicInputLayoutDigest, type PublicInputLayout, type PublicInputRange } from "./description.js";
import { verificationKeyDigest, type VerificationKey } from "./verification-key.js";

const hex = (b: Uint8Array): string => `0x${bytesToHex(b)}`;

/** A vk.json that does not describe its vk.bin (another key, a layout the key does not bind). */
export class BoundLayoutError extends CircuitError {
  override name = "BoundLayoutError";
}

/**
 * The public-input layout of vk.json (`json`, read from `path`) once it is checked to be the one
 * `vk` binds: vk.json's "digest" is the key's, its "publicInputLayout" hashes to the key's layout
 * digest, and its "outputs" (a convenience copy) agree with the layout's output range. Throws
 * BoundLayoutError naming `path`.
 */
export function boundPublicInputLayout(json: unknown, vk: VerificationKey, path: string): PublicInputLayout {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new BoundLayoutError(`${path} must be a JSON object`);
  const view = json as { digest?: unknown; outputs?: Record<string, unknown>; publicInputLayout?: unknown };
  const digest = hex(verificationKeyDigest(vk));
  if (view.digest !== digest) throw new BoundLayoutError(`${path} does not belong to this vk.bin (its digest is ${JSON.stringify(view.digest)}, vk.bin's is ${digest})`);
  const layout = view.publicInputLayout as PublicInputLayout | undefined;
  if (layout === undefined) throw new BoundLayoutError(`${path}: "publicInputLayout" is missing; run \`zkinfer setup\` again`);
  let bound: Uint8Array;
  try {
    bound = publicInputLayoutDigest(layout);
  } catch (err) {
    if (!(err instanceof CircuitError)) throw err;
    throw new BoundLayoutError(`${path}: "publicInputLayout" is malformed (${err.message}); run \`zkinfer setup\` again`, { cause: err });
  }
  if (hex(bound) !== hex(vk.publicInputLayoutDigest)) throw new BoundLayoutError(`${path}: "publicInputLayout" is not the layout vk.bin binds (its digest differs)`);
  const out = outputRange(layout);
  const o = view.outputs;
  const agrees =
    out === undefined
      ? o === undefined
      : o !== undefined &&
        o.offset === out.offset &&
        o.count === out.count &&
        (o.kind === undefined || o.kind === out.visibility) &&
        (o.bits === undefined || o.bits === out.bits) &&
        JSON.stringify(o.scales ?? []) === JSON.stringify(out.scales);
  if (!agrees) throw new BoundLayoutError(`${path}: "outputs" ${JSON.stringify(o)} disagrees with the bound "publicInputLayout"`);
  return layout;
}

/** The layout's output range, if it declares one. */
export function outputRange(layout: PublicInputLayout): PublicInputRange | undefined {
  return layout.ranges.find((r) => r.role === "output");
}

/**
 * What the registry records of a layout: where the input and the outputs sit among the public
 * inputs. A hashed range is its one Poseidon commitment, a private one has count 0, and a role the
 * layout does not declare is the empty range at 0.
 */
export interface RegistryLayout {
  count: number;
  inputOffset: number;
  inputCount: number;
  outputOffset: number;
  outputCount: number;
}

/** The registry's projection of `layout`; throws CircuitError for more than one range of a role. */
export function registryLayout(layout: PublicInputLayout): RegistryLayout {
  const only = (role: "input" | "output"): { offset: number; count: number } => {
    const ranges = layout.ranges.filter((r) => r.role === role);
    if (ranges.length > 1) throw new CircuitError(`public-input layout: ${ranges.length} ${role} ranges, but a registry records one ${role} range`);
    return ranges.length === 0 ? { offset: 0, count: 0 } : { offset: ranges[0].offset, count: ranges[0].count };
  };
  const input = only("input");
  const output = only("output");
  return { count: layout.count, inputOffset: input.offset, inputCount: input.count, outputOffset: output.offset, outputCount: output.count };
}
