// bench/police-duckdb.mjs — the DuckDB side of bench/police: count the
// street-level rows by month, force, LSOA and crime type into a file database.
// Usage: node police-duckdb.mjs FILE.csv DB.duckdb
// Prints "rows SUM groups N query_s SECONDS" (the query alone, without Node's start).
import { DuckDBInstance } from '@duckdb/node-api';

const [file, dbPath] = process.argv.slice(2);
const t0 = process.hrtime.bigint();
const instance = await DuckDBInstance.create(dbPath);
const con = await instance.connect();
const quoted = file.replaceAll("'", "''");
await con.run(
  `CREATE TABLE counts AS SELECT Month, "Falls within", "LSOA name", "Crime type", count(*) AS n ` +
  `FROM read_csv('${quoted}') GROUP BY ALL`);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const reader = await con.runAndReadAll('SELECT sum(n)::BIGINT, count(*)::BIGINT FROM counts');
const [sum, groups] = reader.getRows()[0];
console.log(`rows ${sum} groups ${groups} query_s ${seconds.toFixed(3)}`);
con.closeSync?.();
