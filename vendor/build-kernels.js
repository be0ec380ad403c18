// Assembles the browser trainer's WebAssembly kernel (js/gan-kernels.wat) with wabt, pinned in
// package.json, into static/gan-kernels.js: its bytes, base64, for gan-trainer.js to compile.
// `make setup` runs it (node build-kernels.js, from vendor/).
const fs = require("fs");
const path = require("path");

require("wabt")().then((wabt) => {
  const source = path.join(__dirname, "js", "gan-kernels.wat");
  const module = wabt.parseWat(source, fs.readFileSync(source, "utf8"), { simd: true, bulk_memory: true });
  module.validate();
  const bytes = Buffer.from(module.toBinary({}).buffer);
  const out = path.join(__dirname, "static", "gan-kernels.js");
  fs.writeFileSync(out, "// made by vendor/build-kernels.js from vendor/js/gan-kernels.wat (" + bytes.length +
    " bytes of WebAssembly)\nself.GanKernels = { wasm: \"" + bytes.toString("base64") + "\" };\n");
});
