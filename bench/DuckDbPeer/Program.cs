using DuckDB.NET.Data;

// Runs a SQL file against a DuckDB file with the same DuckDB build infercost embeds: the benchmarks' raw-SQL peer.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: DuckDbPeer DATABASE.duckdb SCRIPT.sql");
    return 2;
}
using var connection = new DuckDBConnection($"Data Source={args[0]}");
connection.Open();
using var command = connection.CreateCommand();
command.CommandText = File.ReadAllText(args[1]);
using var reader = command.ExecuteReader();
do
{
    while (reader.Read())
    {
        Console.WriteLine(string.Join(",", Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue)));
    }
}
while (reader.NextResult());
return 0;
