using System.Text.Json;

namespace QcdcCompliance.Import.Files;

/// <summary>
/// A JSON array of objects whose names are the columns (or an object holding that array under <c>rows</c>):
/// <c>[{"unit_code": "XA001", "period": "2020S1", "indicator": "REGULATION_ISSUED", "value": true}]</c>.
/// Row numbers are positions in the array, from 1.
/// </summary>
public static class JsonTable
{
    public static Table Read(string file, byte[] bytes, IReadOnlyList<Column> schema, ProblemList problems) =>
        Read(file, bytes, schema, problems, ImportLimits.Default, CancellationToken.None);

    public static Table Read(string file, byte[] bytes, IReadOnlyList<Column> schema, ProblemList problems, ImportLimits limits, CancellationToken ct)
    {
        // Half surrogates are left to the rows, which name their row.
        if (JsonText.Unreadable(bytes, surrogates: false) is { } unreadable)
        {
            problems.Add(0, "", unreadable);
            return new Table(file, schema, [], problems);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(JsonText.WithoutBom(bytes), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            problems.Add(0, "", $"the file is not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}): {e.Message}");
            return new Table(file, schema, [], problems);
        }

        var root = document.RootElement;
        try
        {
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("rows", out var rows))
                root = rows;
        }
        catch (InvalidOperationException)
        {
            // A field name of the outer object with half a surrogate pair: there is no row to name, so the line is named.
            problems.Add(0, "", JsonText.Unreadable(bytes) ?? "a field name holds an escape for half of a UTF-16 surrogate pair (\\uD800-\\uDFFF alone); write the character whole");
            return new Table(file, schema, [], problems);
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            problems.Add(0, "", "the file must hold an array of objects, one per row (or an object with that array under \"rows\")");
            return new Table(file, schema, [], problems);
        }

        return new Table(file, schema, Rows(root, schema, problems, limits, ct), problems);
    }

    private static IEnumerable<TableRow> Rows(JsonElement array, IReadOnlyList<Column> schema, ProblemList problems, ImportLimits limits, CancellationToken ct)
    {
        var number = 0;
        foreach (var element in array.EnumerateArray())
        {
            number++;
            if ((number & 1023) == 0)
                ct.ThrowIfCancellationRequested();
            if (element.ValueKind != JsonValueKind.Object)
            {
                problems.Add(number, "", "each row must be an object such as {\"" + schema[0].Name + "\": \"...\"}");
                continue;
            }

            var cells = new string?[schema.Count];
            var present = new bool[schema.Count];
            foreach (var property in element.EnumerateObject())
            {
                if (Unescaped(() => property.Name) is not { } propertyName)
                {
                    problems.Add(number, "", HalfSurrogate);
                    continue;
                }

                var name = HeaderMatcher.Normalise(propertyName);
                var index = -1;
                for (var s = 0; s < schema.Count; s++)
                {
                    if (schema[s].Name == name)
                        index = s;
                }

                if (index < 0)
                {
                    problems.Add(number, propertyName, $"unexpected field '{propertyName}'; the fields are {string.Join(",", schema.Select(c => c.Name))}");
                    continue;
                }

                if (present[index])
                {
                    problems.Add(number, schema[index].Name, $"field '{schema[index].Name}' appears twice in the object; keep one");
                    continue;
                }

                present[index] = true;
                cells[index] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => Text(property.Value, number, propertyName, limits.MaxCellLength),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Null => null,
                    _ => Invalid(number, propertyName),
                };
            }

            for (var s = 0; s < schema.Count; s++)
            {
                if (schema[s].Required && !present[s])
                    problems.Add(number, schema[s].Name, $"field '{schema[s].Name}' is missing");
            }

            yield return new TableRow(number, cells);
        }

        string? Text(JsonElement value, int row, string name, int limit)
        {
            var text = Unescaped(value.GetString);
            if (text is null)
                problems.Add(row, name, HalfSurrogate);
            else if (text.Length > limit)
            {
                problems.Add(row, name, $"a cell is {text.Length} characters long; the limit is {limit}");
                return null;
            }

            return text;
        }

        string? Invalid(int row, string name)
        {
            problems.Add(row, name, "a value must be a string, a number, true, false or null");
            return null;
        }
    }

    private const string HalfSurrogate = "the text holds an escape for half of a UTF-16 surrogate pair (\\uD800-\\uDFFF alone); write the character whole";

    /// <summary>A string of the document, or null for an escape such as "\ud800" that stands for half a character.</summary>
    private static string? Unescaped(Func<string?> read)
    {
        try
        {
            return read() ?? "";
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
