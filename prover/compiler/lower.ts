// Lowers a whole model graph onto blocks: public-input rows first (inputs, then outputs, as the
// visibility asks), the quantized inputs range-checked, every node by its op's lowering, and the
// outputs exposed. The layout depends only on the graph and the plan, never on the input values.
import { privateCells } from "../blocks/cells.js";
import { BlockRangeError } from "../blocks/errors.js";
import { CircuitBuilder, type BuilderOptions, type Cell } from "../circuit/builder.js";
import { quantizeValue } from "../quantize/fixed-point.js";
import type { QuantTarget } from "../quantize/targets.js";
import { LoweringContext, type TableInfo } from "./context.js";
import { CompileError, nodeFailure, QuantRangeError, UnsupportedModelError } from "./errors.js";
import type { GraphNode, ModelGraph } from "./graph.js";
import { findLowering } from "./ops/index.js";
import { size as sizeOf } from "../ir/tensor.js";
import { hashCells } from "./visibility.js";

export type Visibility = "public" | "hashed" | "private";

export interface LoweringPlan {
  target: QuantTarget;
  /** Calibrated max |x| per value name. */
  ranges: Record<string, number>;
  inputVisibility: Visibility;
  outputVisibility: Visibility;
  /** Lower the convolutions the conv block takes onto convolution runs (compile sets it, true by default; absent: im2col, as manifests from before runs). */
  convRuns?: boolean;
  /** Lower 2-D ConvTransposes (dilation 1) onto convolution runs (absent: im2col, as manifests from before). */
  convTransposeRuns?: boolean;
}

/** Where the inputs and outputs (or their hashes) sit among the public inputs. */
export interface PublicLayout {
  count: number;
  input: HashedRange;
  output: HashedRange;
}

/** A range of public inputs; when hashed, `bits` is the signed width its values are packed at (visibility.ts). */
export interface HashedRange {
  offset: number;
  count: number;
  kind: Visibility;
  bits?: number;
}

export interface LoweredOutput {
  name: string;
  dims: number[];
  scale: number;
  values: bigint[];
}

export interface LoweredModel {
  builder: CircuitBuilder;
  outputs: LoweredOutput[];
  nodeRows: { node: string; op: string; rows: number }[];
  blockRows: Record<string, number>;
  tables: TableInfo[];
  layout: PublicLayout;
  inputScales: number[];
}

/** Nodes no lowering handles, with the reason; empty when the model compiles. */
export function unsupportedNodes(graph: ModelGraph): { node: string; op: string; reason: string }[] {
  const out: { node: string; op: string; reason: string }[] = [];
  for (const node of graph.nodes) {
    const lowering = findLowering(node.op);
    if (!lowering) {
      out.push({ node: node.name, op: node.op, reason: `operator ${node.op} is not supported` });
      continue;
    }
    let why: string | undefined;
    try {
      why = lowering.check?.(node, graph);
    } catch (err) {
      why = `cannot be checked: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (why) out.push({ node: node.name, op: node.op, reason: why });
  }
  return out;
}

function elementCount(graph: ModelGraph, names: readonly { dims: number[] }[]): number {
  return names.reduce((n, v) => n + sizeOf(v.dims), 0);
}

export function publicLayout(graph: ModelGraph, plan: Pick<LoweringPlan, "inputVisibility" | "outputVisibility">): PublicLayout {
  const width = (kind: Visibility, n: number) => (kind === "public" ? n : kind === "hashed" ? 1 : 0);
  const nIn = width(plan.inputVisibility, elementCount(graph, graph.inputs));
  const nOut = width(plan.outputVisibility, elementCount(graph, graph.outputs));
  return {
    count: nIn + nOut,
    input: { offset: 0, count: nIn, kind: plan.inputVisibility },
    output: { offset: nIn, count: nOut, kind: plan.outputVisibility },
  };
}

/** The scale each graph input is quantized at. */
export function inputScales(graph: ModelGraph, plan: LoweringPlan): number[] {
  const ctx = new LoweringContext(new CircuitBuilder(0), graph, plan.ranges, plan.target);
  return graph.inputs.map((v) => ctx.scaleFor(v.name));
}

/**
 * Quantizes float inputs (one flat array per graph input) at their scales; a value outside its
 * calibrated range is a QuantRangeError naming the input.
 */
export function quantizeInputs(graph: ModelGraph, plan: LoweringPlan, inputs: readonly ArrayLike<number>[]): bigint[] {
  if (inputs.length !== graph.inputs.length) throw new CompileError(`the model takes ${graph.inputs.length} input(s), got ${inputs.length}`);
  const scales = inputScales(graph, plan);
  const ctx = new LoweringContext(new CircuitBuilder(0), graph, plan.ranges, plan.target);
  const out: bigint[] = [];
  graph.inputs.forEach((v, i) => {
    const n = sizeOf(v.dims);
    if (inputs[i].length !== n) throw new CompileError(`input ${v.name} needs ${n} values (shape [${v.dims.join(", ")}]), got ${inputs[i].length}`);
    const half = 1n << BigInt(ctx.bitsFor(v.name, scales[i]) - 1);
    for (let j = 0; j < n; j++) {
      const q = quantizeValue(inputs[i][j], scales[i]);
      if (q < -half || q >= half) {
        throw new QuantRangeError(`(input ${v.name})`, `element ${j} = ${inputs[i][j]} is outside the range ±${Number(half) / 2 ** scales[i]} calibrated at compile time`);
      }
      out.push(q);
    }
  });
  return out;
}

/**
 * `builder` is for tests that compare the layout with and without placement (the compiler always
 * places); `beforeNode` runs before each node is lowered, with the rows laid out so far (compile
 * checks the heap there).
 */
export function lowerModel(
  graph: ModelGraph,
  plan: LoweringPlan,
  input: readonly bigint[],
  builder: BuilderOptions = { fillOpenRows: true },
  beforeNode?: (node: GraphNode, rows: number) => void,
): LoweredModel {
  const bad = unsupportedNodes(graph);
  if (bad.length > 0) throw new UnsupportedModelError(bad);
  const layout = publicLayout(graph, plan);
  // Rows of ordinary gates (Poseidon, range checks, rescales, private inputs…) go into the open
  // weight and UV rows of the products when the table is built (docs/blocks.md, "Open rows").
  const b = new CircuitBuilder(layout.count, builder);
  // The context sets the limb width (LIMB_BITS): the blocks' range tables are the compiler's own.
  const ctx = new LoweringContext(b, graph, plan.ranges, plan.target, { convRuns: plan.convRuns ?? false, convTransposeRuns: plan.convTransposeRuns ?? false });
  const scales = inputScales(graph, plan);

  // Inputs: public cells, or private cells (hashed into one public input).
  const nIn = elementCount(graph, graph.inputs);
  if (input.length !== nIn) throw new CompileError(`expected ${nIn} quantized input values, got ${input.length}`);
  let inCells: Cell[];
  if (plan.inputVisibility === "public") inCells = input.map((q, i) => b.setPublicInput(i, q));
  else inCells = ctx.block("private inputs", () => privateCells(b, input));
  let at = 0;
  let inBits = 1;
  // The inputs' range checks are laid out after the nodes, where they take open rows of the
  // products (docs/blocks.md); the values were checked against the calibrated range when quantized.
  const inputChecks: (() => void)[] = [];
  graph.inputs.forEach((v, i) => {
    const n = sizeOf(v.dims);
    const cells = inCells.slice(at, at + n);
    at += n;
    const bits = ctx.bitsFor(v.name, scales[i]);
    inBits = Math.max(inBits, bits);
    inputChecks.push(() => ctx.rangeCheck(cells, bits, `input ${v.name}`, scales[i]));
    ctx.tensors.set(v.name, { dims: v.dims, cells, scale: scales[i] });
  });
  if (plan.inputVisibility === "hashed") {
    // Every input is range-checked (below) within inBits, which the packing needs.
    const digest = ctx.block("poseidon", () => hashCells(b, inCells, inBits));
    b.copy(digest, b.setPublicInput(layout.input.offset, b.value(digest)));
    layout.input.bits = inBits;
  }

  const nodeRows: LoweredModel["nodeRows"] = [];
  for (const node of graph.nodes) {
    const start = b.rows;
    ctx.node = node;
    beforeNode?.(node, start);
    try {
      findLowering(node.op)!.lower(ctx, node);
    } catch (err) {
      if (err instanceof BlockRangeError) {
        throw new QuantRangeError(node.name, `${err.message}; compile again with calibration data that covers this input`);
      }
      if (err instanceof CompileError || err instanceof QuantRangeError || err instanceof UnsupportedModelError) throw err;
      throw nodeFailure(node, "lowering", err);
    }
    nodeRows.push({ node: node.name, op: node.op, rows: b.rows - start });
  }
  ctx.node = undefined;
  for (const check of inputChecks) check();

  const outputs: LoweredOutput[] = [];
  const outCells: Cell[] = [];
  for (const v of graph.outputs) {
    const t = ctx.tensor(v.name);
    for (const c of t.cells) outCells.push(c);
    outputs.push({ name: v.name, dims: t.dims, scale: t.scale, values: t.cells.map((c) => ctx.signed(c)) });
  }
  if (plan.outputVisibility === "public") {
    outCells.forEach((c, i) => b.copy(c, b.setPublicInput(layout.output.offset + i, b.value(c))));
  } else if (plan.outputVisibility === "hashed") {
    // The packing needs every output bounded: range-check each output at its calibrated width.
    let outBits = 1;
    let at = 0;
    for (const [i, v] of graph.outputs.entries()) {
      const bits = ctx.bitsFor(v.name, outputs[i].scale);
      outBits = Math.max(outBits, bits);
      const n = outputs[i].values.length;
      ctx.rangeCheck(outCells.slice(at, at + n), bits, `output ${v.name}`, outputs[i].scale);
      at += n;
    }
    const digest = ctx.block("poseidon", () => hashCells(b, outCells, outBits));
    b.copy(digest, b.setPublicInput(layout.output.offset, b.value(digest)));
    layout.output.bits = outBits;
  }
  return {
    builder: b,
    outputs,
    nodeRows,
    blockRows: Object.fromEntries(ctx.blockRows),
    tables: [...ctx.tables.values()],
    layout,
    inputScales: scales,
  };
}
