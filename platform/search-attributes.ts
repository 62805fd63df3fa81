import { SearchAttributeType } from '@temporalio/common';
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { allSearchAttributeKeys } from '../workflows/search-attributes';

const indexedType: Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.TEXT]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.KEYWORD]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * Registers the project's custom search attributes that the namespace lacks. Safe to call
 * on every start. Temporal Cloud refuses this API: there, create them with `tcld` once.
 */
export async function ensureSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
  opts: { listFirst: boolean } = { listFirst: true },
): Promise<string[]> {
  const existing = opts.listFirst ? await connection.operatorService.listSearchAttributes({ namespace }) : undefined;
  const missing = allSearchAttributeKeys.filter((k) => !(k.name in (existing?.customAttributes ?? {})));
  if (missing.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, indexedType[k.type]])),
    });
  } catch (err) {
    throw new Error(
      `Could not register search attributes ${missing.map((k) => k.name).join(', ')} in namespace "${namespace}": ` +
        `${(err as Error).message}. On Temporal Cloud, add them with tcld or the Cloud UI, then start again.`,
    );
  }
  return missing.map((k) => k.name);
}
