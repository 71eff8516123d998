export * from './canonical';
export { transactionId } from './transactionId';
