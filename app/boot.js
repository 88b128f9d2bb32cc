// Loads the app's wasm module (next to this file) and starts the app.
import init, { run } from './stille_app.js';

await init({ module_or_path: new URL('./stille_app_bg.wasm', import.meta.url) });
await run();
