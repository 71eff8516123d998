export * from './cardNumbers';
export * from './pseudonymize';
