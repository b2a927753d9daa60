using DuckDB.NET.Data;

// Runs SQL files, in order, against a DuckDB file with the same DuckDB build infercost embeds: the benchmarks'
// raw-SQL peer. Several files let a later script use a table an earlier one created (DuckDB prepares every
// statement of one script before it runs the first).
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: DuckDbPeer DATABASE.duckdb SCRIPT.sql [SCRIPT.sql…]");
    return 2;
}
using var connection = new DuckDBConnection($"Data Source={args[0]}");
connection.Open();
foreach (var script in args.Skip(1))
{
    using var command = connection.CreateCommand();
    command.CommandText = File.ReadAllText(script);
    using var reader = command.ExecuteReader();
    do
    {
        while (reader.Read())
        {
            Console.WriteLine(string.Join(",", Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue)));
        }
    }
    while (reader.NextResult());
}
return 0;
