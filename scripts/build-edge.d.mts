export const EDGE_BUNDLE: string;
export function buildEdge(): Promise<string>;
