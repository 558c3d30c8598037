// Compares the verifier code the registry pinned, in every version of the models of one
// verification key, with the code zkinfer generates and compiles from that key (compileModelVerifier
// gives its hash). A version matches when its pinned EXTCODEHASH is that hash: then every record it
// checked was checked by the honest verifier of the key. `zkinfer audit --check` prints the result.
//
// The verdict is kept per model: anyone can register a model under any key with any verifier, so
// a stranger's model of the same key shows MISMATCH without turning an honest owner's models into
// one; `owner` (or `modelId`) narrows the overall `ok` to the models an auditor vouches for. Every
// model of the report that is not checked is named in `notChecked`, and the audit report then
// leaves out its records, so no unchecked record is shown under a passing check.
import { getAddress, type Address, type Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { checkAddress, checkBytes32 } from "../internal/validate.js";
import { auditRecords, type AuditRecordsReturnType } from "./auditRecords.js";

export interface CheckVerifierCodeParameters {
  /** keccak256 of the runtime bytecode generated and compiled from the key (compileModelVerifier(...).codeHash). */
  codeHash: Hex;
  /** The key's digest: the registry's models with this digest are checked. */
  vkDigest: Hex;
  /** Check only this model; a model of another key is then a mismatch. */
  modelId?: Hex;
  /** Check only this owner's models; the others are listed as not checked. */
  owner?: Address;
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
  owner: Address;
  vkDigest: Hex;
  /** False when the model has another key than the artifacts (its versions are then not compared). */
  keyMatches: boolean;
  versions: VersionCodeCheck[];
  /** This model's verdict: its key is the artifacts' and every version's code matches. */
  ok: boolean;
}

/** A model of the report that the check left out, and why. */
export interface UncheckedModel {
  modelId: Hex;
  owner: Address;
  vkDigest: Hex;
  /** "key": registered with another key than the artifacts'; "owner": owned by someone other than `owner`. */
  reason: "key" | "owner";
  recordCount: number;
}

export interface CheckVerifierCodeReturnType {
  expectedCodeHash: Hex;
  vkDigest: Hex;
  /** The owner the check was narrowed to, if any. */
  owner?: Address;
  /** The models checked, each with its own verdict. */
  models: ModelCodeCheck[];
  /** Every other model of the report: its records are not covered by this check. */
  notChecked: UncheckedModel[];
  /** At least one model was checked, and every checked model is ok. */
  ok: boolean;
}

export async function checkVerifierCode(client: ZkinferClientBase, params: CheckVerifierCodeParameters): Promise<CheckVerifierCodeReturnType> {
  // Hashes compared as lowercase hex, the form the registry's reads decode to.
  const codeHash = checkBytes32("codeHash", params.codeHash).toLowerCase() as Hex;
  const vkDigest = checkBytes32("vkDigest", params.vkDigest).toLowerCase() as Hex;
  const modelId = params.modelId === undefined ? undefined : checkBytes32("modelId", params.modelId);
  const owner = params.owner === undefined ? undefined : getAddress(checkAddress("owner", params.owner));
  const report = params.report ?? (await auditRecords(client, { modelId, owner }));
  const models: ModelCodeCheck[] = [];
  const notChecked: UncheckedModel[] = [];
  for (const { model, versions, records } of report.models) {
    if (modelId !== undefined && model.id.toLowerCase() !== modelId.toLowerCase()) continue; // not part of this report's scope
    const keyMatches = model.vkDigest.toLowerCase() === vkDigest;
    const reason = owner !== undefined && getAddress(model.owner) !== owner ? "owner" : !keyMatches && modelId === undefined ? "key" : undefined;
    if (reason) {
      notChecked.push({ modelId: model.id, owner: model.owner, vkDigest: model.vkDigest, reason, recordCount: records.length });
      continue;
    }
    const checked = versions.map((v) => ({
      version: v.version,
      verifier: v.verifier,
      pinnedCodeHash: v.codeHash,
      insecureDevSrs: v.insecureDevSrs,
      recordCount: v.recordCount,
      match: keyMatches && v.vkDigest.toLowerCase() === vkDigest && v.codeHash.toLowerCase() === codeHash,
    }));
    models.push({ modelId: model.id, owner: model.owner, vkDigest: model.vkDigest, keyMatches, versions: checked, ok: keyMatches && checked.every((v) => v.match) });
  }
  const ok = models.length > 0 && models.every((m) => m.ok);
  return { expectedCodeHash: codeHash, vkDigest, ...(owner ? { owner } : {}), models, notChecked, ok };
}
