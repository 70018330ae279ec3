/** A valid IR the TypeScript back end cannot express (a name clash the IR allows). */
export class EmitError extends Error {
  override readonly name = "EmitError";
}
