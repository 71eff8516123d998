// local/invocationContext.ts: the InvocationContext a handler receives, built as the worker builds it
// (InvocationModel.getArguments): a fresh GUID, the function name, the registered bindings as
// `options`, and a log handler. Shared by every trigger the local runtime serves.
import { randomUUID } from 'node:crypto';
import { format } from 'node:util';
import {
  InvocationContext,
  type EffectiveFunctionOptions,
  type FunctionInput,
  type FunctionOutput,
  type FunctionTrigger,
  type TriggerMetadata,
} from '@azure/functions';
import type { RegisteredFunction } from './functionsCore';

export type RuntimeLog = (message: string) => void;

/** The registered bindings in the shape of `context.options` (the worker's fromRpcBindings). */
export function effectiveOptions(fn: RegisteredFunction): EffectiveFunctionOptions {
  const options: EffectiveFunctionOptions = {
    trigger: fn.trigger as FunctionTrigger,
    extraInputs: [],
    extraOutputs: [],
  };
  for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
    const named = { ...binding, name, type: String(binding.type) };
    if (name === fn.trigger.name) continue;
    if (name === '$return') options.return = named as FunctionOutput;
    else if (binding.direction === 'in') options.extraInputs.push(named as FunctionInput);
    else options.extraOutputs.push(named as FunctionOutput);
  }
  return options;
}

export function createInvocationContext(
  fn: RegisteredFunction,
  log: RuntimeLog,
  triggerMetadata?: TriggerMetadata,
): InvocationContext {
  return new InvocationContext({
    invocationId: randomUUID(),
    functionName: fn.name,
    options: effectiveOptions(fn),
    triggerMetadata,
    logHandler: (level, ...args) => log(`[${fn.name}] ${level}: ${format(...args)}`),
  });
}

/** Builds the context for one invocation of `fn`, extra inputs (such as a durable client) filled in. */
export type ContextFactory = (fn: RegisteredFunction, triggerMetadata?: TriggerMetadata) => InvocationContext;

/**
 * A ContextFactory that provides `durableClient` extra inputs from the durable extension, as the host
 * hands an HTTP or timer starter its client (`clientInput` is undefined while the extension is absent).
 */
export function contextFactory(log: RuntimeLog, durableClientInput: () => unknown): ContextFactory {
  return (fn, triggerMetadata) => {
    const context = createInvocationContext(fn, log, triggerMetadata);
    for (const input of context.options.extraInputs) {
      if (input.type !== 'durableClient') continue;
      const client = durableClientInput();
      if (client === undefined)
        throw new Error(
          `function "${fn.name}" needs a durable client, and the durable extension is not running`,
        );
      context.extraInputs.set(input.name, client);
    }
    return context;
  };
}
