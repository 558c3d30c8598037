// The audit report as text and as JSON (bigints as decimal strings), shared by the Hardhat audit
// task and `zkinfer audit`. Every record checked by a verifier built on a development SRS says so
// on its own lines, in capitals; a private input is named as such, never shown as a hash, and an
// input the model's key does not declare is named so, not as private. With a
// verifier-code check, the records of a model the check left out are not shown (the model is named
// in the check section with why), so nothing unchecked appears under a passing result.
import type { AuditedModel, AuditRecordsReturnType } from "./actions/auditRecords.js";
import type { CheckVerifierCodeReturnType } from "./actions/checkVerifierCode.js";

/** The warning every record (and version) built on a development SRS carries. */
export const INSECURE_RECORD_WARNING =
  "INSECURE: checked by a verifier built on a development SRS (--dev-srs), whose secret is known: this record PROVES NOTHING";

const bigintsAsStrings = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));

/** The report's models whose records are shown: all of them, or with a check only those it covered. */
function shownModels(report: AuditRecordsReturnType, check?: CheckVerifierCodeReturnType): AuditedModel[] {
  if (!check) return report.models;
  const left = new Set(check.notChecked.map((m) => m.modelId));
  return report.models.filter(({ model }) => !left.has(model.id));
}

export function auditReportJson(registry: string, report: AuditRecordsReturnType, check?: CheckVerifierCodeReturnType): unknown {
  return bigintsAsStrings({
    registry,
    models: shownModels(report, check).map(({ model, versions, records, storedRecordCount, countChecked }) => ({
      ...model,
      versions: versions.map((v) => ({ ...v, ...(v.insecureDevSrs ? { warning: INSECURE_RECORD_WARNING } : {}) })),
      recordCount: records.length,
      storedRecordCount,
      countChecked,
      records: records.map((r) => ({ ...r, ...(r.insecureDevSrs ? { warning: INSECURE_RECORD_WARNING } : {}) })),
    })),
    ...(check ? { check } : {}),
  });
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

export function auditReportText(registry: string, report: AuditRecordsReturnType, check?: CheckVerifierCodeReturnType): string {
  const shown = shownModels(report, check);
  const left = report.models.length - shown.length;
  const lines = [`registry ${registry}: ${plural(report.models.length, "model")}${left ? ` (${left} not checked against the artifacts: named in the check section, their records not shown)` : ""}`];
  for (const { model, versions, records, storedRecordCount, countChecked } of shown) {
    lines.push(
      "",
      `model ${model.id}${model.deprecated ? " (deprecated)" : ""}`,
      `  owner ${model.owner}${/^0x0+$/.test(model.pendingOwner) ? "" : ` (proposed owner ${model.pendingOwner})`}, vk digest ${model.vkDigest}`,
      ...(model.metadataURI ? [`  metadata ${model.metadataURI}`] : []),
      ...(!model.publicInputsDeclared
        ? ["  input not declared: the model's key declares no meaning for its public inputs, so its records name no input (it is not shown to be private) and no outputs"]
        : model.layout.inputCount === 0
          ? ["  input private: records hold no digest of the input, only of the outputs"]
          : []),
    );
    for (const v of versions) {
      lines.push(
        `  version ${v.version}${v.version === model.currentVersion ? " (current)" : ""}, from block ${v.firstBlock}: verifier ${v.verifier}, code hash ${v.codeHash}, ${plural(v.recordCount, "record")}`,
        ...(v.insecureDevSrs ? [`    ${INSECURE_RECORD_WARNING.replace("this record PROVES", "its records PROVE")}`] : []),
      );
    }
    lines.push(
      countChecked
        ? `  ${plural(records.length, "record")}`
        : `  ${plural(records.length, "record")} found from the given block on; the list may be partial (the registry counts ${storedRecordCount} in all; searched from after the model's registration, so the records made before it are not shown; every record made from it on was checked to be there)`,
    );
    for (const r of records) {
      lines.push(
        `  record ${r.id} (position ${r.seq} of the model)`,
        ...(r.insecureDevSrs ? [`    *** ${INSECURE_RECORD_WARNING} ***`] : []),
        `    version ${r.version}, block ${r.blockNumber} (${new Date(Number(r.timestamp) * 1000).toISOString()}), submitter ${r.submitter}, tx ${r.transactionHash}`,
        `    ${r.inputNotDeclared ? "input not declared" : r.inputIsPrivate ? "input private" : `input hash ${r.inputHash}`}, output hash ${r.outputHash}${r.outputs.length ? `, outputs [${r.outputs.join(", ")}]` : ""}`,
        ...(/^0x0+$/.test(r.reference) ? [] : [`    reference ${r.reference}`]),
      );
    }
  }
  if (check) lines.push("", ...checkText(check));
  return lines.join("\n");
}

/** The verifier-code check: a verdict per checked model (match or MISMATCH per version), every model left out, the result. */
export function checkText(check: CheckVerifierCodeReturnType): string[] {
  const scope = check.owner ? `, models owned by ${check.owner}` : "";
  const lines = [`verifier code check: the verifier generated from key ${check.vkDigest} has code hash ${check.expectedCodeHash}${scope}`];
  for (const m of check.models) {
    if (!m.keyMatches) {
      lines.push(`  model ${m.modelId}: MISMATCH: registered with key ${m.vkDigest}, not the artifacts' key`);
      continue;
    }
    for (const v of m.versions) {
      const what = `model ${m.modelId} version ${v.version} (verifier ${v.verifier}, ${plural(v.recordCount, "record")})`;
      lines.push(v.match ? `  ${what}: match` : `  ${what}: MISMATCH: pinned code hash ${v.pinnedCodeHash}`);
    }
    lines.push(`  model ${m.modelId} (owner ${m.owner}): ${m.ok ? "every version matches" : "MISMATCH"}`);
  }
  for (const m of check.notChecked) {
    const why = m.reason === "key" ? `key ${m.vkDigest} differs from the artifacts'` : `owner ${m.owner} differs`;
    lines.push(`  model ${m.modelId}: not checked: ${why} (${plural(m.recordCount, "record")}, not shown)`);
  }
  const bad = check.models.filter((m) => !m.ok);
  const unchecked = check.notChecked.length ? `; ${plural(check.notChecked.length, "model")} not checked` : "";
  if (check.models.length === 0) {
    lines.push(`result: MISMATCH: no model of this registry${check.owner ? ` owned by ${check.owner}` : ""} has that key${unchecked}`);
  } else if (bad.length === 0) {
    lines.push(`result: every version of the ${plural(check.models.length, "checked model")} matches${unchecked}`);
  } else {
    const good = check.models.length - bad.length;
    lines.push(
      `result: MISMATCH in ${plural(bad.length, "model")} (${bad.map((m) => m.modelId).join(", ")}): a version's verifier is not the code generated from these artifacts` +
        `${good ? `; every version of the ${plural(good, "other checked model")} matches` : ""}${unchecked} (--model or --owner narrows the check)`,
    );
  }
  return lines;
}
