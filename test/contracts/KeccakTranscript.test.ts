import { readFileSync } from "node:fs";
import { expect } from "chai";
import fc from "fast-check";
import { network } from "hardhat";
import { bn254 } from "@noble/curves/bn254.js";
import { concatHex, stringToHex, type Hex } from "viem";
import { P, R } from "../../verifier/engine/bn254.js";
import { Transcript } from "../../verifier/transcript/index.js";
import {
  applyInput,
  bytesHex,
  hexWord,
  stepInput,
  wordHex,
  type TranscriptVectorFile,
  type VectorInput,
} from "../../verifier/transcript/vectors.js";
import { expectRejection } from "../helpers/assert.js";

const { viem } = await network.create();
const file = JSON.parse(
  readFileSync(new URL("../fixtures/transcript-vectors.json", import.meta.url), "utf8"),
) as TranscriptVectorFile;

// Labels as bytes31: ASCII, zero-padded on the right (viem pads strings on the right).
const label31 = (label: string): Hex => stringToHex(label, { size: 31 });

const OP = { scalars: 0, g1: 1, bytes: 2, challenge: 3 } as const;

function toOp(input: VectorInput): { kind: number; label: Hex; data: Hex; count: bigint } {
  const label = label31(input.label);
  switch (input.op) {
    case "scalars":
      return { kind: OP.scalars, label, data: concatHex(input.scalars as Hex[]), count: 0n };
    case "g1":
      return { kind: OP.g1, label, data: concatHex(input.points.flatMap((p) => [p.x, p.y]) as Hex[]), count: 0n };
    case "bytes":
      return { kind: OP.bytes, label, data: input.data as Hex, count: 0n };
    case "challenge":
      return { kind: OP.challenge, label, data: "0x", count: BigInt(input.count) };
  }
}

function tsRun(protocol: string, inputs: readonly VectorInput[]): { states: string[]; challenges: bigint[] } {
  const t = new Transcript(protocol);
  const states = [bytesHex(t.state)];
  const challenges: bigint[] = [];
  for (const input of inputs) {
    challenges.push(...applyInput(t, input));
    states.push(bytesHex(t.state));
  }
  return { states, challenges };
}

describe("KeccakTranscript.sol", () => {
  let harness: Awaited<ReturnType<typeof deploy>>;
  const deploy = () => viem.deployContract("TranscriptHarness");
  before(async () => {
    harness = await deploy();
  });

  // Typed by hand: tsconfig does not include Hardhat's generated artifact types.
  const run = async (
    protocol: string,
    inputs: readonly VectorInput[],
    viaCalldata: boolean,
  ): Promise<readonly [readonly Hex[], readonly bigint[]]> =>
    (await harness.read.run([label31(protocol), inputs.map(toOp), viaCalldata])) as readonly [readonly Hex[], readonly bigint[]];

  for (const viaCalldata of [false, true]) {
    const path = viaCalldata ? "calldata" : "memory";

    it(`reproduces every golden vector state by state (${path} entry points)`, async () => {
      for (const v of file.vectors) {
        const [states, outputs] = await run(v.protocol, v.steps.map(stepInput), viaCalldata);
        expect(states, v.name).to.deep.equal([v.initialState, ...v.steps.map((s) => s.state)]);
        expect(outputs.map(wordHex), v.name).to.deep.equal(v.steps.flatMap((s) => s.challenges ?? []));
      }
    });

    it(`reverts on every rejection vector with its named error (${path} entry points)`, async () => {
      for (const rej of file.rejections) {
        const err = await expectRejection(run(rej.protocol, [rej.input], viaCalldata), new RegExp(rej.error));
        expect(err.message, rej.name).to.match(new RegExp(rej.error));
      }
    });
  }

  it("absorbs a calldata uint256[] (public inputs) like the TS transcript, and rejects one ≥ r", async () => {
    const xs = [0n, 1n, R - 1n, 123456789n];
    const t = new Transcript("zkinfer-test-v1");
    t.absorbScalars("public inputs", xs);
    const onChain = await harness.read.absorbScalarArray([label31("zkinfer-test-v1"), label31("public inputs"), xs]);
    expect(onChain).to.equal(bytesHex(t.state));
    const empty = new Transcript("zkinfer-test-v1");
    empty.absorbScalars("public inputs", []);
    expect(await harness.read.absorbScalarArray([label31("zkinfer-test-v1"), label31("public inputs"), []])).to.equal(
      bytesHex(empty.state),
    );
    await expectRejection(
      harness.read.absorbScalarArray([label31("zkinfer-test-v1"), label31("public inputs"), [1n, R]]),
      /ScalarNotCanonical/,
    );
  });

  it("agrees with the TS transcript on random operation sequences", async () => {
    const scalar = fc.bigInt({ min: 0n, max: R - 1n });
    const label = fc.string({ minLength: 1, maxLength: 31, unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });
    const input: fc.Arbitrary<VectorInput> = fc.oneof(
      fc.record({ op: fc.constant("scalars" as const), label, scalars: fc.array(scalar.map(wordHex), { maxLength: 4 }) }),
      fc.record({
        op: fc.constant("g1" as const),
        label,
        points: fc.array(
          scalar.map((k) => {
            const a = bn254.G1.Point.BASE.multiply(k + 1n === R ? 1n : k + 1n).toAffine();
            return { x: wordHex(a.x), y: wordHex(a.y) };
          }),
          { maxLength: 3 },
        ),
      }),
      fc.record({ op: fc.constant("bytes" as const), label, data: fc.uint8Array({ maxLength: 90 }).map(bytesHex) }),
      fc.record({ op: fc.constant("challenge" as const), label, count: fc.integer({ min: 1, max: 4 }) }),
    );
    await fc.assert(
      fc.asyncProperty(label, fc.array(input, { minLength: 1, maxLength: 8 }), fc.boolean(), async (protocol, inputs, viaCalldata) => {
        const ts = tsRun(protocol, inputs);
        const [states, outputs] = await run(protocol, inputs, viaCalldata);
        expect(states).to.deep.equal(ts.states);
        expect(outputs).to.deep.equal(ts.challenges);
      }),
      { numRuns: 25 },
    );
  });

  it("changes the challenge when one absorbed byte or one label character changes", async () => {
    const inputs: VectorInput[] = [
      { op: "bytes", label: "vk", data: bytesHex(new Uint8Array(40).fill(7)) },
      { op: "scalars", label: "s", scalars: [wordHex(5n)] },
      { op: "challenge", label: "c", count: 1 },
    ];
    const [, [base]] = await run("zkinfer-test-v1", inputs, true);
    const flipped = new Uint8Array(40).fill(7);
    flipped[39] ^= 0x80;
    const variants: VectorInput[][] = [
      [{ ...inputs[0], data: bytesHex(flipped) } as VectorInput, inputs[1], inputs[2]],
      [inputs[0], { ...inputs[1], scalars: [wordHex(4n)] } as VectorInput, inputs[2]],
      [{ ...inputs[0], label: "vK" }, inputs[1], inputs[2]],
      [inputs[0], inputs[1], { ...inputs[2], label: "d" }],
    ];
    for (const variant of variants) {
      const [, [c]] = await run("zkinfer-test-v1", variant, true);
      expect(c).to.not.equal(base);
      expect(c).to.equal(tsRun("zkinfer-test-v1", variant).challenges[0]);
      expect(c < R).to.equal(true);
    }
  });

  it("reverts on a coordinate ≥ p and an off-curve point via the single-point entry", async () => {
    const [gx, gy] = [1n, 2n];
    const g1Op = (x: bigint, y: bigint): VectorInput => ({ op: "g1", label: "P", points: [{ x: wordHex(x), y: wordHex(y) }] });
    await expectRejection(run("zkinfer-test-v1", [g1Op(gx, gy + P)], false), /CoordinateNotInField/);
    await expectRejection(run("zkinfer-test-v1", [g1Op(gx + P, gy)], false), /CoordinateNotInField/);
    await expectRejection(run("zkinfer-test-v1", [g1Op(gx, gy + 1n)], false), /PointNotOnCurve/);
    await expectRejection(
      run("zkinfer-test-v1", [{ op: "scalars", label: "s", scalars: [wordHex(R)] }], false),
      /ScalarNotCanonical/,
    );
    // A packed buffer with a partial element is malformed, not silently truncated.
    await expectRejection(
      harness.read.run([label31("t"), [{ kind: OP.g1, label: label31("P"), data: "0x0001", count: 0n }], true]),
      /BadPackedLength/,
    );
    await expectRejection(
      harness.read.run([label31("t"), [{ kind: OP.challenge, label: label31("c"), data: "0x", count: 0n }], true]),
      /ZeroChallengeCount/,
    );
    expect(hexWord(wordHex(P))).to.equal(P);
  });

  it("costs little gas per operation", async () => {
    const points = concatHex(
      [2n, 3n, 4n, 5n].flatMap((k) => {
        const a = bn254.G1.Point.BASE.multiply(k).toAffine();
        return [wordHex(a.x), wordHex(a.y)] as Hex[];
      }),
    );
    const [scalar, g1, g1x4, one, four] = (await harness.read.gasProfile([points])) as readonly bigint[];
    console.log(
      `      gas: absorbScalar ${scalar}, absorbG1 ${g1}, absorbG1Packed(4 points) ${g1x4}, challenge ${one}, challenges(4) ${four}`,
    );
    expect(Number(scalar)).to.be.below(600);
    expect(Number(g1)).to.be.below(1000);
    expect(Number(one)).to.be.below(800);
    expect(Number(g1x4)).to.be.below(3000);
  });
});
