// Node flags that let `import … from '*.wasm'` work (the schema engine is an ES module importing
// its .wasm): required on Node 20, and only passed while this Node still knows the flag.
export const wasmModuleFlags = () =>
  ['--experimental-wasm-modules', '--disable-warning=ExperimentalWarning'].filter((flag) =>
    process.allowedNodeEnvironmentFlags.has(flag.split('=')[0]),
  );
