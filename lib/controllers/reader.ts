import type { Reader } from "../dependencies/dependency";
import { getLive, liveData } from "../engine/apply";

/** The reads dependency providers make: children from the informers, anything else from the API. */
export const reader: Reader = { object: getLive, data: liveData };
