/**
 * A real ESM `import()` from CommonJS code. TypeScript, tsx and swc may each rewrite a
 * literal `import()` into `require()`, which cannot load ESM-only packages under every runner.
 */
export const importEsm = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;
