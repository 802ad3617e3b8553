/**
 * The JSON schema of the whole config.json (core keys plus each built-in plugin's options), written
 * to config.schema.json so editors complete and check the config ("$schema" points at it).
 */
import { configSchema } from './config.js';
import type { PluginDefinition } from './plugin.js';

export function buildConfigSchema(plugins: ReadonlyArray<PluginDefinition<object>>): Record<string, unknown> {
  const schema = structuredClone(configSchema) as unknown as {
    properties: { plugins: { additionalProperties: { properties: Record<string, unknown> }; properties?: Record<string, unknown> } };
  };
  const entry = schema.properties.plugins.additionalProperties;
  schema.properties.plugins.properties = Object.fromEntries(
    plugins.map((p) => [
      p.name,
      { ...entry, description: p.description, properties: { ...entry.properties, options: p.optionsSchema } },
    ]),
  );
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: 'ClassCord config.json', ...schema };
}
