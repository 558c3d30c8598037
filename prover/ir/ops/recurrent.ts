// RNN, GRU, LSTM: unrolled at load over the static sequence length into ops the compiler already
// lowers (Gemm against the constant weights, Slice, Add, Mul, Sub, Sigmoid, Tanh, Concat,
// Reshape), so calibration sees every intermediate value and each step reuses the matmul and
// function-lookup blocks. The input projection of all steps is one Gemm (the input weights W once);
// each step then multiplies its hidden state by the recurrent weights R. Supported: every
// direction (reverse runs the steps from the last; bidirectional is a forward and a reverse
// unrolling, each with its own weights, stacked on the direction axis), layout 0, the default
// activations, no clip, no peepholes, no input_forget, and a sequence_lens that is absent or a
// constant equal to the sequence length for every batch entry.

import { IrError } from "../errors.js";
import type { Attrs } from "../graph.js";
import { toNumbers } from "../tensor.js";
import type { NormalizeContext, NormalizedNode, OpDef } from "./types.js";
import { inputType } from "./util.js";

const GATES: Readonly<Record<string, number>> = { RNN: 1, GRU: 3, LSTM: 4 };
const DEFAULT_ACTIVATIONS: Readonly<Record<string, string[]>> = { RNN: ["Tanh"], GRU: ["Sigmoid", "Tanh"], LSTM: ["Sigmoid", "Tanh", "Tanh"] };

/** Emits IR nodes (already in normal form) with fresh value names. */
class Emitter {
  readonly nodes: NormalizedNode[] = [];
  #count = 0;
  constructor(readonly ctx: NormalizeContext) {}

  op(op: string, inputs: string[], attrs: Attrs = {}, output?: string): string {
    const name = `${this.ctx.node.name}/${op}_${this.#count++}`;
    const out = output ?? this.ctx.fresh(`${name}_out`);
    this.nodes.push({ name, op, inputs, outputs: [out], attrs });
    return out;
  }

  /** x[starts:ends] on every axis of a tensor of `shape` (one range per axis). */
  slice(x: string, shape: readonly number[], ranges: readonly (readonly [number, number] | undefined)[]): string {
    const starts = shape.map((_, a) => ranges[a]?.[0] ?? 0);
    const ends = shape.map((d, a) => ranges[a]?.[1] ?? d);
    return this.op("Slice", [x], { starts, ends, steps: shape.map(() => 1) });
  }

  reshape(x: string, shape: number[], output?: string): string {
    return this.op("Reshape", [x], { shape }, output);
  }

  /** a·Bᵀ (+ c): B is [n, k] constant weights. */
  gemm(a: string, b: string, c?: string): string {
    return this.op("Gemm", c ? [a, b, c] : [a, b], { alpha: 1, beta: 1, transA: 0, transB: 1 });
  }
}

function refuse(ctx: NormalizeContext, why: string): never {
  throw new IrError(`node "${ctx.node.name}" (${ctx.node.op}): ${why}`);
}

/** Refuses unsupported attributes; returns the direction. */
function checkAttributes(ctx: NormalizeContext, hidden: number): string {
  const op = ctx.node.op;
  let direction = "forward";
  for (const [name, a] of ctx.node.attributes) {
    if (name === "hidden_size") {
      if (a.kind !== "int" || Number(a.value) !== hidden) refuse(ctx, `hidden_size ${a.kind === "int" ? a.value : "?"} does not match the weights (${hidden})`);
    } else if (name === "direction") {
      if (a.kind !== "string" || !["forward", "reverse", "bidirectional"].includes(a.value)) refuse(ctx, `direction ${a.kind === "string" ? a.value : "?"} is not one of forward, reverse, bidirectional`);
      direction = a.value;
    } else if (name === "layout" || name === "input_forget") {
      if (a.kind !== "int" || Number(a.value) !== 0) refuse(ctx, `${name} ≠ 0 is not supported`);
    } else if (name === "activations") {
      const want = DEFAULT_ACTIVATIONS[op];
      if (a.kind !== "strings" || a.value.join() !== want.join()) refuse(ctx, `only the default activations (${want.join(", ")}) are supported`);
    } else if (name === "linear_before_reset" && op === "GRU") {
      continue;
    } else refuse(ctx, `attribute ${name} is not supported`);
  }
  return direction;
}

/** The per-direction constants and settings of one recurrent node. */
interface Layer {
  op: string;
  T: number;
  batch: number;
  inputSize: number;
  hidden: number;
  /** gates · hidden. */
  G: number;
  directions: number;
  linearBeforeReset: boolean;
}

/**
 * One direction d of the layer (reverse: from the last step to the first): the hidden state after
 * each step, indexed by time step, and the final hidden (and LSTM cell) state.
 */
function unrollDirection(ctx: NormalizeContext, e: Emitter, L: Layer, d: number, reverse: boolean): { hs: string[]; h: string; c?: string } {
  const { op, T, batch, inputSize, hidden, G, directions, linearBeforeReset } = L;
  const [X, W, R, B, , initialH, initialC] = ctx.node.inputs;
  const dir: [number, number] = [d, d + 1];
  // Weights as [G·H, I] and [G·H, H] (these nodes have constant inputs: they fold at load).
  const w0 = e.reshape(e.slice(W, inputType(ctx, 1).shape, [dir]), [G, inputSize]);
  const r0 = e.reshape(e.slice(R, inputType(ctx, 2).shape, [dir]), [G, hidden]);
  const biasPart = (from: number, to: number) => e.reshape(e.slice(B, [directions, 2 * G], [dir, [from, to]]), [to - from]);
  // Input bias Wb plus every recurrent bias that adds outside a nonlinearity's argument product:
  // all of Rb, except GRU's Rb_h when linear_before_reset puts it inside r ⊙ (…).
  let inBias: string | undefined;
  let hBias: string | undefined;
  if (B) {
    const wb = biasPart(0, G);
    if (op === "GRU" && linearBeforeReset) {
      hBias = biasPart(G + 2 * hidden, 2 * G);
      const zeros = e.op("Sub", [hBias, hBias]);
      inBias = e.op("Add", [wb, e.op("Concat", [biasPart(G, G + 2 * hidden), zeros], { axis: 0 })]);
    } else inBias = e.op("Add", [wb, biasPart(G, 2 * G)]);
  }
  // All steps' input projections at once: [T·batch, G].
  const xw = e.gemm(e.reshape(X, [T * batch, inputSize]), w0, inBias);
  const gate = (m: string, rows: number, t: number | undefined, k: number): string =>
    e.slice(m, [rows, G], [t === undefined ? undefined : [t * batch, (t + 1) * batch], [k * hidden, (k + 1) * hidden]]);
  const rGate = (k: number) => e.reshape(e.slice(r0, [G, hidden], [[k * hidden, (k + 1) * hidden]]), [hidden, hidden]);
  const initial = (v: string) => e.reshape(e.slice(v, [directions, batch, hidden], [dir]), [batch, hidden]);

  let h: string | undefined = initialH ? initial(initialH) : undefined;
  let c: string | undefined = op === "LSTM" && initialC ? initial(initialC) : undefined;
  const hs: string[] = new Array<string>(T);
  for (let step = 0; step < T; step++) {
    const t = reverse ? T - 1 - step : step;
    const x = (k: number) => gate(xw, T * batch, t, k);
    // The recurrent product of this step ([batch, G]), or nothing at the first step without an initial state.
    const hr = h === undefined ? undefined : op === "GRU" ? e.gemm(h, e.reshape(e.slice(r0, [G, hidden], [[0, 2 * hidden]]), [2 * hidden, hidden])) : e.gemm(h, r0);
    const pre = (k: number) => (hr === undefined ? x(k) : e.op("Add", [x(k), e.slice(hr, [batch, op === "GRU" ? 2 * hidden : G], [undefined, [k * hidden, (k + 1) * hidden]])]));
    if (op === "RNN") {
      h = e.op("Tanh", [pre(0)]);
    } else if (op === "LSTM") {
      // Gate order i, o, f, c.
      const i = e.op("Sigmoid", [pre(0)]);
      const o = e.op("Sigmoid", [pre(1)]);
      const g = e.op("Tanh", [pre(3)]);
      const ig = e.op("Mul", [i, g]);
      c = c === undefined ? ig : e.op("Add", [e.op("Mul", [e.op("Sigmoid", [pre(2)]), c]), ig]);
      h = e.op("Mul", [o, e.op("Tanh", [c])]);
    } else {
      // GRU, gate order z, r, h.
      const z = e.op("Sigmoid", [pre(0)]);
      const r = e.op("Sigmoid", [pre(1)]);
      let inner: string | undefined;
      if (h !== undefined) {
        inner = linearBeforeReset ? e.op("Mul", [r, e.gemm(h, rGate(2), hBias)]) : e.gemm(e.op("Mul", [r, h]), rGate(2));
      } else if (linearBeforeReset && hBias) inner = e.op("Mul", [r, hBias]);
      const hTilde = e.op("Tanh", [inner === undefined ? x(2) : e.op("Add", [x(2), inner])]);
      // h = (1 − z) ⊙ h̃ + z ⊙ h = h̃ − z ⊙ (h̃ − h).
      h = h === undefined ? e.op("Sub", [hTilde, e.op("Mul", [z, hTilde])]) : e.op("Sub", [hTilde, e.op("Mul", [z, e.op("Sub", [hTilde, h])])]);
    }
    hs[t] = h;
  }
  return { hs, h: h!, c };
}

function unroll(ctx: NormalizeContext): NormalizedNode[] {
  const op = ctx.node.op;
  const gates = GATES[op];
  const [, , , B, seqLens, , , P] = ctx.node.inputs;
  const [T, batch, inputSize] = inputType(ctx, 0).shape;
  if (inputType(ctx, 0).shape.length !== 3) refuse(ctx, "X must be [sequence, batch, input]");
  const wShape = inputType(ctx, 1).shape;
  const hidden = wShape[1] / gates;
  const direction = checkAttributes(ctx, hidden);
  const directions = direction === "bidirectional" ? 2 : 1;
  if (wShape[0] !== directions) refuse(ctx, `W has ${wShape[0]} directions, direction ${direction} needs ${directions}`);
  if (!ctx.constant(1) || !ctx.constant(2) || (B && !ctx.constant(3))) refuse(ctx, "W, R and B must be constants (weights)");
  if (P) refuse(ctx, "peepholes are not supported");
  if (seqLens) {
    const lens = ctx.constant(4);
    if (!lens || toNumbers(lens).some((n) => n !== T)) refuse(ctx, "sequence_lens must be absent or a constant equal to the sequence length");
  }
  const lbr = ctx.node.attributes.get("linear_before_reset");
  const layer: Layer = { op, T, batch, inputSize, hidden, G: gates * hidden, directions, linearBeforeReset: lbr?.kind === "int" && Number(lbr.value) === 1 };
  const e = new Emitter(ctx);
  // Bidirectional: direction 0 runs forward, direction 1 backward, each with its own weights.
  const runs = direction === "bidirectional" ? [unrollDirection(ctx, e, layer, 0, false), unrollDirection(ctx, e, layer, 1, true)] : [unrollDirection(ctx, e, layer, 0, direction === "reverse")];
  const stack = (vs: string[], shape: number[], output?: string) =>
    vs.length === 1 ? e.reshape(vs[0], shape, output) : e.op("Concat", vs.map((v) => e.reshape(v, [1, batch, hidden])), { axis: 0 }, output);
  const [Y, Yh, Yc] = ctx.node.outputs;
  // Y: [T, directions, batch, hidden], each step's hidden states of every direction.
  if (Y) e.op("Concat", Array.from({ length: T }, (_, t) => stack(runs.map((r) => r.hs[t]), [1, directions, batch, hidden])), { axis: 0 }, Y);
  if (Yh) stack(runs.map((r) => r.h), [directions, batch, hidden], Yh);
  if (Yc) stack(runs.map((r) => r.c!), [directions, batch, hidden], Yc);
  return e.nodes;
}

function noDirectUse(): never {
  throw new IrError("recurrent ops are unrolled at load");
}

export const RECURRENT_OPS: Record<string, OpDef> = Object.fromEntries(
  Object.keys(GATES).map((op) => [op, { normalize: unroll, inferShape: noDirectUse, evaluate: noDirectUse } satisfies OpDef]),
);
