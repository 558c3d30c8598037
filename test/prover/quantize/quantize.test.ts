import { expect } from "chai";
import { accuracyReport } from "../../../prover/quantize/accuracy.js";
import { calibrate, CalibrationError, parseInputData } from "../../../prover/quantize/calibration.js";
import { dequantizeValue, quantizeValue, roundShift, signedBitsFor } from "../../../prover/quantize/fixed-point.js";
import { activationScaleFor, bitsAt, TARGETS, weightScaleFor } from "../../../prover/quantize/targets.js";

describe("quantize", () => {
  it("fixed point round-trips and rounds half away from zero", () => {
    expect(quantizeValue(1.5, 0)).to.equal(2n);
    expect(quantizeValue(-1.5, 0)).to.equal(-2n);
    expect(quantizeValue(0.3, 8)).to.equal(77n);
    expect(dequantizeValue(77n, 8)).to.equal(77 / 256);
    expect(() => quantizeValue(NaN, 3)).to.throw(RangeError);
    expect(signedBitsFor(0n)).to.equal(1);
    expect(signedBitsFor(127n)).to.equal(8);
    expect(signedBitsFor(128n)).to.equal(9);
  });

  it("roundShift is floor(x/2^k + 1/2) for negatives too", () => {
    for (let x = -40n; x <= 40n; x++) {
      expect(roundShift(x, 3)).to.equal(BigInt(Math.floor(Number(x) / 8 + 0.5)));
    }
  });

  it("scales keep activations within the target's width and weights within their bits", () => {
    const t = TARGETS.accuracy;
    for (const m of [0.004, 1, 1000]) {
      const s = activationScaleFor(m, t);
      expect(bitsAt(m, s, t)).to.be.at.most(t.activationBits);
      expect(s === t.activationScale || bitsAt(m, s + 1, t) > t.activationBits).to.equal(true);
    }
    expect(activationScaleFor(0.004, t)).to.be.above(activationScaleFor(1, t));
    const ws = weightScaleFor(0.37, t);
    expect(Math.round(0.37 * 2 ** ws)).to.be.at.most(2 ** (t.weightBits - 1) - 1);
    expect(ws === t.maxWeightScale || Math.round(0.37 * 2 ** (ws + 1)) > 2 ** (t.weightBits - 1) - 1).to.equal(true);
    expect(activationScaleFor(1, TARGETS.resources)).to.be.below(activationScaleFor(1, t));
  });

  it("parses EZKL input_data with several samples and refuses bad data", () => {
    const inputs = [{ name: "x", dims: [1, 2] }];
    const s = parseInputData({ input_data: [[1, 2, 3, 4, 5, 6]] }, inputs, "data");
    expect(s).to.deep.equal([[[1, 2]], [[3, 4]], [[5, 6]]]);
    expect(() => parseInputData({ input_data: [[1, 2, 3]] }, inputs, "data")).to.throw(CalibrationError, /needs 2 per sample/);
    expect(() => parseInputData({ input_data: [[1, "a"]] }, inputs, "data")).to.throw(CalibrationError, /not a finite number/);
    expect(() => parseInputData({}, inputs, "data")).to.throw(CalibrationError, /input_data/);
    expect(() => parseInputData({ input_data: [[1, 2, 3, 4]] }, inputs, "data", { single: true })).to.throw(CalibrationError, /one sample/);
  });

  it("calibration records max |x| per value over samples", () => {
    const r = calibrate([[[1, -3]], [[2, 0.5]]], (s) => new Map([["x", s[0]], ["y", s[0].map((v) => v * 2)]]));
    expect(r).to.deep.equal({ x: 3, y: 6 });
  });

  it("accuracy report: max error, top-1 agreement and a tolerance above the error", () => {
    const r = accuracyReport([[[0.1, 0.9]], [[0.7, 0.2]]], [[[0.125, 0.875]], [[0.25, 0.5]]], [3]);
    expect(r.maxAbsError).to.be.closeTo(0.45, 1e-12);
    expect(r.top1Agreement).to.equal(0.5);
    expect(r.tolerance).to.be.above(r.maxAbsError);
  });
});
