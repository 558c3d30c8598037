// Compares the verifier code the registry pinned, in every version of the models of one
// verification key, with the code zkinfer generates and compiles from that key (compileModelVerifier
// gives its hash). A version matches when its pinned EXTCODEHASH is that hash: then every record it
// checked was checked by the honest verifier of the key. `zkinfer audit --check` prints the result.
import type { Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { checkBytes32 } from "../internal/validate.js";
import { auditRecords, type AuditRecordsReturnType } from "./auditRecords.js";

export interface CheckVerifierCodeParameters {
  /** keccak256 of the runtime bytecode generated and compiled from the key (compileModelVerifier(...).codeHash). */
  codeHash: Hex;
  /** The key's digest: the registry's models with this digest are checked. */
  vkDigest: Hex;
  /** Check only this model; a model of another key is then a mismatch. */
  modelId?: Hex;
  /** A report already read with auditRecords (default: read now). */
  report?: AuditRecordsReturnType;
}

export interface VersionCodeCheck {
  version: number;
  verifier: Hex;
  pinnedCodeHash: Hex;
  insecureDevSrs: boolean;
  /** Records of the model that this version checked. */
  recordCount: number;
  match: boolean;
}

export interface ModelCodeCheck {
  modelId: Hex;
  vkDigest: Hex;
  /** False when the model has another key than the artifacts (its versions are then not compared). */
  keyMatches: boolean;
  versions: VersionCodeCheck[];
}

export interface CheckVerifierCodeReturnType {
  expectedCodeHash: Hex;
  vkDigest: Hex;
  models: ModelCodeCheck[];
  /** At least one model was checked, its key is the artifacts' and every version's code matches. */
  ok: boolean;
}

export async function checkVerifierCode(client: ZkinferClientBase, params: CheckVerifierCodeParameters): Promise<CheckVerifierCodeReturnType> {
  // Hashes compared as lowercase hex, the form the registry's reads decode to.
  const codeHash = checkBytes32("codeHash", params.codeHash).toLowerCase() as Hex;
  const vkDigest = checkBytes32("vkDigest", params.vkDigest).toLowerCase() as Hex;
  const modelId = params.modelId === undefined ? undefined : checkBytes32("modelId", params.modelId);
  const report = params.report ?? (await auditRecords(client, { modelId }));
  const models: ModelCodeCheck[] = [];
  for (const { model, versions } of report.models) {
    if (modelId !== undefined && model.id.toLowerCase() !== modelId.toLowerCase()) continue;
    const keyMatches = model.vkDigest.toLowerCase() === vkDigest;
    if (!keyMatches && modelId === undefined) continue; // another model of the registry
    models.push({
      modelId: model.id,
      vkDigest: model.vkDigest,
      keyMatches,
      versions: versions.map((v) => ({
        version: v.version,
        verifier: v.verifier,
        pinnedCodeHash: v.codeHash,
        insecureDevSrs: v.insecureDevSrs,
        recordCount: v.recordCount,
        match: keyMatches && v.vkDigest.toLowerCase() === vkDigest && v.codeHash.toLowerCase() === codeHash,
      })),
    });
  }
  const ok = models.length > 0 && models.every((m) => m.keyMatches && m.versions.every((v) => v.match));
  return { expectedCodeHash: codeHash, vkDigest, models, ok };
}
