/**
 * The Handlebars templates of the TypeScript back end, compiled once on
 * first use (`noEscape`: the output is code, not HTML; `strict`: a missing
 * view-model field is an error, never an empty string).
 */
import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import type { ModuleView } from "./view-model.js";

const dir = new URL("./templates/", import.meta.url);

let moduleTemplate: Handlebars.TemplateDelegate<ModuleView> | null = null;

function load(name: string): string {
  return readFileSync(new URL(`${name}.hbs`, dir), "utf8");
}

export function renderModule(view: ModuleView): string {
  if (moduleTemplate === null) {
    const hb = Handlebars.create();
    hb.registerPartial("enum", hb.compile(load("enum"), { noEscape: true, strict: true }));
    hb.registerPartial("struct", hb.compile(load("struct"), { noEscape: true, strict: true }));
    moduleTemplate = hb.compile<ModuleView>(load("module"), { noEscape: true, strict: true });
  }
  return moduleTemplate(view);
}
