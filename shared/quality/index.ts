export * from './validate';
export type { QualityContext, Rule } from './types';
export { isPlaceholder } from './rules/placeholders';
