import { requireLimit } from '../helpers/validation';
import type { ItemParameters } from './parameters';

/** How many records a list operation's item asks for (listFields): undefined with Return All on. */
export function wantedLimit(parameters: ItemParameters, itemIndex: number): number | undefined {
	return parameters.boolean('returnAll', itemIndex, false) ? undefined : requireLimit(parameters.get('limit', itemIndex, 50));
}
