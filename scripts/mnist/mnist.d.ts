// SPDX-License-Identifier: GPL-3.0-or-later
// Types for the parts of the `mnist` package (MIT, no bundled typings) that the trainer reads.
declare module "mnist" {
  interface MnistDigit {
    /** The digit 0…9 this collection holds. */
    readonly id: number;
    /** Number of 28×28 samples of this digit. */
    readonly length: number;
    /** Sample `index` as 784 pixel values in [0, 1], row-major. */
    get(index: number): number[];
  }
  const mnist: readonly MnistDigit[];
  export default mnist;
}
