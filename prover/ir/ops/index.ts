// The op table: ONNX operator (default domain) → its IR definition. An op missing here is unsupported.

import { ARITHMETIC_OPS } from "./arithmetic.js";
import { cast } from "./cast.js";
import { clip } from "./clip.js";
import { COMPARE_OPS } from "./compare.js";
import { concat } from "./concat.js";
import { conv } from "./conv.js";
import { constantOfShape, expand, tile } from "./expand.js";
import { convTranspose } from "./conv-transpose.js";
import { gather } from "./gather.js";
import { gemm } from "./gemm.js";
import { identity } from "./identity.js";
import { matmul } from "./matmul.js";
import { batchNormalization, instanceNormalization, layerNormalization } from "./normalization.js";
import { pad } from "./pad.js";
import { averagePool, maxPool } from "./pool.js";
import { RECURRENT_OPS } from "./recurrent.js";
import { REDUCE_OPS } from "./reduce.js";
import { reshape } from "./reshape.js";
import { resize } from "./resize.js";
import { shape, sizeOp } from "./shape.js";
import { slice } from "./slice.js";
import { SOFTMAX_OPS } from "./softmax.js";
import { transpose } from "./transpose.js";
import type { OpDef } from "./types.js";
import { UNARY_OPS } from "./unary.js";

export const OPS: Readonly<Record<string, OpDef>> = {
  ...UNARY_OPS, // Relu, LeakyRelu, Elu, Selu, Sigmoid, HardSigmoid, Tanh, Erf, Softplus, Exp, Log, Sqrt, Reciprocal, Neg, Abs, Round, Floor, Ceil, Sign, trigonometric and hyperbolic
  ...ARITHMETIC_OPS, // Add, Sub, Mul, Div, Pow, PRelu, Max, Min, Sum, Mean
  ...COMPARE_OPS, // Less, LessOrEqual, Greater, GreaterOrEqual, Equal, And, Or, Xor, Not, Where
  ...REDUCE_OPS, // ReduceMean/Sum/Max/Min/Prod/SumSquare/L1/L2, GlobalAveragePool, GlobalMaxPool, ArgMax, ArgMin
  ...SOFTMAX_OPS, // Softmax, LogSoftmax
  ...RECURRENT_OPS, // RNN, GRU, LSTM (unrolled at load)
  Gemm: gemm,
  MatMul: matmul,
  Conv: conv,
  ConvTranspose: convTranspose,
  MaxPool: maxPool,
  AveragePool: averagePool,
  BatchNormalization: batchNormalization,
  InstanceNormalization: instanceNormalization,
  LayerNormalization: layerNormalization,
  Clip: clip,
  Cast: cast,
  Identity: identity,
  Dropout: identity,
  Reshape: reshape,
  Flatten: reshape,
  Squeeze: reshape,
  Unsqueeze: reshape,
  Transpose: transpose,
  Concat: concat,
  Slice: slice,
  Pad: pad,
  Resize: resize,
  Upsample: resize,
  Gather: gather,
  Shape: shape,
  Size: sizeOp,
  Expand: expand,
  Tile: tile,
  ConstantOfShape: constantOfShape,
};

/** Operators handled at load without an OpDef: Constant becomes a constant value. */
export const LOAD_TIME_OPS = new Set(["Constant"]);
