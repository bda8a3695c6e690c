import { z } from 'zod';
import { FAMILIES, recordSchema, type FieldMeta } from './series.js';

/** /api/schema's document, generated from the series' zod schemas (so it cannot drift from the code). */
export interface FieldDoc {
  name: string;
  type: string;
  nullable: boolean;
  unit: string | null;
  description: string;
}

interface JsonSchemaProperty {
  type?: string | string[];
  format?: string;
  const?: unknown;
  unit?: string;
  description?: string;
}

const fieldDoc = (name: string, prop: JsonSchemaProperty): FieldDoc => {
  const types = Array.isArray(prop.type) ? prop.type : prop.type ? [prop.type] : [];
  const main = types.filter((t) => t !== 'null');
  return {
    name,
    type: prop.format ? `${main.join(' | ')} (${prop.format})` : main.join(' | ') || 'string',
    nullable: types.includes('null'),
    unit: (prop as Partial<FieldMeta>).unit ?? null,
    description: prop.description ?? '',
  };
};

export function buildSchemaDocument() {
  return {
    series: FAMILIES.map((family) => {
      const jsonSchema = z.toJSONSchema(recordSchema(family)) as { properties?: Record<string, JsonSchemaProperty> };
      return {
        source: family.source,
        type: family.type,
        series: family.series,
        description: family.description,
        fields: Object.entries(jsonSchema.properties ?? {}).map(([name, prop]) => fieldDoc(name, prop)),
        json_schema: jsonSchema,
      };
    }),
  };
}
