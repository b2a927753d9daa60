using System.Security.Cryptography;
using InferCost.Core.Importers;
using InferCost.Core.Reading;
using InferCost.Ledger;
using Microsoft.AspNetCore.Http.Features;

namespace InferCost.Studio.Hosting;

/// <summary>An uploaded trace file copied to a temp file with a generated name. The uploaded name is only a label
/// for messages and provenance, never part of a path. Deletes its temp file on dispose.</summary>
public sealed class UploadedTrace : IDisposable
{
    internal UploadedTrace(string label, string tempPath, string sha256, TraceFormat format, string importFormat, bool detected, FillIns fillIns)
    {
        Label = label;
        TempPath = tempPath;
        Sha256 = sha256;
        Format = format;
        ImportFormat = importFormat;
        Detected = detected;
        FillIns = fillIns;
    }

    public string Label { get; }
    public string TempPath { get; }
    public string Sha256 { get; }

    /// <summary>The text form: csv, json or jsonl.</summary>
    public TraceFormat Format { get; }

    /// <summary>The import format it is read through (a name from <see cref="ImportFormats.Names"/>, never "auto").</summary>
    public string ImportFormat { get; }

    /// <summary>True when <see cref="ImportFormat"/> was detected from the content rather than named.</summary>
    public bool Detected { get; }

    public FillIns FillIns { get; }

    /// <summary>Fields filled from the form rather than read from the file; known once the import has read it.</summary>
    public IReadOnlyCollection<string> Filled { get; private set; } = [];

    public ImportSource ToImportSource()
    {
        var path = TempPath;
        return ImportSourceFormats.WithFormat(new ImportSource(Label, Sha256, Format, () => File.OpenRead(path)) { LocalPath = path }, ImportFormat, FillIns,
            (_, filled) => Filled = filled);
    }

    public void Dispose()
    {
        try
        {
            File.Delete(TempPath);
        }
        catch (IOException)
        {
            // A leftover temp file is harmless; the OS cleans its temp folder.
        }
    }
}

/// <summary>Why an upload was refused before any row was read.</summary>
public sealed record UploadProblem(int StatusCode, string Message);

/// <summary>Reads the multipart field <c>file</c> (and optional <c>format</c>) within the upload limit.</summary>
public static class Uploads
{
    // Multipart framing (boundaries, part headers, the format field) on top of the file itself.
    private const long FramingBytes = 64 * 1024;

    /// <summary>Lifts the server's default body limit to the upload limit (plus framing) for this request, and
    /// refuses a declared length beyond it before reading anything.</summary>
    public static UploadProblem? CheckDeclaredSize(HttpContext context, StudioSettings settings)
    {
        var limit = settings.MaxUploadBytes + FramingBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        return context.Request.ContentLength > limit ? TooLarge(settings) : null;
    }

    /// <summary>Reads the form; returns null with a problem when it is too large or not a form.</summary>
    public static async Task<(IFormCollection? Form, UploadProblem? Problem)> ReadFormAsync(HttpContext context, StudioSettings settings, CancellationToken cancel)
    {
        if (CheckDeclaredSize(context, settings) is { } declared)
        {
            return (null, declared);
        }
        if (!context.Request.HasFormContentType)
        {
            return (null, new UploadProblem(StatusCodes.Status415UnsupportedMediaType, "Send the trace file as multipart/form-data in the field 'file'."));
        }
        var limit = settings.MaxUploadBytes + FramingBytes;
        // Counted so that a refusal can say which it was: the form reader throws the same exception type for a body
        // over its length limit and for a malformed one (no boundary, a bad part header).
        var counted = new CountingStream(context.Request.Body);
        context.Request.Body = counted;
        try
        {
            var form = await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit }, cancel);
            return (form, null);
        }
        catch (InvalidDataException) when (counted.BytesRead > limit)
        {
            return (null, TooLarge(settings));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(settings));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            // A malformed form (no boundary, an unescaped quote in a part header) or a body that ends before its
            // closing boundary or its declared length (BadHttpRequestException is an IOException): the client's
            // error, one sentence, nothing read. Answered even when the client has gone, so nothing is logged as a
            // server failure.
            return (null, Malformed(ex));
        }
    }

    private static UploadProblem Malformed(Exception ex)
    {
        var reason = ex.Message.Trim().TrimEnd('.');
        if (reason.Length > 160)
        {
            reason = reason[..160] + "…";
        }
        return new UploadProblem(StatusCodes.Status400BadRequest,
            $"The upload is not a complete multipart/form-data body ({reason}); nothing was imported. Send the trace file in the field 'file'.");
    }

    /// <summary>Copies the form's <c>file</c> to a temp file, hashing it on the way; reads the <c>format</c> field (any
    /// <see cref="ImportFormats.Names"/>, "auto" detecting by content as the CLI does) and the fill-in fields.</summary>
    public static async Task<(UploadedTrace? Upload, UploadProblem? Problem)> SaveAsync(IFormCollection form, StudioSettings settings, CancellationToken cancel)
    {
        var file = form.Files.GetFile("file");
        if (file is null)
        {
            return (null, new UploadProblem(StatusCodes.Status400BadRequest, "No file was sent: put the trace file in the multipart field 'file'."));
        }
        if (file.Length > settings.MaxUploadBytes)
        {
            return (null, TooLarge(settings));
        }
        var label = Label(file.FileName);
        var (named, forcedText, formatProblem) = UploadFields.Format(form);
        if (formatProblem is not null)
        {
            return (null, formatProblem);
        }
        var (fillIns, fillProblem) = UploadFields.FillIns(form);
        if (fillProblem is not null)
        {
            return (null, fillProblem);
        }
        var folder = Path.Combine(Path.GetTempPath(), "infercost-studio-uploads");
        Directory.CreateDirectory(folder);
        var tempPath = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".upload");
        // As much of the start as the CLI probes (64 KiB): enough to see a header or a first object's keys.
        var head = new byte[1 << 16];
        var headLength = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var target = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        await using (var source = file.OpenReadStream())
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await source.ReadAsync(buffer, cancel)) > 0)
            {
                if (headLength < head.Length)
                {
                    var take = Math.Min(read, head.Length - headLength);
                    Array.Copy(buffer, 0, head, headLength, take);
                    headLength += take;
                }
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancel);
            }
        }
        var text = forcedText ?? TraceFormats.Detect(label, head.AsSpan(0, headLength));
        var format = ImportFormats.Choose(named, () => ImportFormats.Probe(label, head.AsSpan(0, headLength)));
        if (format is null)
        {
            File.Delete(tempPath);
            return (null, new UploadProblem(StatusCodes.Status422UnprocessableEntity, ImportFormats.Undetectable(label, "the 'format' field")));
        }
        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        return (new UploadedTrace(label, tempPath, sha, text, format, named == ImportFormats.Auto, fillIns), null);
    }

    /// <summary>The uploaded name reduced to a safe label: no directories, no control characters, at most 120 characters.</summary>
    public static string Label(string? uploadedName)
    {
        var name = (uploadedName ?? string.Empty).Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        name = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (name.Length > 120)
        {
            name = name[..120];
        }
        return name.Length == 0 ? "upload" : name;
    }

    private static UploadProblem TooLarge(StudioSettings settings) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The upload is larger than the {settings.MaxUploadText} limit; split the traces into smaller files or import them with 'infercost import'.");
}
