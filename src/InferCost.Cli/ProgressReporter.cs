using Spectre.Console;

namespace InferCost.Cli;

/// <summary>A progress bar on stderr for inputs over a few MB, off when either output stream is redirected.</summary>
internal static class ProgressReporter
{
    internal const long Threshold = 4 * 1024 * 1024;

    public static Stream Wrap(Stream stream, string label, CommandContext context)
    {
        if (!context.Environment.ShowsProgress || !stream.CanSeek || stream.Length < Threshold)
        {
            return stream;
        }
        return new ProgressStream(stream, label, context.Err);
    }

    private sealed class ProgressStream : Stream
    {
        private readonly Stream _inner;
        private readonly string _label;
        private readonly IAnsiConsole _console;
        private int _lastPercent = -1;

        public ProgressStream(Stream inner, string label, TextWriter error)
        {
            _inner = inner;
            _label = label;
            _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = _inner.Read(buffer, offset, count);
            Report();
            return read;
        }

        public override int Read(Span<byte> buffer)
        {
            var read = _inner.Read(buffer);
            Report();
            return read;
        }

        private void Report()
        {
            var percent = (int)(100 * _inner.Position / Math.Max(1, _inner.Length));
            if (percent == _lastPercent)
            {
                return;
            }
            _lastPercent = percent;
            var filled = percent / 4;
            _console.Write(new Markup($"\r[grey]{Markup.Escape(_label)}[/] [green]{new string('█', filled)}[/]{new string('░', 25 - filled)} {percent,3}%"));
            if (percent == 100)
            {
                _console.WriteLine();
            }
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _inner.Length;
        public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
