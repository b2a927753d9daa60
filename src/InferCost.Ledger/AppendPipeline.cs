using System.Collections.Concurrent;
using InferCost.Core.Contract;
using InferCost.Core.Events;

namespace InferCost.Ledger;

/// <summary>
/// Overlaps parsing and appending: the reader's thread fills fixed-size batches of contract rows or request
/// events, one worker thread hands them to the matching DuckDB appender. The queue is bounded, so memory stays a
/// few batches whatever the file size. The appenders are touched only by the worker, and only until <see cref="Complete"/> returns;
/// the event spool's loads run on a thread of their own, and the worker waits for a load under way before it appends
/// (<see cref="EventSpool.AwaitLoad"/>), so the connection is never used from two threads at once.
/// </summary>
internal sealed class AppendPipeline : IDisposable
{
    private const int BatchSize = 4096;
    private const int QueuedBatches = 8;

    private readonly BlockingCollection<Batch> _queue = new(QueuedBatches);
    private readonly CancellationTokenSource _workerFailed = new();
    private readonly Task _worker;
    private Batch _current = new();

    public AppendPipeline(TraceLedger.AppenderRowWriter rowWriter, EventSpool? eventWriter)
    {
        _worker = Task.Factory.StartNew(() =>
        {
            try
            {
                foreach (var batch in _queue.GetConsumingEnumerable())
                {
                    for (var i = 0; i < batch.Count; i++)
                    {
                        if (batch.Items[i] is TraceRow row)
                        {
                            // The row's appender shares the connection with the spool's loads.
                            eventWriter?.AwaitLoad();
                            rowWriter.Append(row, batch.Lines[i]);
                        }
                        else
                        {
                            eventWriter!.Append((RequestEvent)batch.Items[i], batch.Lines[i]);
                        }
                    }
                }
            }
            catch
            {
                // Unblock a reader waiting on a full queue; Complete rethrows this exception.
                _workerFailed.Cancel();
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public void Add(TraceRow row, long line) => Add((object)row, line);

    public void Add(RequestEvent requestEvent, long line) => Add((object)requestEvent, line);

    private void Add(object item, long line)
    {
        _current.Items[_current.Count] = item;
        _current.Lines[_current.Count] = line;
        if (++_current.Count == BatchSize)
        {
            Hand(_current);
            _current = new Batch();
        }
    }

    /// <summary>Appends what is left and waits for the worker; rethrows the worker's failure, if any.</summary>
    public void Complete()
    {
        if (_current.Count > 0)
        {
            Hand(_current);
            _current = new Batch();
        }
        _queue.CompleteAdding();
        _worker.GetAwaiter().GetResult();
    }

    private void Hand(Batch batch)
    {
        try
        {
            _queue.Add(batch, _workerFailed.Token);
        }
        catch (OperationCanceledException)
        {
            // The worker died and stopped taking batches; surface its exception instead.
            _worker.GetAwaiter().GetResult();
        }
    }

    public void Dispose()
    {
        if (!_queue.IsAddingCompleted)
        {
            _queue.CompleteAdding();
            try
            {
                _worker.Wait();
            }
            catch (AggregateException)
            {
                // Dispose runs on the failure path; the original exception is already propagating.
            }
        }
        _queue.Dispose();
        _workerFailed.Dispose();
    }

    private sealed class Batch
    {
        public readonly object[] Items = new object[BatchSize];
        public readonly long[] Lines = new long[BatchSize];
        public int Count;
    }
}
