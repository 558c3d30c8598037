// The format of the golden transcript vectors (test/fixtures/transcript-vectors.json) and a runner
// that replays one through the Transcript. Scripts and tests on both the TS and Solidity side share it.
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { Transcript } from "./transcript.js";
import { encodeUint256BE, readUint256BE } from "../engine/encoding.js";

/** A 256-bit word as 0x-prefixed, 64 hex digits (big-endian). */
export type Word = string;

/** An operation to replay. Values are hex words so the file holds them exactly. */
export type VectorInput =
  | { op: "scalars"; label: string; scalars: Word[] }
  | { op: "g1"; label: string; points: { x: Word; y: Word }[] }
  | { op: "bytes"; label: string; data: string }
  | { op: "challenge"; label: string; count: number };

/** An operation with what the transcript must give: the state after it and, for challenges, the outputs. */
export type VectorStep = VectorInput & { state: Word; challenges?: Word[] };

export interface TranscriptVector {
  name: string;
  protocol: string;
  initialState: Word;
  steps: VectorStep[];
}

/** An input that must be rejected; `error` names the Solidity custom error. */
export interface RejectionVector {
  name: string;
  protocol: string;
  input: VectorInput;
  error: "ScalarNotCanonical" | "CoordinateNotInField" | "PointNotOnCurve";
}

export interface TranscriptVectorFile {
  description: string;
  spec: string;
  generator: string;
  vectors: TranscriptVector[];
  rejections: RejectionVector[];
}

export function wordHex(v: bigint): Word {
  return "0x" + bytesToHex(encodeUint256BE(v));
}

export function bytesHex(b: Uint8Array): string {
  return "0x" + bytesToHex(b);
}

export function hexBytes(h: string): Uint8Array {
  if (!/^0x([0-9a-f]{2})*$/i.test(h)) throw new Error(`not a 0x-prefixed even-length hex string: ${h}`);
  return hexToBytes(h.slice(2));
}

export function hexWord(h: Word): bigint {
  const b = hexBytes(h);
  if (b.length !== 32) throw new Error(`expected a 32-byte word, got ${h}`);
  return readUint256BE(b);
}

/** Applies one input to `t`; returns the challenges it produced (none for absorbs). */
export function applyInput(t: Transcript, input: VectorInput): bigint[] {
  switch (input.op) {
    case "scalars":
      t.absorbScalars(input.label, input.scalars.map(hexWord));
      return [];
    case "g1":
      t.absorbG1s(input.label, input.points.map((p) => ({ x: hexWord(p.x), y: hexWord(p.y) })));
      return [];
    case "bytes":
      t.absorbBytes(input.label, hexBytes(input.data));
      return [];
    case "challenge":
      return t.challenges(input.label, input.count);
  }
}

/** Replays `inputs` from a fresh transcript and records what each step must give. */
export function recordVector(name: string, protocol: string, inputs: readonly VectorInput[]): TranscriptVector {
  const t = new Transcript(protocol);
  const initialState = bytesHex(t.state);
  const steps = inputs.map((input): VectorStep => {
    const out = applyInput(t, input);
    const step: VectorStep = { ...input, state: bytesHex(t.state) };
    if (input.op === "challenge") step.challenges = out.map(wordHex);
    return step;
  });
  return { name, protocol, initialState, steps };
}

/** The input part of a recorded step. */
export function stepInput(step: VectorStep): VectorInput {
  switch (step.op) {
    case "scalars":
      return { op: step.op, label: step.label, scalars: step.scalars };
    case "g1":
      return { op: step.op, label: step.label, points: step.points };
    case "bytes":
      return { op: step.op, label: step.label, data: step.data };
    case "challenge":
      return { op: step.op, label: step.label, count: step.count };
  }
}
