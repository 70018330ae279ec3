/**
 * Every golden compiles under the project's strict settings with no errors
 * (TypeScript API, runtime included) and is already in Prettier's style.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import * as prettier from "prettier";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { goldenDir, root } from "./golden-cases.js";

function goldenFiles(dir = goldenDir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? goldenFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("TypeScript goldens", () => {
  const files = goldenFiles();

  it("compile under strict with no errors", () => {
    expect(files.length).toBeGreaterThan(0);
    const config = ts.readConfigFile(join(root, "tsconfig.json"), (p) => ts.sys.readFile(p));
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    const program = ts.createProgram(files, { ...parsed.options, strict: true, noEmit: true });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    expect(diagnostics).toEqual([]);
  });

  it("are formatted as Prettier formats them", async () => {
    for (const file of files) {
      expect(await prettier.check(readFileSync(file, "utf8"), { parser: "typescript" }), file).toBe(true);
    }
  });
});
