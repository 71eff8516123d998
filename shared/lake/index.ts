// shared/lake: the Data Lake sink (container `lake`, Blob API only). See docs/lake.md.
export { LAKE_CONTAINER, ensureLakeContainer } from './lakeContainer';
export { writeRaw, rawBlobName, RAW_HEADER_ALLOWLIST, type RawPayload, type RawWriteResult } from './writeRaw';
export { loadBatch, batchIndexBlobName, BATCH_ID_RE, type LakeBatch, type LoadBatchResult, type LoadBatchOptions } from './loadBatch';
export { compactPartition, type CompactOptions, type CompactResult } from './compactPartition';
export { readPartition, listPartitions, type PartitionRows } from './readPartition';
export { readManifest, manifestBlobName, type PartitionManifest, type ManifestFile } from './partitionManifest';
export { quarantineBlobName } from './writeQuarantine';
export { partitionDir, HIVE_NULL, type CuratedPartition } from './hivePartition';
export { CURATED_TABLES, CURATED_TABLE_NAMES, DECIMAL_PRECISION, DECIMAL_SCALE, type CuratedTableName, type CuratedRow } from './curatedTables';
export { toParquetBuffer } from './toParquetBuffer';
export { fromParquetBuffer } from './fromParquetBuffer';
