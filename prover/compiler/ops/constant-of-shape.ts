// ConstantOfShape → no rows and no cells of its own: its shape input must be a constant for a
// fixed-shape circuit, so the IR folds the node into a constant tensor at load (prover/ir/ops/
// expand.ts), and its consumers take that constant as private cells (weights) or fold further.
// A node reaches the compiler only if folding did not happen, which the check reports.
import { CompileError } from "../errors.js";
import type { OpLowering } from "./types.js";

export const constantOfShape: OpLowering = {
  ops: ["ConstantOfShape"],
  check: () => "its shape must be a constant (it is folded at load)",
  lower(_ctx, node) {
    throw new CompileError(`node ${node.name}: ConstantOfShape should have been folded at load`);
  },
};
