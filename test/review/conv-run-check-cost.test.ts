// Review of protocol v6 convolution runs (prover/plonkish/conv-run.ts): what a declared run costs
// the checker. check-circuit reads the runs from a public circuit file the model owner publishes,
// so a hostile file chooses them. Finding: a geometry with large pads and a large kernel that fits a
// table of n rows made aliasing() (pairs × taps) and runEntries() (cells × taps) quadratic in n,
// about 6 s and 8 s each at n = 2^16 (hours at 2^20), and a file may declare up to n runs that each
// fit alone, each paying it again. Now both walk the padded grid once (the same conditions:
// checked against a pair-by-pair reference below), and checkRuns refuses runs that together have
// more rows than the table before recomputing the next one.
import { expect } from "chai";
import { aliasing, runEntries, type ConvGeometry } from "../../prover/plonkish/conv-run.js";
import { CircuitBuilder } from "../../prover/circuit/builder.js";
import { privateCells } from "../../prover/blocks/cells.js";
import { conv2d } from "../../prover/blocks/conv.js";
import { devSrs } from "../../prover/srs/index.js";
import { checkPublicCircuit, decodePublicCircuit, encodePublicCircuit, plainPublicInputLayout, setup, srsSizeFor } from "../../prover/plonkish/index.js";
import { releaseEngine } from "../../verifier/engine/bn254.js";

/** Alias-freeness pair by pair (every output pixel with every tap), written from its definition. */
function aliasFreeByPairs(g: ConvGeometry): boolean {
  const [pt, pl, pb, pr] = g.pads;
  const [kh, kw] = g.kernel;
  const [ho, wo] = [g.height + pt + pb - kh + 1, g.width + pl + pr - kw + 1];
  const L = g.rowStride;
  const cell = new Map<number, number>();
  for (let y = 0; y < g.height; y++) {
    for (let x = 0; x < g.width; x++) {
      const e = (y + pt) * L + x + pl;
      if (cell.has(e)) return false;
      cell.set(e, y * g.width + x);
    }
  }
  const offsets = new Set<number>();
  for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) offsets.add(ky * L + kx);
  if (offsets.size !== kh * kw) return false;
  const pixels = new Set<number>();
  for (let py = 0; py < ho; py++) {
    for (let px = 0; px < wo; px++) {
      if (pixels.has(py * L + px)) return false;
      pixels.add(py * L + px);
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          const [y, x] = [py + ky - pt, px + kx - pl];
          const real = y >= 0 && y < g.height && x >= 0 && x < g.width ? y * g.width + x : undefined;
          if (cell.get((py + ky) * L + px + kx) !== real) return false;
        }
      }
    }
  }
  return true;
}

/** Every exponent a (weight, cell) pair or an output pixel reaches, pair by pair. */
function reachedByPairs(g: ConvGeometry): number[] {
  const [pt, pl, pb, pr] = g.pads;
  const [kh, kw] = g.kernel;
  const [ho, wo] = [g.height + pt + pb - kh + 1, g.width + pl + pr - kw + 1];
  const L = g.rowStride;
  const depth = (kh - 1) * L + kw - 1;
  const out = new Set<number>();
  for (let py = 0; py < ho; py++) for (let px = 0; px < wo; px++) out.add(depth + py * L + px);
  for (let y = 0; y < g.height; y++) {
    for (let x = 0; x < g.width; x++) {
      for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) out.add(depth - (ky * L + kx) + (y + pt) * L + x + pl);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** A geometry that fits 2^16 rows (16,384 weight rows, 1 X row, 16,384 output rows, exponents < 65,536) with pixels × taps = 2^28. */
const widePads: ConvGeometry = { inChannels: 1, outChannels: 1, groups: 1, height: 1, width: 1, kernel: [128, 128], pads: [127, 127, 127, 127], bias: false, rowStride: 255 };
/** One that fits 2^16 rows with cells × taps = 2^28. */
const wideKernel: ConvGeometry = { inChannels: 1, outChannels: 1, groups: 1, height: 128, width: 128, kernel: [128, 128], pads: [0, 0, 0, 0], bias: false, rowStride: 128 };

describe("review: what a declared convolution run costs check-circuit", function () {
  this.timeout(300_000);
  after(releaseEngine);

  it("aliasing() and runEntries()'s reached exponents agree with the pair-by-pair definitions on every small geometry, every stride up to the padded width + 1", () => {
    let [checked, aliasFree] = [0, 0];
    for (let height = 1; height <= 4; height++) {
      for (let width = 1; width <= 4; width++) {
        for (let kh = 1; kh <= 3; kh++) {
          for (let kw = 1; kw <= 3; kw++) {
            for (let p = 0; p < 81; p++) {
              const pads = [p % 3, Math.floor(p / 3) % 3, Math.floor(p / 9) % 3, Math.floor(p / 27) % 3] as const;
              if (height + pads[0] + pads[2] < kh || width + pads[1] + pads[3] < kw) continue;
              for (let rowStride = 1; rowStride <= width + pads[1] + pads[3] + 1; rowStride++) {
                const g: ConvGeometry = { inChannels: 1, outChannels: 1, groups: 1, height, width, kernel: [kh, kw], pads, bias: false, rowStride };
                const free = aliasFreeByPairs(g);
                expect(aliasing(g) === undefined, JSON.stringify(g)).to.equal(free);
                if (free) {
                  expect(runEntries(g).outputs.map((row) => row.exponent), JSON.stringify(g)).to.deep.equal(reachedByPairs(g));
                  aliasFree++;
                }
                checked++;
              }
            }
          }
        }
      }
    }
    expect(aliasFree).to.be.greaterThan(1000);
    console.log(`      ${checked} geometries, ${aliasFree} alias-free`);
  });

  it("a geometry with large pads or a large kernel that fits 2^16 rows is recomputed in well under a second, not pairs × taps (2^28 steps, ≈ 6–8 s each before)", () => {
    for (const g of [widePads, wideKernel]) {
      const start = performance.now();
      expect(aliasing(g)).to.equal(undefined);
      const entries = runEntries(g);
      const ms = performance.now() - start;
      expect(entries.maxExponent).to.be.below(2 ** 16);
      expect(entries.weights.length + entries.inputs.length + entries.outputs.length).to.be.at.most(2 ** 16);
      // The old loops took 6,274 ms and 7,631 ms here (load 1.4–1.7); a tenth of the faster is the bound.
      expect(ms, `${JSON.stringify(g)}: ${ms.toFixed(0)} ms`).to.be.below(600);
    }
  });

  it("a file declaring many runs that each fit the table alone, but not together, is refused before the second is recomputed", async () => {
    const b = new CircuitBuilder(0);
    const x = [[privateCells(b, [1n, 2n, 3n]), privateCells(b, [4n, 5n, 6n])]];
    conv2d(b, x, [[[[1n]]], [[[2n]]]], {});
    const { table } = b.build();
    const n = 2 ** table.logRows;
    const srs = await devSrs(srsSizeFor(table.logRows));
    const pk = await setup(table, srs);
    const decoded = await decodePublicCircuit(await encodePublicCircuit(table, plainPublicInputLayout(0)));
    expect((await checkPublicCircuit(decoded, pk.vk, srs)).ok).to.equal(true);
    // n − 1 rows each (1 weight row, n/2 − 1 X rows and as many outputs): a 1×1 convolution of a 1 × (n/2 − 1) input.
    const half: ConvGeometry = { inChannels: 1, outChannels: 1, groups: 1, height: 1, width: n / 2 - 1, kernel: [1, 1], pads: [0, 0, 0, 0], bias: false, rowStride: n / 2 - 1 };
    const runs = Array.from({ length: n }, (_, k) => ({ geometry: half, i: 1000n + BigInt(k), j: 1000n + BigInt(k), p: 1000n + BigInt(k) }));
    const forged = await checkPublicCircuit({ ...decoded, table: { ...decoded.table, runs } }, pk.vk, srs);
    expect(forged.ok).to.equal(false);
    expect(forged.checks.find((c) => c.name === "structure")!.detail).to.match(new RegExp(`convolution runs 0 … 1 have at least ${2 * (n - 1)} weight, X and output rows together, more than the table's ${n} rows`));
  });
});
