using System.Diagnostics;

namespace InferCost.Bench.Evaluation;

/// <summary><c>command:CMD</c>: runs CMD with <c>/bin/sh -c</c>, the output on standard input and the dataset's
/// expected answer in <c>INFERCOST_EXPECTED</c>; exit code 0 accepts, anything else (or running past
/// 30 seconds) rejects. One process per output, at most <see cref="Environment.ProcessorCount"/> at once.</summary>
public sealed class CommandEvaluator(string command) : IOutputEvaluator
{
    private readonly SemaphoreSlim _slots = new(Environment.ProcessorCount);

    public string Spec => "command:" + command;

    public async ValueTask<bool> AcceptsAsync(string output, string? expected, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var start = new ProcessStartInfo("/bin/sh")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(command);
            start.Environment["INFERCOST_EXPECTED"] = expected ?? string.Empty;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.StandardInput.WriteAsync(output.AsMemory(), cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The command need not read its input.
            }
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                return false;
            }
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            return process.ExitCode == 0;
        }
        finally
        {
            _slots.Release();
        }
    }
}
