// RNN, GRU, LSTM: unrolled at load over the static sequence length into ops the compiler already
// lowers (Gemm against the constant weights, Slice, Add, Mul, Sub, Sigmoid, Tanh, Concat,
// Reshape), so calibration sees every intermediate value and each step reuses the matmul and
// function-lookup blocks. The input projection of all steps is one Gemm (the input weights W once);
// each step then multiplies its hidden state by the recurrent weights R. Supported: forward
// direction, layout 0, the default activations, no clip, no peepholes, no input_forget, and a
// sequence_lens that is absent or a constant equal to the sequence length for every batch entry.

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

function checkAttributes(ctx: NormalizeContext, hidden: number): void {
  const op = ctx.node.op;
  for (const [name, a] of ctx.node.attributes) {
    if (name === "hidden_size") {
      if (a.kind !== "int" || Number(a.value) !== hidden) refuse(ctx, `hidden_size ${a.kind === "int" ? a.value : "?"} does not match the weights (${hidden})`);
    } else if (name === "direction") {
      if (a.kind !== "string" || a.value !== "forward") refuse(ctx, `direction ${a.kind === "string" ? a.value : "?"} is not supported (forward only)`);
    } else if (name === "layout" || name === "input_forget") {
      if (a.kind !== "int" || Number(a.value) !== 0) refuse(ctx, `${name} ≠ 0 is not supported`);
    } else if (name === "activations") {
      const want = DEFAULT_ACTIVATIONS[op];
      if (a.kind !== "strings" || a.value.join() !== want.join()) refuse(ctx, `only the default activations (${want.join(", ")}) are supported`);
    } else if (name === "linear_before_reset" && op === "GRU") {
      continue;
    } else refuse(ctx, `attribute ${name} is not supported`);
  }
}

function unroll(ctx: NormalizeContext): NormalizedNode[] {
  const op = ctx.node.op;
  const gates = GATES[op];
  const [X, W, R, B, seqLens, initialH, initialC, P] = ctx.node.inputs;
  const [T, batch, inputSize] = inputType(ctx, 0).shape;
  if (inputType(ctx, 0).shape.length !== 3) refuse(ctx, "X must be [sequence, batch, input]");
  const wShape = inputType(ctx, 1).shape;
  const hidden = wShape[1] / gates;
  if (wShape[0] !== 1) refuse(ctx, "only one direction is supported");
  if (!ctx.constant(1) || !ctx.constant(2) || (B && !ctx.constant(3))) refuse(ctx, "W, R and B must be constants (weights)");
  if (P) refuse(ctx, "peepholes are not supported");
  if (seqLens) {
    const lens = ctx.constant(4);
    if (!lens || toNumbers(lens).some((n) => n !== T)) refuse(ctx, "sequence_lens must be absent or a constant equal to the sequence length");
  }
  checkAttributes(ctx, hidden);
  const lbr = ctx.node.attributes.get("linear_before_reset");
  const linearBeforeReset = lbr?.kind === "int" && Number(lbr.value) === 1;
  const G = gates * hidden;
  const e = new Emitter(ctx);

  // Weights as [G·H, I] and [G·H, H] (these nodes have constant inputs: they fold at load).
  const w0 = e.reshape(e.slice(W, wShape, [[0, 1]]), [G, inputSize]);
  const r0 = e.reshape(e.slice(R, inputType(ctx, 2).shape, [[0, 1]]), [G, hidden]);
  const biasPart = (from: number, to: number) => e.reshape(e.slice(B, [1, 2 * G], [[0, 1], [from, to]]), [to - from]);
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

  let h: string | undefined = initialH ? e.reshape(initialH, [batch, hidden]) : undefined;
  let c: string | undefined = op === "LSTM" && initialC ? e.reshape(initialC, [batch, hidden]) : undefined;
  const hs: string[] = [];
  for (let t = 0; t < T; t++) {
    const x = (k: number) => gate(xw, T * batch, t, k);
    // The recurrent product of this step ([batch, G]), or nothing at t = 0 without an initial state.
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
    hs.push(h);
  }
  const [Y, Yh, Yc] = ctx.node.outputs;
  if (Y) e.op("Concat", hs.map((v) => e.reshape(v, [1, 1, batch, hidden])), { axis: 0 }, Y);
  if (Yh) e.reshape(h!, [1, batch, hidden], Yh);
  if (Yc) e.reshape(c!, [1, batch, hidden], Yc);
  return e.nodes;
}

function noDirectUse(): never {
  throw new IrError("recurrent ops are unrolled at load");
}

export const RECURRENT_OPS: Record<string, OpDef> = Object.fromEntries(
  Object.keys(GATES).map((op) => [op, { normalize: unroll, inferShape: noDirectUse, evaluate: noDirectUse } satisfies OpDef]),
);
