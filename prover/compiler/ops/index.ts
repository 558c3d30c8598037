// Every ONNX op the compiler lowers, one file each; the op → block mapping is visible here.
import { addSub } from "./add.js";
import { argExtreme } from "./argmax.js";
import { batchNorm } from "./batchnorm.js";
import { compare } from "./compare.js";
import { constantOfShape } from "./constant-of-shape.js";
import { conv } from "./conv.js";
import { copy } from "./copy.js";
import { convTranspose } from "./conv-transpose.js";
import { div } from "./div.js";
import { elementwiseExtremum } from "./elementwise-extremum.js";
import { expandTile } from "./expand.js";
import { gather } from "./gather.js";
import { gemm } from "./gemm.js";
import { logic } from "./logic.js";
import { matmulOp } from "./matmul.js";
import { mulOp } from "./mul.js";
import { nonlinear } from "./nonlinear.js";
import { normalization } from "./normalization.js";
import { pool } from "./pool.js";
import { prelu } from "./prelu.js";
import { reduce } from "./reduce.js";
import { relu } from "./relu.js";
import { reshape } from "./reshape.js";
import { resize } from "./resize.js";
import { sign } from "./sign.js";
import { softmax } from "./softmax.js";
import { trig } from "./trig.js";
import { variadicSum } from "./variadic-sum.js";
import type { OpLowering } from "./types.js";

export type { OpLowering } from "./types.js";

export const LOWERINGS: readonly OpLowering[] = [gemm, matmulOp, relu, addSub, mulOp, reshape, nonlinear, conv, convTranspose, pool, reduce, copy, div, softmax, batchNorm, prelu, compare, normalization, argExtreme, logic, resize, gather, sign, trig, expandTile, constantOfShape, elementwiseExtremum, variadicSum];

const byOp = new Map<string, OpLowering>();
for (const l of LOWERINGS) for (const op of l.ops) byOp.set(op, l);

export function findLowering(op: string): OpLowering | undefined {
  return byOp.get(op);
}

/** The ONNX ops the compiler supports, sorted. */
export function supportedOps(): string[] {
  return [...byOp.keys()].sort();
}
