// The API page at /api_doc: the same handler as /api/help's until the page moves here.
export { handler } from './apiHelp.ts';
