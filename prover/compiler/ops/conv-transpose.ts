// ConvTranspose. With the convTransposeRuns plan option (compile's default), a 2-D one at batch 1 with
// dilation 1 (any stride, padding, output_padding, groups) is one convolution run of the conv block
// over the input as it is (subPixelRun below): no zero cells, no copies. Otherwise the matmul block
// over a transposed im2col: output position o gathers, for each (input channel, kernel tap), the
// input cell i with o = i·stride − pad + tap·dilation (or the zero cell where no such i exists).
// Rows = weights + gathered cells + outputs. Then a rescale.
import type { Cell } from "../../circuit/builder.js";
import { size, strides } from "../../ir/tensor.js";
import { settle, type LoweringContext, type QTensor } from "../context.js";
import { CompileError } from "../errors.js";
import type { ConstTensor, GraphNode } from "../graph.js";
import { checkWindowOp, groupedWindowProduct, runConvolution, windowOperands } from "./conv.js";
import { intAttr, intsAttr, type OpLowering } from "./types.js";

export const convTranspose: OpLowering = {
  ops: ["ConvTranspose"],
  check: checkWindowOp,
  lower(ctx, node) {
    const { x, W, B } = windowOperands(ctx, node);
    const group = intAttr(node, "group", 1);
    const C = x.dims[1];
    const spatial = x.dims.slice(2);
    const r = spatial.length;
    const kernel = W.dims.slice(2);
    const st = intsAttr(node, "strides") ?? new Array<number>(r).fill(1);
    const dil = intsAttr(node, "dilations") ?? new Array<number>(r).fill(1);
    const pads = intsAttr(node, "pads") ?? new Array<number>(2 * r).fill(0);
    const outDims = ctx.graph.values.get(node.outputs[0])!.dims;
    if (ctx.convTransposeRuns && r === 2 && x.dims[0] === 1 && dil.every((d) => d === 1)) {
      const phases = [0, 1].map((a) => phaseAxis(spatial[a], kernel[a], st[a], pads[a], outDims[2 + a]));
      if (phases.every((p) => p !== undefined)) return subPixelRun(ctx, node, x, W, B, group, phases as [PhaseAxis, PhaseAxis]);
    }
    const outSpatial = outDims.slice(2);
    const M = outDims[1];
    const kCount = size(kernel);
    const outCount = size(outSpatial);
    const inStrides = strides(spatial);
    const kStrides = strides(kernel);
    const oStrides = strides(outSpatial);
    // src[o·kCount + t]: the input spatial index feeding output o through tap t, or −1.
    const src = new Int32Array(outCount * kCount).fill(-1);
    for (let o = 0; o < outCount; o++) {
      for (let t = 0; t < kCount; t++) {
        let flat = 0;
        let ok = true;
        for (let a = 0; a < r && ok; a++) {
          const oa = Math.floor(o / oStrides[a]) % outSpatial[a];
          const ta = Math.floor(t / kStrides[a]) % kernel[a];
          const num = oa + pads[a] - ta * dil[a];
          if (num < 0 || num % st[a] !== 0 || num / st[a] >= spatial[a]) ok = false;
          else flat += (num / st[a]) * inStrides[a];
        }
        if (ok) src[o * kCount + t] = flat;
      }
    }
    // W is [C, M/group, k…]: W'[m][(c, t)] = W[g·C/group + c][m][t].
    const { cells, scale } = groupedWindowProduct(ctx, x, W, B, {
      outName: node.outputs[0],
      group,
      M,
      kCount,
      outCount,
      tap: (o, t) => src[o * kCount + t],
      weight: (g, m, c, t) => W.data[((g * (C / group) + c) * (M / group) + m) * kCount + t],
    });
    ctx.setOutput(0, settle(ctx, { dims: outDims, cells, scale }, node.outputs[0]));
  },
};

/**
 * One spatial axis of the sub-pixel split. Output o = i·s − p + t (input i, tap t) has phase
 * ρ = (o + p) mod s and run position q = ⌊(o + p)/s⌋, and the taps that reach it are t = ρ + s·u
 * (u = 0 … k′ − 1, k′ = ⌈k/s⌉) from input i = q − u. So phase ρ is a stride-1 convolution of the
 * input with the sub-kernel K_ρ[v] = W[ρ + s·(k′ − 1 − v)] (zero where that tap is past k), and
 * all phases share one run over q ∈ [q_lo, q_hi]: pads k′ − 1 − q_lo before and q_hi − (H − 1)
 * after; a negative pad means input rows no output reads, cropped instead.
 */
interface PhaseAxis {
  stride: number;
  /** The stride-1 sub-kernel's size k′. */
  kernel: number;
  /** The first run position q_lo (run output a is q = q_lo + a). */
  first: number;
  pads: [number, number];
  crop: [number, number];
  /** The ConvTranspose's begin pad and output size. */
  pad: number;
  out: number;
}

/** The axis's split, or undefined when no input cell reaches an output (then im2col keeps it). */
function phaseAxis(inSize: number, k: number, s: number, pad: number, out: number): PhaseAxis | undefined {
  const kernel = Math.ceil(k / s);
  const first = Math.floor(pad / s);
  const last = Math.floor((out - 1 + pad) / s);
  const [before, after] = [kernel - 1 - first, last - (inSize - 1)];
  const crop: [number, number] = [Math.max(0, -before), Math.max(0, -after)];
  if (inSize - crop[0] - crop[1] <= 0) return undefined;
  return { stride: s, kernel, first, pads: [Math.max(0, before), Math.max(0, after)], crop, pad, out };
}

/** The ConvTranspose tap the sub-kernel's tap v of phase ρ stands for, or −1 for a zero weight. */
function subTap(axis: PhaseAxis, rho: number, v: number, k: number): number {
  const t = rho + axis.stride * (axis.kernel - 1 - v);
  return t < k ? t : -1;
}

/**
 * ConvTranspose as one convolution run with s_h·s_w output channels per channel (one per phase), all
 * over the original input: output channel (γ, m, ρ_y, ρ_x) = γ·(M/g)·s_h·s_w + m·s_h·s_w + ρ_y·s_w + ρ_x
 * of group γ, its weights the sub-kernels of W[·][m]. Run output (a_y, a_x) of phase (ρ_y, ρ_x) is
 * output ((q_lo,y + a_y)·s_h + ρ_y − p_t, …) when that lies inside the output, else unread. Rows: an
 * X row per input cell (once, whatever the stride), ⌈s_h·s_w·M/(8g)⌉·g·(C/g)·k′_h·k′_w weight rows
 * (≈ the kernel's, zero-padded to a multiple of the stride), and a Y row per (run output channel,
 * reached exponent) ≈ the output cells plus a border. Weight scale and bias quantization are
 * im2col's, so the quantized outputs are the same.
 */
function subPixelRun(ctx: LoweringContext, node: GraphNode, x: QTensor, W: ConstTensor, B: ConstTensor | undefined, group: number, [ay, ax]: [PhaseAxis, PhaseAxis]): void {
  const outName = node.outputs[0];
  const outDims = ctx.graph.values.get(outName)!.dims;
  const [C, Mg, kh, kw] = W.dims;
  const Cg = C / group;
  const phases = ay.stride * ax.stride;
  const perGroup = Mg * phases;
  // Run output channel o → (ConvTranspose output channel, ρ_y, ρ_x).
  const split = (o: number): [number, number, number] => {
    const [g, within] = [Math.floor(o / perGroup), o % perGroup];
    const rho = within % phases;
    return [g * Mg + Math.floor(within / phases), Math.floor(rho / ax.stride), rho % ax.stride];
  };
  const { y, scale } = runConvolution(ctx, outName, x, {
    outChannels: group * perGroup,
    groups: group,
    kernel: [ay.kernel, ax.kernel],
    weights: W.data,
    weight: (o, c, vy, vx) => {
      const [m, ry, rx] = split(o);
      const [ty, tx] = [subTap(ay, ry, vy, kh), subTap(ax, rx, vx, kw)];
      if (ty < 0 || tx < 0) return 0;
      const g = Math.floor(m / Mg);
      return W.data[(((g * Cg + c) * Mg + (m % Mg)) * kh + ty) * kw + tx];
    },
    bias: B ? (o) => B.data[split(o)[0]] : undefined,
    pads: [ay.pads[0], ax.pads[0], ay.pads[1], ax.pads[1]],
    crop: [ay.crop[0], ax.crop[0], ay.crop[1], ax.crop[1]],
  });
  const [M, Ho, Wo] = [outDims[1], outDims[2], outDims[3]];
  const cells = new Array<Cell>(M * Ho * Wo);
  let placed = 0;
  y.forEach((plane, o) => {
    const [m, ry, rx] = split(o);
    plane.forEach((row, a) => {
      const oy = (ay.first + a) * ay.stride + ry - ay.pad;
      if (oy < 0 || oy >= Ho) return;
      row.forEach((cell, b) => {
        const ox = (ax.first + b) * ax.stride + rx - ax.pad;
        if (ox < 0 || ox >= Wo) return;
        cells[(m * Ho + oy) * Wo + ox] = cell;
        placed++;
      });
    });
  });
  // Each output has exactly one (phase, run position): a count short of the output means a hole.
  if (placed !== cells.length) throw new CompileError(`node ${node.name}: the sub-pixel run places ${placed} of ${cells.length} outputs`);
  ctx.setOutput(0, settle(ctx, { dims: outDims, cells, scale }, outName));
}
