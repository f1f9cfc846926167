export type LocalServer = { url: string; port: number; stop: () => Promise<void> };
export declare const freePort: () => Promise<number>;
export declare const waitForPort: (port: number, ms: number, what?: string) => Promise<void>;
export declare const startTemporaryPostgres: (options?: { prefix?: string; flags?: string[] }) => Promise<LocalServer>;
export declare const findNatsServer: () => string | undefined;
export declare const startNatsServer: (bin?: string) => Promise<LocalServer>;
