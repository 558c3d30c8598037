import { readFileSync } from "node:fs";
import { expect } from "chai";
import fc from "fast-check";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bn254 } from "@noble/curves/bn254.js";
import { getEngine, releaseEngine, P, R } from "../../../verifier/engine/bn254.js";
import { EncodingError, encodeG1, g1FromNoble } from "../../../verifier/engine/encoding.js";
import { Transcript, TranscriptError } from "../../../verifier/transcript/index.js";
import {
  applyInput,
  bytesHex,
  hexWord,
  stepInput,
  wordHex,
  type TranscriptVectorFile,
  type VectorInput,
} from "../../../verifier/transcript/vectors.js";

const FIXTURE = new URL("../../fixtures/transcript-vectors.json", import.meta.url);
const file = JSON.parse(readFileSync(FIXTURE, "utf8")) as TranscriptVectorFile;

/** Replays inputs from a fresh transcript; returns the final state and every challenge. */
function replay(protocol: string, inputs: readonly VectorInput[]): { state: string; challenges: bigint[] } {
  const t = new Transcript(protocol);
  const challenges = inputs.flatMap((input) => applyInput(t, input));
  return { state: bytesHex(t.state), challenges };
}

// The transcript written again straight from docs/protocol.md §2, with plain byte concatenation,
// so the implementation and the document are checked against each other.
function fromSpec(protocol: string, ops: readonly VectorInput[]): bigint[] {
  const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
  const hdr = (label: string, tag: number): number[] => [...ascii(label), ...Array(31 - label.length).fill(0), tag];
  const u256 = (v: bigint): number[] => [...Buffer.from(v.toString(16).padStart(64, "0"), "hex")];
  const H = (bytes: number[]): number[] => [...keccak_256(Uint8Array.from(bytes))];
  const num = (h: number[]): bigint => BigInt("0x" + Buffer.from(h).toString("hex"));
  let state = H([...Array(32).fill(0), ...hdr(protocol, 1)]);
  const out: bigint[] = [];
  for (const op of ops) {
    if (op.op === "scalars") state = H([...state, ...hdr(op.label, 2), ...op.scalars.flatMap((s) => u256(hexWord(s)))]);
    if (op.op === "g1") {
      state = H([...state, ...hdr(op.label, 3), ...op.points.flatMap((p) => [...u256(hexWord(p.x)), ...u256(hexWord(p.y))])]);
    }
    if (op.op === "bytes") state = H([...state, ...hdr(op.label, 4), ...Buffer.from(op.data.slice(2), "hex")]);
    if (op.op === "challenge") {
      state = H([...state, ...hdr(op.label, 5), ...u256(BigInt(op.count))]);
      const squeeze = (i: number): bigint => num(H([...state, ...Array(31).fill(0), 6, ...u256(BigInt(i))]));
      for (let i = 0; i < op.count; i++) out.push(((squeeze(2 * i) << 256n) + squeeze(2 * i + 1)) % R);
    }
  }
  return out;
}

const plonk = file.vectors.find((v) => v.name.includes("PLONK"))!;
const plonkInputs = plonk.steps.map(stepInput);
const plonkChallenges = replay(plonk.protocol, plonkInputs).challenges;

describe("transcript", () => {
  after(releaseEngine);

  it("reproduces every committed golden vector, state by state", () => {
    expect(file.vectors.length).to.be.greaterThan(4);
    for (const v of file.vectors) {
      const t = new Transcript(v.protocol);
      expect(bytesHex(t.state), v.name).to.equal(v.initialState);
      for (const [i, step] of v.steps.entries()) {
        const out = applyInput(t, stepInput(step));
        expect(bytesHex(t.state), `${v.name}, step ${i}`).to.equal(step.state);
        expect(out.map(wordHex), `${v.name}, step ${i}`).to.deep.equal(step.challenges ?? []);
      }
    }
  });

  it("matches an independent re-implementation of the written specification", () => {
    for (const v of file.vectors) {
      const inputs = v.steps.map(stepInput);
      expect(fromSpec(v.protocol, inputs), v.name).to.deep.equal(replay(v.protocol, inputs).challenges);
    }
  });

  it("rejects every committed rejection vector with an EncodingError", () => {
    for (const rej of file.rejections) {
      const t = new Transcript(rej.protocol);
      const before = bytesHex(t.state);
      expect(() => applyInput(t, rej.input), rej.name).to.throw(EncodingError);
      // A rejected absorb leaves the state untouched.
      expect(bytesHex(t.state)).to.equal(before);
    }
  });

  it("gives challenges below r", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.integer({ min: 1, max: 8 }), (data, k) => {
        const t = new Transcript("zkinfer-test-v1");
        t.absorbBytes("data", data);
        for (const c of t.challenges("c", k)) expect(c >= 0n && c < R).to.equal(true);
      }),
      { numRuns: 200 },
    );
  });

  it("changes every later challenge when any absorbed byte changes", () => {
    for (const [i, input] of plonkInputs.entries()) {
      if (input.op === "challenge") continue;
      const bytes =
        input.op === "bytes"
          ? input.data
          : input.op === "scalars"
            ? "0x" + input.scalars.map((s) => s.slice(2)).join("")
            : "0x" + input.points.map((p) => p.x.slice(2) + p.y.slice(2)).join("");
      const nBytes = (bytes.length - 2) / 2;
      for (let b = 0; b < nBytes; b++) {
        const flipped = Buffer.from(bytes.slice(2), "hex");
        flipped[b] ^= 1 << b % 8;
        const h = "0x" + flipped.toString("hex");
        const words = (w: number): string[] => Array.from({ length: nBytes / w }, (_, j) => "0x" + h.slice(2 + 2 * w * j, 2 + 2 * w * (j + 1)));
        const changed: VectorInput =
          input.op === "bytes"
            ? { ...input, data: h }
            : input.op === "scalars"
              ? { ...input, scalars: words(32) }
              : { ...input, points: words(64).map((p) => ({ x: p.slice(0, 66), y: "0x" + p.slice(66) })) };
        const inputs = plonkInputs.map((x, j) => (j === i ? changed : x));
        let challenges: bigint[];
        try {
          challenges = replay(plonk.protocol, inputs).challenges;
        } catch (err) {
          // A flipped coordinate is almost never on the curve; rejection is the other allowed outcome.
          expect(err, `step ${i} byte ${b}`).to.be.instanceOf(EncodingError);
          continue;
        }
        // Every challenge after the changed step differs.
        const firstAfter = plonkInputs.slice(0, i).reduce((n, x) => n + (x.op === "challenge" ? x.count : 0), 0);
        for (let c = firstAfter; c < challenges.length; c++) {
          expect(challenges[c], `step ${i} byte ${b} challenge ${c}`).to.not.equal(plonkChallenges[c]);
        }
      }
    }
  });

  it("changes the challenges when a point is replaced by its negation", () => {
    const i = plonkInputs.findIndex((x) => x.op === "g1");
    const input = plonkInputs[i] as Extract<VectorInput, { op: "g1" }>;
    const negated = input.points.map((p, j) => (j === 0 ? { x: p.x, y: wordHex(P - hexWord(p.y)) } : p));
    const out = replay(plonk.protocol, plonkInputs.map((x, j) => (j === i ? { ...input, points: negated } : x)));
    expect(out.challenges[0]).to.not.equal(plonkChallenges[0]);
  });

  it("changes the challenges when any label, the protocol label or a count changes", () => {
    const last = plonkChallenges[plonkChallenges.length - 1];
    for (const [i, input] of plonkInputs.entries()) {
      for (let c = 0; c < input.label.length; c++) {
        const code = input.label.charCodeAt(c);
        const label = input.label.slice(0, c) + String.fromCharCode(code === 0x7e ? 0x20 : code + 1) + input.label.slice(c + 1);
        const out = replay(plonk.protocol, plonkInputs.map((x, j) => (j === i ? { ...x, label } : x)));
        expect(out.challenges[out.challenges.length - 1], `step ${i} label char ${c}`).to.not.equal(last);
      }
      // Appending a character changes the length, which zero padding must not hide.
      if (input.label.length < 31) {
        const out = replay(plonk.protocol, plonkInputs.map((x, j) => (j === i ? { ...x, label: x.label + " " } : x)));
        expect(out.challenges[out.challenges.length - 1]).to.not.equal(last);
      }
    }
    expect(replay("zkinfer-plonk-v2", plonkInputs).challenges[0]).to.not.equal(plonkChallenges[0]);
    // challenges("beta gamma", 2) then one more is not the same as asking for 3 at once.
    const k = plonkInputs.findIndex((x) => x.op === "challenge" && x.count === 2);
    const three = replay(plonk.protocol, plonkInputs.map((x, j) => (j === k ? { ...x, count: 3 } : x)));
    expect(three.challenges[0]).to.not.equal(plonkChallenges[0]);
  });

  it("chains challenges: the same label twice gives different values, and order matters", () => {
    const t = new Transcript("zkinfer-test-v1");
    const a = t.challenge("x");
    const b = t.challenge("x");
    expect(a).to.not.equal(b);
    const u = new Transcript("zkinfer-test-v1");
    u.absorbScalar("s", 1n);
    u.absorbScalar("t", 2n);
    const v = new Transcript("zkinfer-test-v1");
    v.absorbScalar("t", 2n);
    v.absorbScalar("s", 1n);
    expect(u.challenge("c")).to.not.equal(v.challenge("c"));
    // Absorbing a list is one operation, not a sequence of single absorbs.
    const w = new Transcript("zkinfer-test-v1");
    w.absorbScalars("s", [1n, 2n]);
    const z = new Transcript("zkinfer-test-v1");
    z.absorbScalar("s", 1n);
    z.absorbScalar("s", 2n);
    expect(w.challenge("c")).to.not.equal(z.challenge("c"));
  });

  it("separates operation kinds that carry the same bytes", () => {
    const pt = g1FromNoble(bn254.G1.Point.BASE.multiply(5n));
    const asPoint = new Transcript("zkinfer-test-v1");
    asPoint.absorbG1("v", pt);
    const asScalars = new Transcript("zkinfer-test-v1");
    asScalars.absorbScalars("v", [pt.x % R, pt.y % R]);
    const asBytes = new Transcript("zkinfer-test-v1");
    asBytes.absorbBytes("v", encodeG1(pt));
    const states = [asPoint, asScalars, asBytes].map((t) => bytesHex(t.state));
    expect(new Set(states).size).to.equal(3);
  });

  it("accepts G1 points as affine coordinates, @noble/curves points or 64-byte encodings alike", () => {
    const pt = bn254.G1.Point.BASE.multiply(77n);
    const states = [pt, g1FromNoble(pt), encodeG1(g1FromNoble(pt))].map((form) => {
      const t = new Transcript("zkinfer-test-v1");
      t.absorbG1("P", form);
      return bytesHex(t.state);
    });
    expect(new Set(states).size).to.equal(1);
    const t = new Transcript("zkinfer-test-v1");
    expect(() => t.absorbG1("P", new Uint8Array(63))).to.throw(EncodingError, /64 bytes/);
    expect(() => t.absorbG1Lem("P", new Uint8Array(65))).to.throw(EncodingError, /multiple of 64/);
    expect(() => t.absorbG1("P", { x: 1n, y: 2n + P })).to.throw(EncodingError, /not canonical/);
    expect(() => t.absorbG1s("P", [pt, { x: 1n, y: 3n }])).to.throw(EncodingError, /not on/);
  });

  it("absorbs the engine's LEM points exactly like their canonical encodings", async () => {
    const { G1 } = await getEngine();
    const ks = [3n, 0n, 1234567n];
    const lem = new Uint8Array(64 * ks.length);
    ks.forEach((k, i) => lem.set(G1.toAffine(G1.timesScalar(G1.g, k)), 64 * i));
    const fromLem = new Transcript("zkinfer-test-v1");
    fromLem.absorbG1Lem("C", lem);
    const fromNoble = new Transcript("zkinfer-test-v1");
    fromNoble.absorbG1s("C", ks.map((k) => (k === 0n ? bn254.G1.Point.ZERO : bn254.G1.Point.BASE.multiply(k))));
    expect(bytesHex(fromLem.state)).to.equal(bytesHex(fromNoble.state));
    const single = new Transcript("zkinfer-test-v1");
    single.absorbG1Lem("C", lem.subarray(0, 64));
    const one = new Transcript("zkinfer-test-v1");
    one.absorbG1("C", bn254.G1.Point.BASE.multiply(3n));
    expect(bytesHex(single.state)).to.equal(bytesHex(one.state));
    const bad = lem.slice(0, 64);
    bad[5] ^= 1;
    expect(() => new Transcript("zkinfer-test-v1").absorbG1Lem("C", bad)).to.throw(EncodingError);
  });

  it("rejects scalars ≥ r, negative or not bigint", () => {
    const t = new Transcript("zkinfer-test-v1");
    expect(() => t.absorbScalar("s", R)).to.throw(EncodingError, /not canonical/);
    expect(() => t.absorbScalar("s", -1n)).to.throw(EncodingError, /not canonical/);
    expect(() => t.absorbScalars("s", [0n, 1n << 255n])).to.throw(EncodingError, /scalar 1/);
    expect(() => t.absorbScalar("s", 3 as unknown as bigint)).to.throw(EncodingError, /bigint/);
  });

  it("rejects bad labels and challenge counts with a TranscriptError", () => {
    expect(() => new Transcript("")).to.throw(TranscriptError, /1 to 31/);
    const t = new Transcript("zkinfer-test-v1");
    expect(() => t.absorbScalar("x".repeat(32), 1n)).to.throw(TranscriptError, /1 to 31/);
    expect(() => t.absorbScalar("a\u0000", 1n)).to.throw(TranscriptError, /printable ASCII/);
    expect(() => t.absorbScalar("é", 1n)).to.throw(TranscriptError, /printable ASCII/);
    expect(() => t.absorbBytes("b\n", new Uint8Array(1))).to.throw(TranscriptError, /printable ASCII/);
    expect(() => t.challenges("c", 0)).to.throw(TranscriptError, /positive integer/);
    expect(() => t.challenges("c", 1.5)).to.throw(TranscriptError, /positive integer/);
  });

  it("with a schedule, refuses a challenge before its phase's commitments are absorbed", () => {
    const schedule = [
      { op: "scalars", label: "public inputs" },
      { op: "g1", label: "phase 1" },
      { op: "challenge", label: "beta" },
    ] as const;
    const honest = new Transcript("zkinfer-test-v1", { schedule });
    honest.absorbScalars("public inputs", [1n]);
    expect(() => honest.assertScheduleComplete()).to.throw(TranscriptError, /step 1 of 3: g1 "phase 1" is missing/);
    honest.absorbG1("phase 1", { x: 1n, y: 2n });
    const beta = honest.challenge("beta");
    honest.assertScheduleComplete();
    expect(() => honest.challenge("extra")).to.throw(TranscriptError, /schedule is complete/);
    // The schedule does not change the bytes: an unscheduled transcript gives the same challenge.
    const plain = new Transcript("zkinfer-test-v1");
    plain.absorbScalars("public inputs", [1n]);
    plain.absorbG1("phase 1", { x: 1n, y: 2n });
    expect(plain.challenge("beta")).to.equal(beta);

    // A cheating prover asks for beta first, to choose its phase 1 commitment afterwards.
    const cheat = new Transcript("zkinfer-test-v1", { schedule });
    cheat.absorbScalars("public inputs", [1n]);
    const before = bytesHex(cheat.state);
    expect(() => cheat.challenge("beta")).to.throw(TranscriptError, /step 1: expected g1 "phase 1", got challenge "beta"/);
    expect(bytesHex(cheat.state)).to.equal(before);
    expect(() => cheat.absorbG1("phase one", { x: 1n, y: 2n })).to.throw(TranscriptError, /expected g1 "phase 1"/);
    expect(() => cheat.absorbScalars("phase 1", [])).to.throw(TranscriptError, /got scalars/);
    // Clones keep their place in the schedule.
    const fork = cheat.clone();
    fork.absorbG1("phase 1", { x: 1n, y: 2n });
    expect(fork.challenge("beta")).to.equal(beta);
  });

  it("clones into an independent transcript", () => {
    const t = new Transcript("zkinfer-test-v1");
    t.absorbScalar("s", 9n);
    const c = t.clone();
    expect(bytesHex(c.state)).to.equal(bytesHex(t.state));
    const fromClone = c.challenge("c");
    t.absorbScalar("s", 10n);
    expect(t.challenge("c")).to.not.equal(fromClone);
    // state returns a copy.
    const s = t.state;
    s[0] ^= 1;
    expect(bytesHex(t.state)).to.not.equal(bytesHex(s));
  });
});
