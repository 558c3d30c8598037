// Resize / Upsample. Nearest: a copy (copy.ts). Linear (N-linear over every resized axis): each
// output is Σ_t w_t·x_t over its 2^r neighbours with public weights (the interpolation weights
// depend only on the shapes and the coordinate mode: structural, like an index map), quantized
// at 2^sw, one linear combination per output, then rescaled to the planned scale. Outputs whose
// weights are a single 1 (on the grid) stay copies. The neighbours and weights are read off the
// IR's reference: evaluated on a tensor holding (index along axis a) + 1, linear interpolation
// returns lo + 1 + w along that axis, so every coordinate mode maps exactly as the float model.
import { linearCombination } from "../../blocks/linear-combination.js";
import type { Cell } from "../../circuit/builder.js";
import { size, strides } from "../../ir/tensor.js";
import { quantizeValue } from "../../quantize/fixed-point.js";
import { CompileError } from "../errors.js";
import { copy } from "./copy.js";
import { stringAttr, type OpLowering } from "./types.js";

/** Interpolation weights are quantized at 2^WEIGHT_SCALE (the product's rescale stays one limb). */
const WEIGHT_SCALE = 12;

export const resize: OpLowering = {
  ops: ["Resize", "Upsample"],
  check(node, graph) {
    const mode = stringAttr(node, "mode", "nearest");
    if (mode !== "nearest" && mode !== "linear") return `mode ${mode} is not supported (nearest, linear)`;
    return copy.check?.(node, graph);
  },
  lower(ctx, node) {
    if (stringAttr(node, "mode", "nearest") === "nearest") {
      copy.lower(ctx, node);
      return;
    }
    const reference = ctx.graph.reference;
    if (!reference) throw new CompileError("the graph has no float reference to derive interpolation weights with");
    const x = ctx.input(0);
    const outName = node.outputs[0];
    const outDims = ctx.graph.values.get(outName)!.dims;
    const rank = x.dims.length;
    const inStrides = strides(x.dims);
    // Per axis, per output element: the lower neighbour's index along the axis and the upper one's weight.
    const perAxis = x.dims.map((_, a) => {
      const coords = Float64Array.from({ length: x.cells.length }, (_, i) => (Math.floor(i / inStrides[a]) % x.dims[a]) + 1);
      const [c] = reference(node.name, [{ dims: x.dims, data: coords }]);
      return Array.from(c, (v) => {
        const lo = Math.floor(v + 1e-9);
        const w = Math.max(0, v - lo);
        return { lo: lo - 1, w: w < 1e-9 ? 0 : w };
      });
    });
    const sOut = ctx.scaleFor(outName);
    const sw = WEIGHT_SCALE;
    const n = size(outDims);
    const raw: Cell[] = [];
    const direct: (Cell | undefined)[] = [];
    ctx.block("interpolate", () => {
      for (let o = 0; o < n; o++) {
        const taps = new Map<number, number>();
        for (let corner = 0; corner < 1 << rank; corner++) {
          let weight = 1;
          let flat = 0;
          for (let a = 0; a < rank; a++) {
            const { lo, w } = perAxis[a][o];
            const upper = (corner >> a) & 1;
            weight *= upper ? w : 1 - w;
            flat += (upper ? lo + 1 : lo) * inStrides[a];
          }
          if (weight !== 0) taps.set(flat, (taps.get(flat) ?? 0) + weight);
        }
        const terms = [...taps].map(([flat, w]) => [x.cells[flat], quantizeValue(w, sw)] as const).filter(([, q]) => q !== 0n);
        if (terms.length === 1 && terms[0][1] === 1n << BigInt(sw)) {
          direct.push(terms[0][0]);
          continue;
        }
        direct.push(undefined);
        raw.push(linearCombination(ctx.b, terms));
      }
    });
    // Interpolated outputs: scale s_x + sw, rescaled to the output's planned scale; copies kept as they are.
    const at = (cells: Cell[], scale: number) => (cells.length === 0 ? [] : ctx.toScale({ dims: [cells.length], cells, scale }, sOut, outName).cells);
    const settled = at(raw, x.scale + sw);
    const copiesAt = at(direct.filter((c): c is Cell => c !== undefined), x.scale);
    let r = 0;
    let d = 0;
    const cells = direct.map((c) => (c === undefined ? settled[r++] : copiesAt[d++]));
    ctx.setOutput(0, { dims: outDims, cells, scale: sOut });
  },
};
