/**
 * Bad input to the guidance: a stable code and one readable sentence (Python's BadInput).
 * @module
 */

export class GuidanceError extends Error {
  /**
   * @param {string} code  stable, e.g. `wrong-observation`
   * @param {string} message  one readable sentence
   */
  constructor(code, message) {
    super(message);
    this.name = "GuidanceError";
    /** @type {string} */
    this.code = code;
  }
}
