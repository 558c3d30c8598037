// The audit report as text and as JSON (bigints as decimal strings), shared by the Hardhat audit
// task and `zkinfer audit`.
import type { AuditRecordsReturnType } from "./actions/auditRecords.js";

export function auditReportJson(registry: string, report: AuditRecordsReturnType): unknown {
  return JSON.parse(
    JSON.stringify({ registry, models: report.models.map(({ model, records }) => ({ ...model, recordCount: records.length, records })) }, (_k, v: unknown) =>
      typeof v === "bigint" ? v.toString() : v,
    ),
  );
}

export function auditReportText(registry: string, report: AuditRecordsReturnType): string {
  const lines = [`registry ${registry}: ${report.models.length} model${report.models.length === 1 ? "" : "s"}`];
  for (const { model, records } of report.models) {
    lines.push(
      "",
      `model ${model.id}${model.deprecated ? " (deprecated)" : ""}`,
      `  owner ${model.owner}, verifier ${model.verifier}, vk digest ${model.vkDigest}`,
      ...(model.metadataURI ? [`  metadata ${model.metadataURI}`] : []),
      `  ${records.length} record${records.length === 1 ? "" : "s"}`,
    );
    for (const r of records) {
      lines.push(
        `  record ${r.id}`,
        `    block ${r.blockNumber} (${new Date(Number(r.timestamp) * 1000).toISOString()}), submitter ${r.submitter}, tx ${r.transactionHash}`,
        `    input hash ${r.inputHash}, output hash ${r.outputHash}${r.outputs.length ? `, outputs [${r.outputs.join(", ")}]` : ""}`,
        ...(/^0x0+$/.test(r.reference) ? [] : [`    reference ${r.reference}`]),
      );
    }
  }
  return lines.join("\n");
}
