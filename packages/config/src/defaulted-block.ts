/**
 * A config block (a nested object) that may be left out: its default is what its fields' own
 * defaults make of `{}`. Each default is written once, on its field; the block's default (which
 * the JSON Schemas, generated for input, show too) follows from them. Every field of the block
 * must be optional or have a default: checked when the schema is built, so a block that could
 * not default fails at import, not when a config leaves it out.
 */
import type { z } from 'zod';

export function defaultedBlock<T extends z.ZodObject>(block: T): z.ZodDefault<T> {
  block.parse({});
  // a new object each time: a parsed config may be changed by whoever holds it
  return block.default(() => block.parse({}) as z.core.util.NoUndefined<z.output<T>>);
}
