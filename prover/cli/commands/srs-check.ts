// zkinfer srs check <file.ptau>: validates a Powers-of-Tau file end to end.
import { checkPtau, SrsError, type PtauReport } from "../../srs/index.js";
import type { Command } from "../command.js";
import { EXIT, InputError } from "../errors.js";

export const srsCheck: Command = {
  path: ["srs", "check"],
  summary: "validate a Powers-of-Tau (.ptau) file",
  args: "<file.ptau>",
  positionals: { min: 1, max: 1 },
  description:
    "Reads a snarkjs .ptau file (plain or prepared for phase 2), checks its structure, that it is for BN254,\n" +
    "that every G1 power and [1]₂, [τ]₂ are valid points, and that the G1 powers are consecutive powers of\n" +
    "the τ in [τ]₂ (random-linear-combination pairing checks). Exit 1 if the points fail a check, 2 if the\n" +
    "file is unreadable or malformed.",
  async run({ positionals, stage }) {
    let report: PtauReport;
    const checking = stage(`check ${positionals[0]}`);
    try {
      report = await checkPtau(positionals[0], { onProgress: (done, total) => checking.update(done / total, `${done} of ${total} G1 powers`) });
    } catch (err) {
      if (err instanceof SrsError) throw new InputError(err.message, { cause: err });
      throw err;
    }
    checking.done();
    return { exitCode: report.valid ? EXIT.ok : EXIT.checkFailed, json: report, text: describe(report) };
  },
};

function describe(r: PtauReport): string {
  const contributions = r.contributions === undefined ? "" : `, ${r.contributions} contribution${r.contributions === 1 ? "" : "s"}`;
  const lines = [
    `${r.path}: ${r.curve} Powers of Tau, power ${r.power} (ceremony power ${r.ceremonyPower})` +
      `${r.prepared ? ", prepared for phase 2" : ""}${contributions}`,
    ...r.sections.map(
      (s) => `  section ${String(s.id).padStart(2)}  ${s.name.padEnd(18)} ${s.points === undefined ? `${s.bytes} bytes` : `${s.points} point${s.points === 1 ? "" : "s"}`}`,
    ),
    `checked ${r.checked.g1Powers} G1 powers and [1]₂, [τ]₂`,
  ];
  if (r.valid) lines.push("valid");
  else lines.push("INVALID:", ...r.reasons.map((reason) => `  - ${reason}`));
  return lines.join("\n");
}
