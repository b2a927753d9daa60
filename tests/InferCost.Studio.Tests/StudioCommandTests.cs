using InferCost.Cli.Commands;

namespace InferCost.Studio.Tests;

public class StudioCommandTests
{
    [Fact]
    public void Loopback_needs_no_token_and_any_other_address_gets_one()
    {
        var local = StudioCommand.MakePlan("127.0.0.1", 5080, null);
        Assert.Null(local.Problem);
        Assert.Equal("http://127.0.0.1:5080", local.Url);
        Assert.Null(local.Token);

        var open = StudioCommand.MakePlan("0.0.0.0", 5080, null);
        Assert.NotNull(open.Token);
        Assert.True(open.Token!.Length >= 32);
        Assert.NotEqual(open.Token, StudioCommand.MakePlan("0.0.0.0", 5080, null).Token);

        Assert.Equal("given-token-0123456789", StudioCommand.MakePlan("192.168.1.5", 80, "given-token-0123456789").Token);
    }

    [Fact]
    public void Bad_flags_are_exit_2_with_a_sentence()
    {
        Assert.Contains("--port 70000", StudioCommand.MakePlan("127.0.0.1", 70000, null).Problem);
        Assert.Contains("at least 16", StudioCommand.MakePlan("0.0.0.0", 5080, "short").Problem);
        var run = StudioHost.Cli("studio", "--port", "0");
        Assert.Equal(2, run.Exit);
        // The CLI's parser refuses it before Studio's own check (MakePlan, above): the flag, its range and the value.
        Assert.Contains("--port must be a whole number from 1 to 65535 (got '0')", run.Err);
    }
}
