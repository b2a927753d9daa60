using System.Globalization;
using InferCost.Core.Contract;

namespace InferCost.Ledger.Bulk;

/// <summary>
/// SQL for the bulk loader's checks, one rule per value kind. Each rule accepts a strict subset of what the
/// record-by-record binders accept and, on that subset, yields exactly the value they yield; anything outside it
/// (a sign, a leading dot, surrounding spaces, more than nine decimals of money, a non-ASCII route) fails the
/// check, and the file is read again by the binders, which either accept it or say precisely what is wrong.
/// Column references are the raw text columns <c>c0…cN</c> of <c>read_csv</c>; NULL is an empty field.
/// </summary>
internal static class BulkSql
{
    /// <summary>ISO 8601 with seconds, up to microseconds and an optional Z or ±hh:mm; years 1000 to 8999.</summary>
    private const string IsoTimestamp =
        @"[1-8][0-9]{3}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])?";

    /// <summary>Below 2^53 every whole number is exact as a double, so the double and integer parses agree.</summary>
    private const string MaxExactInteger = "9007199254740992";

    public static string Column(int csvColumn) => "c" + csvColumn.ToString(CultureInfo.InvariantCulture);

    public static string Number(int csvColumn) => "d" + csvColumn.ToString(CultureInfo.InvariantCulture);

    /// <summary>The inner projection of a number column that DuckDB's reader parsed as DOUBLE; adding 0.0 turns −0
    /// into 0, as the binders do.</summary>
    public static string NumberValue(int csvColumn) => $"{Column(csvColumn)} + 0.0 AS {Number(csvColumn)}";

    /// <summary>The inner projection of a money column, read as text: its double value (NULL when it does not parse).</summary>
    public static string MoneyNumber(int csvColumn) => $"TRY_CAST({Column(csvColumn)} AS DOUBLE) AS {Number(csvColumn)}";

    /// <summary>Text the binders would keep unchanged: its first and last characters are printable ASCII, not spaces.
    /// (<c>substr(c, -1)</c> rather than <c>right(c, 1)</c>: the same last character at about half the cost.)</summary>
    public static string PlainText(string c) => $"(ord({c}) BETWEEN 33 AND 126 AND ord(substr({c}, -1)) BETWEEN 33 AND 126)";

    public static string NonNegative(int k) => $"(isfinite({Number(k)}) AND {Number(k)} >= 0)";

    public static string Rate(int k) => $"({Number(k)} >= 0 AND {Number(k)} <= 1)";

    public static string Integer(int k, long minimum) =>
        $"({Number(k)} = floor({Number(k)}) AND {Number(k)} >= {minimum.ToString(CultureInfo.InvariantCulture)} AND {Number(k)} < {MaxExactInteger})";

    public static string IntegerValue(int k) => $"TRY_CAST({Number(k)} AS BIGINT)";

    /// <summary>Money is DECIMAL(18,9). A value with more than nine decimals would be rounded, and DuckDB rounds half
    /// away from zero where the binders round half to even, so such values are left to the binders. The test compares
    /// doubles, because a DECIMAL(38,20) cast per value costs more than the rest of the row: below 10^6 the nine-decimal
    /// value and the text's own value are one double apart whenever they differ by half a nano-dollar or more (a double's
    /// spacing there is about 10^-10), and when they differ by less, both roundings agree, so the stored value is the
    /// binders' value either way.</summary>
    /// <remarks>No pattern on the text: a form DuckDB's casts take that the binders refuse would be a false accept, so
    /// the equivalence test puts every odd number form it knows (signs, spaces, hex, NaN, underscores, exponents) in
    /// the money columns too.</remarks>
    public static string Money(int k) =>
        $"({Number(k)} >= 0 AND {Number(k)} < 1e6 AND CAST({MoneyValue(k)} AS DOUBLE) = {Number(k)})";

    public static string MoneyValue(int k) => $"TRY_CAST({Column(k)} AS DECIMAL(18,9))";

    public static string Boolean(string c) => $"lower({c}) IN ('true', 'yes', '1', 'false', 'no', '0')";

    public static string BooleanValue(string c) => $"CASE WHEN {c} IS NULL THEN NULL ELSE lower({c}) IN ('true', 'yes', '1') END";

    public static string Timestamp(string c) => $"(regexp_full_match({c}, '{IsoTimestamp}') AND TRY_CAST({c} AS TIMESTAMPTZ) IS NOT NULL)";

    public static string TimestampValue(string c) => $"TRY_CAST({c} AS TIMESTAMPTZ)";

    /// <summary>Epoch microseconds of an event time: ISO 8601 as above, or whole epoch milliseconds below 10^13
    /// (where ms × 10,000 ticks is exact in a double, as the binder computes it); NULL otherwise. Milliseconds must be
    /// written as DuckDB writes the number back (digits only, no sign, space or leading zero): a cheaper test than a
    /// pattern, and a leading zero only sends the file to the binders.</summary>
    public static string EventMicros(string c) =>
        $"CASE WHEN TRY_CAST({c} AS BIGINT) BETWEEN 0 AND 9999999999999 AND CAST(TRY_CAST({c} AS BIGINT) AS VARCHAR) = {c} THEN TRY_CAST({c} AS BIGINT) * 1000 " +
        $"WHEN regexp_full_match({c}, '{IsoTimestamp}') THEN epoch_us(TRY_CAST({c} AS TIMESTAMPTZ)) END";

    /// <summary>A route name or alias as <see cref="Routes.TryNormalize"/> reads it (ASCII only, so lower() and the
    /// binder's case-insensitive match agree); NULL when it is not one.</summary>
    public static string RouteValue(string c) =>
        Lookup(c, Routes.Spellings().Select(s => (s.Spelling.ToLowerInvariant(), s.Canonical)));

    /// <summary>The value <paramref name="names"/> gives the lower-cased ASCII text of <paramref name="c"/>; NULL for
    /// any other text. A MAP lookup, because a CASE over lower(c) evaluates lower(c) once per branch.</summary>
    /// <remarks>Only ASCII text may match: DuckDB lower-cases a few other characters to ASCII letters (the Kelvin sign
    /// to k, say) where the binders would not match them. The keys are ASCII, so text that matches is ASCII exactly when
    /// lower-casing kept its byte length (a non-ASCII character takes two bytes or more, an ASCII letter one), which is
    /// cheaper to test than comparing its byte and character counts.</remarks>
    public static string Lookup(string c, IEnumerable<(string Lower, string Value)> names) =>
        $"CASE WHEN strlen(lower({c})) = strlen({c}) THEN MAP {{" +
        string.Join(", ", names.DistinctBy(n => n.Lower).Select(n => $"{Literal(n.Lower)}: {Literal(n.Value)}")) +
        $"}}[lower({c})] END";

    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>The <c>read_csv</c> call over the file: the number columns parsed as DOUBLE by DuckDB's reader (a
    /// value it cannot parse makes the row an error, which the record count then catches), every other column as raw
    /// text (c0…cN). DuckDB's number parser also takes digit-group underscores and a "+-" sign; <see cref="CsvShapeScan"/>
    /// keeps files with either out of the bulk path. CRLF files leave the line end to DuckDB: with strict_mode, an
    /// explicit '\r\n' makes this DuckDB read no rows at all (every CRLF file then went record by record); the scan has
    /// made sure that every line of such a file ends in CRLF.</summary>
    public static string ReadCsv(string path, int width, bool crLf, IReadOnlySet<int> doubles) =>
        $"read_csv({Literal(path)}, header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', {(crLf ? string.Empty : "new_line = '\\n', ")}" +
        "compression = 'none', ignore_errors = true, null_padding = false, strict_mode = true, columns = {" +
        string.Join(", ", Enumerable.Range(0, width).Select(k => $"'{Column(k)}': '{(doubles.Contains(k) ? "DOUBLE" : "VARCHAR")}'")) + "})";
}
