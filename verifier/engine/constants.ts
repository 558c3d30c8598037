// BN254's moduli, apart from the engine so that threads which never load ffjavascript can use them.

/** Order r of G1, G2 and GT: the scalar field Fr. */
export const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
/** Modulus p of the base field Fq. */
export const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
