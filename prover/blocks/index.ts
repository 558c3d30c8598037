// The basic blocks a model is lowered to (docs/blocks.md lists each one's rows and soundness).
export { BlockRangeError } from "./errors.js";
export { constantCell, privateCells, signedValue, toSigned } from "./cells.js";
export { addCells, addConstant, arithmeticRow, linear, mul, quadraticCell, scaleCell, subCells, type ArithmeticRow } from "./arithmetic.js";
export { matmul, matmulActivations } from "./matmul.js";
export { conv2d, type ConvOptions, type ConvResult } from "./conv.js";
export { linearCombination, type Term } from "./linear-combination.js";
export { mean, sum } from "./sum.js";
export {
  checkRange,
  checkSigned,
  DEFAULT_LIMB_BITS,
  limbBits,
  lookupSignedAt,
  MAX_TABLE_BITS,
  rangeCheck,
  rangeCheckCells,
  rangeCheckShifted,
  setLimbBits,
  signedRange,
  signedTable,
  signedTableKey,
  unsignedRange,
  widthBits,
  type IntRange,
} from "./range-check.js";
export { divide, divideByConstant, divideSigned, floorDiv, type DivideByConstantOptions, type DivideOptions, type Rounding } from "./division.js";
export { rescale, rescaleCells, type RescaleOptions } from "./rescale.js";
export { relu, reluParts, reluSigned, type ReluOptions } from "./relu.js";
export { clip, hardSigmoid, leakyRelu, type ClipOptions, type HardSigmoidOptions, type LeakyReluOptions } from "./piecewise.js";
export { applyFunction, functionTable, functionTableKey, MAX_FUNCTION_TABLE, type TableFunction } from "./lookup.js";
export { argmax, argmin, max2, maxMany, min2, minMany } from "./max.js";
export { and, assertBoolean, greater, less, not, or, select, xor } from "./compare.js";
export { concat, freshCopies, gather, mapIndices, pad, reshape, slice, transpose, upsampleNearest, type CellTensor } from "./copy.js";
export {
  poseidon,
  poseidonCells,
  poseidonChain,
  poseidonChainHash,
  poseidonHash,
  POSEIDON_FULL_ROUNDS,
  POSEIDON_MAX_INPUTS,
  POSEIDON_PARTIAL_ROUNDS,
} from "./poseidon.js";
export { isqrt, sqrt, type SqrtOptions } from "./sqrt.js";
export { oneHot, oneHotWith, type OneHotWitness } from "./select.js";
