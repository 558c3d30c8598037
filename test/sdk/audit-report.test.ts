// The audit report an auditor reads (`zkinfer audit`, the Hardhat audit task): every output, as
// numbers when the key's full layout is given (and only when its digest is the model's), the
// submitter and the version's verifier pin on every record, and the dev-SRS warning once per model.
import { expect } from "chai";
import { bytesToHex, type Hex } from "viem";
import { R } from "../../verifier/engine/constants.js";
import { publicInputLayoutDigest, type PublicInputLayout } from "../../verifier/plonkish/index.js";
import { auditReportJson, auditReportText, type AuditRecordsReturnType, type InferenceRecord } from "../../sdk/index.js";

const OUTPUTS = 12;
const layout = (scale: number): PublicInputLayout => ({
  count: 2 + OUTPUTS,
  ranges: [
    { role: "input", visibility: "public", offset: 0, count: 2, bits: 0, scales: [] },
    { role: "output", visibility: "public", offset: 2, count: OUTPUTS, bits: 0, scales: [{ count: OUTPUTS, scale }] },
  ],
});
const honest = layout(2);
const word = (n: number): Hex => `0x${n.toString(16).padStart(64, "0")}`;
const SUBMITTER = "0x70997970C51812dc3A010C7d01b50e0d4bcF5A7f";
const VERIFIER = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
// -4, 5, -8, 9, …: the field elements of signed integers; over 2^2 they are -1, 1.25, -2, 2.25, …
const outputs = Array.from({ length: OUTPUTS }, (_, i) => (i % 2 ? BigInt(4 * i + 1) : R - BigInt(4 * (i + 1))));

function report(insecure: boolean, records = 3): AuditRecordsReturnType {
  const modelId = word(1);
  const version = { version: 1, modelId, verifier: VERIFIER, codeHash: word(7), vkDigest: word(2), insecureDevSrs: insecure, firstBlock: 1n, previous: 0 } as const;
  const recs: InferenceRecord[] = Array.from({ length: records }, (_, i) => ({
    id: word(100 + i),
    modelId,
    seq: BigInt(i),
    version: 1,
    verifier: VERIFIER,
    codeHash: word(7),
    insecureDevSrs: insecure,
    publicInputDigest: word(3),
    inputHash: word(4),
    inputIsPrivate: false,
    inputNotDeclared: false,
    outputHash: word(5),
    outputs,
    reference: word(0),
    submitter: SUBMITTER,
    nonce: 1n,
    blockNumber: 2n,
    timestamp: 1_700_000_000n,
    transactionHash: word(6),
    logIndex: 0,
  }));
  return {
    models: [
      {
        model: {
          id: modelId,
          owner: SUBMITTER,
          pendingOwner: `0x${"00".repeat(20)}`,
          deprecated: false,
          registeredAtBlock: 1n,
          vkDigest: word(2),
          layout: { count: 2 + OUTPUTS, inputOffset: 0, inputCount: 2, outputOffset: 2, outputCount: OUTPUTS },
          layoutDigest: bytesToHex(publicInputLayoutDigest(honest)),
          publicInputsDeclared: true,
          metadataURI: "",
          currentVersion: 1,
          versions: [1],
        },
        versions: [{ ...version, recordCount: records }],
        records: recs,
        storedRecordCount: records,
        countChecked: true,
      },
    ],
  };
}

const VALUES = outputs.map((x) => Number(x > R / 2n ? x - R : x) / 4);

describe("audit report", () => {
  it("shows every output as a number with the key's scales, the submitter and the version's verifier pin, in text and JSON", () => {
    const text = auditReportText(VERIFIER, report(false), undefined, { layouts: [honest] });
    expect(VALUES.slice(0, 3)).to.deep.equal([-1, 1.25, -3]);
    expect(text).to.include(`outputs [${VALUES.join(", ")}]`);
    expect(text).to.include(`submitter ${SUBMITTER}`).and.include(`version 1: verifier ${VERIFIER}, pinned code hash ${word(7)}`);
    expect(text).to.not.match(/INSECURE/);
    const json = auditReportJson(VERIFIER, report(false), undefined, { layouts: [honest] }) as {
      models: { outputsScaled: boolean; records: { outputValues: number[]; outputsSigned: string[]; submitter: string; version: number; verifier: string; codeHash: string }[] }[];
    };
    const [r] = json.models[0].records;
    expect(json.models[0].outputsScaled).to.equal(true);
    expect(r.outputValues).to.deep.equal(VALUES);
    expect(r.outputsSigned.map(Number)).to.deep.equal(VALUES.map((v) => v * 4));
    expect([r.submitter, r.version, r.verifier, r.codeHash]).to.deep.equal([SUBMITTER, 1, VERIFIER, word(7)]);
  });

  it("without the key's layout (or with another one), shows the signed fixed-point integers and says how to get the values", () => {
    for (const layouts of [[], [layout(3)]]) {
      const text = auditReportText(VERIFIER, report(false), undefined, { layouts });
      expect(text).to.include(`outputs (fixed point) [${VALUES.map((v) => v * 4).join(", ")}]`);
      expect(text).to.include("give the model directory (--artifacts <dir>) for their values");
      const json = auditReportJson(VERIFIER, report(false), undefined, { layouts }) as { models: { outputsScaled: boolean; records: { outputValues: null }[] }[] };
      expect(json.models[0].outputsScaled).to.equal(false);
      expect(json.models[0].records[0].outputValues).to.equal(null);
    }
  });

  it("warns once per model built on a development SRS, not once per record, and marks each record", () => {
    const text = auditReportText(VERIFIER, report(true, 3), undefined, { layouts: [honest] });
    expect(text.match(/PROVE NOTHING/g)?.length).to.equal(1);
    expect(text).to.match(/\*\*\* INSECURE: version 1 of this model: a verifier built on a development SRS .* these records PROVE NOTHING \(3 records\) \*\*\*/);
    expect(text.match(/^ {2}record 0x[0-9a-f]{64} \(position \d+ of the model\) \(INSECURE: development SRS, see above\)$/gm)?.length).to.equal(3);
    const json = auditReportJson(VERIFIER, report(true, 3)) as { models: { warning: string; records: { insecureDevSrs: boolean; warning?: string }[] }[] };
    expect(json.models[0].warning).to.match(/PROVE NOTHING/);
    expect(json.models[0].records.every((r) => r.insecureDevSrs && r.warning === undefined)).to.equal(true);
  });
});
