// functions/index.ts: the app's entry (package.json `main`, compiled to dist/functions/index.js). Azure
// and the local runtime both load it; each import registers one function.
import './health';
