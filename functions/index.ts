// functions/index.ts: the app's entry (package.json `main`, compiled to dist/functions/index.js). Azure
// and the local runtime both load it; each import registers one function.
import './health';
import './ingest';
import './batchStatus';
import './ingestBatch';
import './activities/transform';
import './activities/validate';
import './activities/protect';
import './activities/loadLake';
import './activities/loadDataverse';
import './activities/recordBatch';
import './webhooks';
import './ingestStream';
import './replay';
import './redriveDeadLetters';
import './fetchWorkItems';
import './erase';
import './eraseSubject';
import './purgeHistory';
