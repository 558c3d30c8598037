// Writes the golden transcript vectors, test/fixtures/transcript-vectors.json.
//   npx tsx scripts/gen-transcript-vectors.ts [--check]
// Inputs are deterministic (a keccak256 counter stream), so re-running gives the same file;
// --check compares with the committed file instead of writing it and exits 1 on a difference.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bn254 } from "@noble/curves/bn254.js";
import { P, R } from "../verifier/engine/bn254.js";
import { readUint256BE } from "../verifier/engine/encoding.js";
import {
  bytesHex,
  recordVector,
  wordHex,
  type TranscriptVectorFile,
  type VectorInput,
  type Word,
} from "../verifier/transcript/vectors.js";

const OUT = fileURLToPath(new URL("../test/fixtures/transcript-vectors.json", import.meta.url));

// Deterministic pseudo-random words: keccak256("zkinfer/transcript-vectors" ‖ counter).
let counter = 0;
function nextBlock(): Uint8Array {
  const seed = new TextEncoder().encode(`zkinfer/transcript-vectors/${counter++}`);
  return keccak_256(seed);
}
const randomBytes = (n: number): Uint8Array => {
  const out = new Uint8Array(n);
  for (let o = 0; o < n; o += 32) out.set(nextBlock().subarray(0, Math.min(32, n - o)), o);
  return out;
};
const randomScalar = (): bigint => readUint256BE(nextBlock()) % R;
const randomPoint = (): { x: Word; y: Word } => point(bn254.G1.Point.BASE.multiply(randomScalar() || 1n));
const point = (pt: InstanceType<typeof bn254.G1.Point>): { x: Word; y: Word } => {
  const a = pt.toAffine();
  return { x: wordHex(a.x), y: wordHex(a.y) };
};
const scalars = (label: string, xs: bigint[]): VectorInput => ({ op: "scalars", label, scalars: xs.map(wordHex) });
const points = (label: string, n: number): VectorInput => ({
  op: "g1",
  label,
  points: Array.from({ length: n }, randomPoint),
});
const bytes = (label: string, data: Uint8Array): VectorInput => ({ op: "bytes", label, data: bytesHex(data) });
const challenge = (label: string, count = 1): VectorInput => ({ op: "challenge", label, count });

const G = point(bn254.G1.Point.BASE);
const INFINITY = { x: wordHex(0n), y: wordHex(0n) };

function build(): TranscriptVectorFile {
  counter = 0;
  const vectors = [
    recordVector("challenge right after init", "zkinfer-test-v1", [challenge("c")]),
    recordVector("single values and edge cases", "zkinfer-test-v1", [
      scalars("zero", [0n]),
      scalars("one", [1n]),
      scalars("r minus one", [R - 1n]),
      { op: "g1", label: "generator", points: [G] },
      { op: "g1", label: "infinity", points: [INFINITY] },
      bytes("empty", new Uint8Array(0)),
      bytes("one byte", new Uint8Array([0xa5])),
      bytes("unaligned", randomBytes(45)),
      challenge("c"),
    ]),
    recordVector("lists, empty lists and multiple challenges", "zkinfer-test-v1", [
      scalars("five", Array.from({ length: 5 }, randomScalar)),
      scalars("none", []),
      points("three", 3),
      { op: "g1", label: "no points", points: [] },
      challenge("five challenges", 5),
      scalars("after", [randomScalar()]),
      challenge("same label", 1),
      challenge("same label", 1),
      challenge("pair", 2),
    ]),
    recordVector("label lengths and characters", "0123456789012345678901234567890", [
      scalars("x", [42n]),
      scalars("a label of exactly 31 bytes".padEnd(31, "."), [42n]),
      scalars(" !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|", [42n]),
      challenge("~"),
    ]),
    recordVector("a PLONK-shaped proof transcript", "zkinfer-plonk-v1", [
      bytes("vk digest", randomBytes(32)),
      scalars("public inputs", Array.from({ length: 3 }, randomScalar)),
      points("phase 1 commitments", 4),
      challenge("beta gamma", 2),
      points("phase 2 commitments", 2),
      challenge("alpha"),
      points("quotient commitments", 3),
      challenge("zeta"),
      scalars("evaluations", Array.from({ length: 8 }, randomScalar)),
      challenge("v"),
      points("opening proofs", 2),
      challenge("u"),
    ]),
    recordVector("long byte string", "zkinfer-test-v1", [bytes("blob", randomBytes(1000)), challenge("c", 3)]),
  ];
  const rejections: TranscriptVectorFile["rejections"] = [
    { name: "scalar equal to r", protocol: "zkinfer-test-v1", input: scalars("s", [R]), error: "ScalarNotCanonical" },
    {
      name: "scalar 2^256 - 1 after a valid one",
      protocol: "zkinfer-test-v1",
      input: scalars("s", [1n, (1n << 256n) - 1n]),
      error: "ScalarNotCanonical",
    },
    {
      name: "x coordinate equal to p",
      protocol: "zkinfer-test-v1",
      input: { op: "g1", label: "P", points: [{ x: wordHex(P), y: G.y }] },
      error: "CoordinateNotInField",
    },
    {
      // (1, 2 + p) is the generator with a non-canonical y: congruent, yet rejected.
      name: "generator with y + p",
      protocol: "zkinfer-test-v1",
      input: { op: "g1", label: "P", points: [{ x: G.x, y: wordHex(2n + P) }] },
      error: "CoordinateNotInField",
    },
    {
      name: "(1, 3) is off the curve",
      protocol: "zkinfer-test-v1",
      input: { op: "g1", label: "P", points: [G, { x: wordHex(1n), y: wordHex(3n) }] },
      error: "PointNotOnCurve",
    },
    {
      name: "(0, 1) is neither infinity nor on the curve",
      protocol: "zkinfer-test-v1",
      input: { op: "g1", label: "P", points: [{ x: wordHex(0n), y: wordHex(1n) }] },
      error: "PointNotOnCurve",
    },
  ];
  return {
    description:
      "Golden vectors of the zkinfer keccak256 transcript: each vector replays its steps from a fresh transcript " +
      "with the given protocol label; 'state' is the 32-byte state after the step and 'challenges' its outputs. " +
      "Words are 32-byte big-endian hex. Each rejection must fail with the named error.",
    spec: "docs/protocol.md#2-transcript",
    generator: "scripts/gen-transcript-vectors.ts",
    vectors,
    rejections,
  };
}

const text = JSON.stringify(build(), null, 2) + "\n";
if (process.argv.includes("--check")) {
  if (readFileSync(OUT, "utf8") !== text) {
    console.error(`${OUT} is out of date: run npx tsx scripts/gen-transcript-vectors.ts`);
    process.exit(1);
  }
  console.log(`${OUT} is up to date`);
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}`);
}
