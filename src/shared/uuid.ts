// Whether a string is a UUID: an id that is not one names nothing (answered as not found, never
// sent to the database, which would refuse it).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (id: string): boolean => UUID.test(id);
