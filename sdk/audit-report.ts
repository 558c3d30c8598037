// The audit report as text and as JSON (bigints as decimal strings), shared by the Hardhat audit
// task and `zkinfer audit`. Every record checked by a verifier built on a development SRS says so
// on its own lines, in capitals; a private input is named as such, never shown as a hash.
import type { AuditRecordsReturnType } from "./actions/auditRecords.js";
import type { CheckVerifierCodeReturnType } from "./actions/checkVerifierCode.js";

/** The warning every record (and version) built on a development SRS carries. */
export const INSECURE_RECORD_WARNING =
  "INSECURE: checked by a verifier built on a development SRS (--dev-srs), whose secret is known: this record PROVES NOTHING";

const bigintsAsStrings = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));

export function auditReportJson(registry: string, report: AuditRecordsReturnType, check?: CheckVerifierCodeReturnType): unknown {
  return bigintsAsStrings({
    registry,
    models: report.models.map(({ model, versions, records }) => ({
      ...model,
      versions: versions.map((v) => ({ ...v, ...(v.insecureDevSrs ? { warning: INSECURE_RECORD_WARNING } : {}) })),
      recordCount: records.length,
      records: records.map((r) => ({ ...r, ...(r.insecureDevSrs ? { warning: INSECURE_RECORD_WARNING } : {}) })),
    })),
    ...(check ? { check } : {}),
  });
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

export function auditReportText(registry: string, report: AuditRecordsReturnType, check?: CheckVerifierCodeReturnType): string {
  const lines = [`registry ${registry}: ${plural(report.models.length, "model")}`];
  for (const { model, versions, records } of report.models) {
    lines.push(
      "",
      `model ${model.id}${model.deprecated ? " (deprecated)" : ""}`,
      `  owner ${model.owner}${/^0x0+$/.test(model.pendingOwner) ? "" : ` (proposed owner ${model.pendingOwner})`}, vk digest ${model.vkDigest}`,
      ...(model.metadataURI ? [`  metadata ${model.metadataURI}`] : []),
      ...(model.layout.inputCount === 0 ? ["  input private: records hold no digest of the input, only of the outputs"] : []),
    );
    for (const v of versions) {
      lines.push(
        `  version ${v.version}${v.version === model.currentVersion ? " (current)" : ""}, from block ${v.firstBlock}: verifier ${v.verifier}, code hash ${v.codeHash}, ${plural(v.recordCount, "record")}`,
        ...(v.insecureDevSrs ? [`    ${INSECURE_RECORD_WARNING.replace("this record PROVES", "its records PROVE")}`] : []),
      );
    }
    lines.push(`  ${plural(records.length, "record")}`);
    for (const r of records) {
      lines.push(
        `  record ${r.id}`,
        ...(r.insecureDevSrs ? [`    *** ${INSECURE_RECORD_WARNING} ***`] : []),
        `    version ${r.version}, block ${r.blockNumber} (${new Date(Number(r.timestamp) * 1000).toISOString()}), submitter ${r.submitter}, tx ${r.transactionHash}`,
        `    ${r.inputIsPrivate ? "input private" : `input hash ${r.inputHash}`}, output hash ${r.outputHash}${r.outputs.length ? `, outputs [${r.outputs.join(", ")}]` : ""}`,
        ...(/^0x0+$/.test(r.reference) ? [] : [`    reference ${r.reference}`]),
      );
    }
  }
  if (check) lines.push("", ...checkText(check));
  return lines.join("\n");
}

/** The verifier-code check, one line per version: match or MISMATCH. */
export function checkText(check: CheckVerifierCodeReturnType): string[] {
  const lines = [`verifier code check: the verifier generated from key ${check.vkDigest} has code hash ${check.expectedCodeHash}`];
  if (check.models.length === 0) lines.push("  MISMATCH: no model of this registry has that key");
  for (const m of check.models) {
    if (!m.keyMatches) {
      lines.push(`  model ${m.modelId}: MISMATCH: registered with key ${m.vkDigest}, not the artifacts' key`);
      continue;
    }
    for (const v of m.versions) {
      const what = `model ${m.modelId} version ${v.version} (verifier ${v.verifier}, ${plural(v.recordCount, "record")})`;
      lines.push(v.match ? `  ${what}: match` : `  ${what}: MISMATCH: pinned code hash ${v.pinnedCodeHash}`);
    }
  }
  lines.push(check.ok ? "result: every version matches" : "result: MISMATCH: a version's verifier is not the code generated from these artifacts");
  return lines;
}
