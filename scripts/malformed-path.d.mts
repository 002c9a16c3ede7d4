export function hasMalformedPath(target: string | undefined): boolean;
