// Structured reference strings: Powers-of-Tau files and the development SRS.
export { SrsError, type SrsErrorKind } from "./errors.js";
export { validateSrs, type Srs, type G2Affine } from "./srs.js";
export { loadPtau, checkPtau, checkPtauCovers, type PtauReport, type PtauSection } from "./ptau.js";
export { devSrs } from "./dev.js";
