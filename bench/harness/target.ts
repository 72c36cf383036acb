/** A GraphQL endpoint the harness loads: Looma's gateway or a peer started beside it. */
export interface Target {
  name: string;
  url: string;
  stop(): Promise<void>;
}

/** The targets' names in the report; ratios are Looma's against each other target. */
export const LOOMA = 'Looma';
export const HIVE_GATEWAY = 'Hive Gateway';
export const MONOLITH = 'monolith';
