// Studio on its own (dotnet run --project src/InferCost.Studio -- --Studio:Ledger=team.duckdb); `infercost studio`
// hosts the same app with its flags.
InferCost.Studio.StudioApp.Create(args).Run();

/// <summary>The entry point, public so tests can host Studio with WebApplicationFactory.</summary>
public partial class Program;
