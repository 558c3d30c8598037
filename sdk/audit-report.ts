// The audit report as text and as JSON (bigints as decimal strings), shared by the Hardhat audit
// task and `zkinfer audit`. A model with a version built on a development SRS carries the warning
// once, in capitals, and each of those versions' records a short INSECURE mark; a private input is
// named as such, never shown as a hash, and an input the model's key does not declare is named so,
// not as private. Every record shows all its outputs: as numbers when the key's full layout (with
// its scales) is given and its digest is the model's, else as the signed fixed-point integers the
// field elements encode. With a verifier-code check, the records of a model the check left out are
// not shown (the model is named in the check section with why), so nothing unchecked appears under
// a passing result.
import { bytesToHex } from "viem";
import { R } from "../verifier/engine/constants.js";
import { publicInputLayoutDigest, type PublicInputLayout as FullLayout } from "../verifier/plonkish/index.js";
import type { AuditedModel, AuditRecordsReturnType } from "./actions/auditRecords.js";
import type { CheckVerifierCodeReturnType } from "./actions/checkVerifierCode.js";
import { dequantizeOutputs } from "./output-values.js";
import type { InferenceRecord, ModelInfo } from "./records.js";

/** The warning a model with a version built on a development SRS carries (once, not per record). */
export const INSECURE_RECORD_WARNING =
  "INSECURE: checked by a verifier built on a development SRS (--dev-srs), whose secret is known: these records PROVE NOTHING";

export interface AuditReportOptions {
  /**
   * Full public-input layouts (vk.json's "publicInputLayout", e.g. `loadModelArtifacts(dir).publicInputLayout`):
   * a model whose layout digest is one of theirs has its outputs shown as numbers (dequantized with the
   * layout's scales). A layout of another digest is never used.
   */
  layouts?: readonly FullLayout[];
}

/** How a report shows one model's outputs: dequantized with a digest-checked layout, or as signed integers. */
interface OutputView {
  /** A layout of the model's digest was given. */
  scaled: boolean;
  /** The outputs are public values (not a hash or absent) as far as the layout says. */
  values: (r: InferenceRecord) => number[] | undefined;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

const signed = (x: bigint): bigint => (x > R / 2n ? x - R : x);

function outputView(model: ModelInfo, layouts: readonly FullLayout[]): OutputView {
  const layout = layouts.find((l) => bytesToHex(publicInputLayoutDigest(l)).toLowerCase() === model.layoutDigest.toLowerCase());
  if (!layout) return { scaled: false, values: () => undefined };
  return { scaled: true, values: (r) => dequantizeOutputs({ layout, layoutDigest: model.layoutDigest, outputs: r.outputs }) };
}

/** The versions of a model built on a development SRS, or undefined when none is. */
function insecureWarning(versions: AuditedModel["versions"]): string | undefined {
  const bad = versions.filter((v) => v.insecureDevSrs);
  if (!bad.length) return undefined;
  const which = `version${bad.length === 1 ? "" : "s"} ${bad.map((v) => v.version).join(", ")}`;
  return `${INSECURE_RECORD_WARNING.replace("checked by a verifier", `${which} of this model: a verifier`)} (${plural(bad.reduce((n, v) => n + v.recordCount, 0), "record")})`;
}

const bigintsAsStrings = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));

/** The report's models whose records are shown: all of them, or with a check only those it covered. */
function shownModels(report: AuditRecordsReturnType, check?: CheckVerifierCodeReturnType): AuditedModel[] {
  if (!check) return report.models;
  const left = new Set(check.notChecked.map((m) => m.modelId));
  return report.models.filter(({ model }) => !left.has(model.id));
}

export function auditReportJson(registry: string, report: AuditRecordsReturnType, check?: CheckVerifierCodeReturnType, options: AuditReportOptions = {}): unknown {
  return bigintsAsStrings({
    registry,
    models: shownModels(report, check).map(({ model, versions, records, storedRecordCount, countChecked }) => {
      const view = outputView(model, options.layouts ?? []);
      const warning = insecureWarning(versions);
      return {
        ...model,
        ...(warning ? { warning } : {}),
        outputsScaled: view.scaled,
        versions,
        recordCount: records.length,
        storedRecordCount,
        countChecked,
        records: records.map((r) => ({ ...r, outputsSigned: r.outputs.map(signed), outputValues: view.values(r) ?? null })),
      };
    }),
    ...(check ? { check } : {}),
  });
}

export function auditReportText(registry: string, report: AuditRecordsReturnType, check?: CheckVerifierCodeReturnType, options: AuditReportOptions = {}): string {
  const shown = shownModels(report, check);
  const left = report.models.length - shown.length;
  const lines = [`registry ${registry}: ${plural(report.models.length, "model")}${left ? ` (${left} not checked against the artifacts: named in the check section, their records not shown)` : ""}`];
  for (const { model, versions, records, storedRecordCount, countChecked } of shown) {
    const view = outputView(model, options.layouts ?? []);
    const warning = insecureWarning(versions);
    lines.push(
      "",
      `model ${model.id}${model.deprecated ? " (deprecated)" : ""}`,
      ...(warning ? [`  *** ${warning} ***`] : []),
      `  owner ${model.owner}${/^0x0+$/.test(model.pendingOwner) ? "" : ` (proposed owner ${model.pendingOwner})`}, vk digest ${model.vkDigest}`,
      ...(model.metadataURI ? [`  metadata ${model.metadataURI}`] : []),
      ...(!model.publicInputsDeclared
        ? ["  input not declared: the model's key declares no meaning for its public inputs, so its records name no input (it is not shown to be private) and no outputs"]
        : model.layout.inputCount === 0
          ? ["  input private: records hold no digest of the input, only of the outputs"]
          : []),
      ...(model.publicInputsDeclared && model.layout.outputCount > 0 && !view.scaled
        ? ["  outputs shown as the signed fixed-point integers the proof holds: give the model directory (--artifacts <dir>) for their values"]
        : []),
    );
    for (const v of versions) {
      lines.push(
        `  version ${v.version}${v.version === model.currentVersion ? " (current)" : ""}, from block ${v.firstBlock}: verifier ${v.verifier}, code hash ${v.codeHash}, ${plural(v.recordCount, "record")}${v.insecureDevSrs ? " (INSECURE: development SRS)" : ""}`,
      );
    }
    lines.push(
      countChecked
        ? `  ${plural(records.length, "record")}`
        : `  ${plural(records.length, "record")} found from the given block on; the list may be partial (the registry counts ${storedRecordCount} in all; searched from after the model's registration, so the records made before it are not shown; every record made from it on was checked to be there)`,
    );
    for (const r of records) {
      const values = view.values(r);
      const outputs = !r.outputs.length
        ? []
        : values
          ? [`    outputs [${values.join(", ")}]`]
          : [`    ${view.scaled ? "output commitment" : "outputs (fixed point)"} [${r.outputs.map((x) => (view.scaled ? x : signed(x))).join(", ")}]`];
      lines.push(
        `  record ${r.id} (position ${r.seq} of the model)${r.insecureDevSrs ? " (INSECURE: development SRS, see above)" : ""}`,
        `    submitter ${r.submitter}, block ${r.blockNumber} (${new Date(Number(r.timestamp) * 1000).toISOString()}), tx ${r.transactionHash}`,
        `    version ${r.version}: verifier ${r.verifier}, pinned code hash ${r.codeHash}`,
        `    ${r.inputNotDeclared ? "input not declared" : r.inputIsPrivate ? "input private" : `input hash ${r.inputHash}`}, output hash ${r.outputHash}`,
        ...outputs,
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
